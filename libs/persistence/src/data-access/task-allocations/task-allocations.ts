import { Queryable, sqlExec, sqlRows } from '../sql';

/** task_allocation: who is allocated to a TimeLog task we created from Forecast. */
export interface TaskAllocationRow {
  company_id: string;
  timelog_task_id: number;
  employee_initials: string;
  forecast_person_id: string;
  status: 'active' | 'ended';
  updated_at: Date;
}

export async function activeAllocations(db: Queryable, companyId: string, timelogTaskId: number): Promise<string[]> {
  const active = await sqlRows<Pick<TaskAllocationRow, 'employee_initials'>>(
    db,
    `SELECT employee_initials FROM task_allocation WHERE company_id = $1 AND timelog_task_id = $2 AND status = 'active'`,
    [companyId, timelogTaskId],
  );
  return active.map((row) => row.employee_initials);
}

export async function setAllocation(db: Queryable, companyId: string, timelogTaskId: number, initials: string, forecastPersonId: number, status: 'active' | 'ended'): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO task_allocation (company_id, timelog_task_id, employee_initials, forecast_person_id, status) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (company_id, timelog_task_id, employee_initials) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
    [companyId, timelogTaskId, initials, forecastPersonId, status],
  );
}

export async function endAllocation(db: Queryable, companyId: string, timelogTaskId: number, initials: string): Promise<void> {
  await sqlExec(db, `UPDATE task_allocation SET status = 'ended', updated_at = now() WHERE company_id = $1 AND timelog_task_id = $2 AND employee_initials = $3`, [companyId, timelogTaskId, initials]);
}
