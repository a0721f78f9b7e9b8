import { Queryable, sqlRows } from '../sql';

/** work_change_seen: a TimeLog change-log row already turned into an event. */
export interface WorkChangeSeenRow {
  company_id: string;
  work_guid: string;
  action: string;
  action_date: string;
  seen_at: Date;
}

export type WorkChangeKey = Pick<WorkChangeSeenRow, 'work_guid' | 'action' | 'action_date'>;

/** Which of these change-log rows (as parallel columns) were seen before. */
export function seenWorkChanges(db: Queryable, companyId: string, guids: string[], actions: string[], actionDates: string[]): Promise<WorkChangeKey[]> {
  return sqlRows(
    db,
    `SELECT work_guid, action, action_date FROM work_change_seen
     WHERE company_id = $1 AND (work_guid, action, action_date) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
    [companyId, guids, actions, actionDates],
  );
}

/** Records the rows as seen and returns those this statement recorded first. */
export function recordWorkChangesSeen(db: Queryable, companyId: string, guids: string[], actions: string[], actionDates: string[]): Promise<WorkChangeKey[]> {
  return sqlRows(
    db,
    `INSERT INTO work_change_seen (company_id, work_guid, action, action_date)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
     ON CONFLICT DO NOTHING RETURNING work_guid, action, action_date`,
    [companyId, guids, actions, actionDates],
  );
}
