import { Queryable, sqlExec, sqlRows } from '../sql';

/** A pause of a company's sync (`forecast_project_id` 0) or of one linked project's, with its waiting changes. */
export interface SyncPauseListRow {
  project: number;
  paused_by: string;
  paused_at: Date;
  waiting: number;
}

/** The company's pauses, with the open parked items waiting for each. */
export async function listSyncPauses(db: Queryable, companyId: string): Promise<SyncPauseListRow[]> {
  return sqlRows(
    db,
    `SELECT p.forecast_project_id::int AS project, p.paused_by, p.paused_at,
         (SELECT count(*)::int FROM parked_event e WHERE e.company_id = p.company_id AND e.resolved_at IS NULL
            AND e.waiting_for = CASE WHEN p.forecast_project_id = 0 THEN 'pause:company' ELSE 'pause:project:' || p.forecast_project_id END) AS waiting
       FROM sync_pause p WHERE p.company_id = $1 ORDER BY p.forecast_project_id`,
    [companyId],
  );
}

/** Pauses the company (`forecastProjectId` null) or one project; pausing again keeps the first pause. */
export async function addSyncPause(db: Queryable, companyId: string, forecastProjectId: number | null, pausedBy: string): Promise<void> {
  await sqlExec(db, `INSERT INTO sync_pause (company_id, forecast_project_id, paused_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [companyId, forecastProjectId ?? 0, pausedBy]);
}

export async function removeSyncPause(db: Queryable, companyId: string, forecastProjectId: number | null): Promise<void> {
  await sqlExec(db, `DELETE FROM sync_pause WHERE company_id = $1 AND forecast_project_id = $2`, [companyId, forecastProjectId ?? 0]);
}
