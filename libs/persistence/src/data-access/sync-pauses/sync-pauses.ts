import { Queryable, sqlRows } from '../sql';

/** sync_pause: a paused company (project 0) or Forecast project. */
export interface SyncPauseRow {
  company_id: string;
  forecast_project_id: string;
  paused_by: string;
  paused_at: Date;
}

/** What an event touches, as far as a pause is concerned. */
export interface PauseCheck {
  companyId: string;
  forecastProjectId?: number | null;
  timelogTaskId?: number | null;
  forecastTaskId?: number | null;
}

/**
 * For each event, the pause that holds it (the company's, the Forecast project's, or that of the project a task's
 * TimeLog task belongs to; `project` 0 is the company's pause), or null; many events in one round trip, in order.
 */
export async function pausesHolding(db: Queryable, checks: PauseCheck[]): Promise<({ project: number } | null)[]> {
  const rows = await sqlRows<{ project: number | null }>(
    db,
    `SELECT (SELECT p.forecast_project_id::int FROM sync_pause p
       WHERE p.company_id = q.company_id AND (p.forecast_project_id IN (0, coalesce(q.forecast_project_id, 0)) OR p.forecast_project_id IN (
         SELECT pl.forecast_project_id FROM entity_link t
         JOIN project_link pl ON pl.company_id = t.company_id AND pl.timelog_project_id = (t.snapshot->>'timelogProjectId')::int
         WHERE t.company_id = q.company_id AND t.kind = 'task' AND (t.timelog_ref = q.timelog_task_ref OR t.forecast_id = q.forecast_task_id)))
       ORDER BY p.forecast_project_id LIMIT 1) AS project
     FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) WITH ORDINALITY AS q(company_id, forecast_project_id, timelog_task_ref, forecast_task_id, n)
     ORDER BY q.n`,
    [
      checks.map((check) => check.companyId),
      checks.map((check) => check.forecastProjectId ?? null),
      checks.map((check) => (check.timelogTaskId == null ? null : String(check.timelogTaskId))),
      checks.map((check) => check.forecastTaskId ?? null),
    ],
  );
  return rows.map((row) => (row.project === null ? null : { project: row.project }));
}
