import { Queryable, sqlOne } from '../sql';

/** sync_pause: a paused company (project 0) or Forecast project. */
export interface SyncPauseRow {
  company_id: string;
  forecast_project_id: string;
  paused_by: string;
  paused_at: Date;
}

/**
 * The pause that holds an event touching these (the company's, the Forecast project's, or that of the project a
 * task's TimeLog task belongs to); `project` 0 is the company's pause.
 */
export async function pauseHolding(
  db: Queryable,
  companyId: string,
  scope: { forecastProjectId?: number | null; timelogTaskId?: number | null; forecastTaskId?: number | null },
): Promise<{ project: number } | null> {
  return sqlOne<{ project: number }>(
    db,
    `SELECT p.forecast_project_id::int AS project FROM sync_pause p
     WHERE p.company_id = $1 AND (p.forecast_project_id IN (0, coalesce($2::bigint, 0)) OR p.forecast_project_id IN (
       SELECT pl.forecast_project_id FROM entity_link t
       JOIN project_link pl ON pl.company_id = t.company_id AND pl.timelog_project_id = (t.snapshot->>'timelogProjectId')::int
       WHERE t.company_id = $1 AND t.kind = 'task' AND (t.timelog_ref = $3::text OR t.forecast_id = $4::bigint)))
     ORDER BY p.forecast_project_id LIMIT 1`,
    [companyId, scope.forecastProjectId ?? null, scope.timelogTaskId == null ? null : String(scope.timelogTaskId), scope.forecastTaskId ?? null],
  );
}
