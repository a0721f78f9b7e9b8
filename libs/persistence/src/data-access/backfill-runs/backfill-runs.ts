import { Queryable, sqlExec, sqlRows } from '../sql';

/** backfill_run: an admin's "backfill from date" of a linked project, worked through a page at a time. */
export interface BackfillRunRow {
  id: string;
  company_id: string;
  forecast_project_id: string;
  since: string;
  status: 'running' | 'done' | 'failed';
  next_page: number;
  forecast_pages_total: number | null;
  registrations_found: number;
  forecast_calls: number;
  failed: number;
  last_error: string | null;
  leased_until: Date | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** backfill_item: a registration a run handled. */
export interface BackfillItemRow {
  run_id: string;
  forecast_registration_id: string;
}

/** A claimed run as the writer works it (the project id and date as text). */
export type ClaimedBackfillRun = Pick<BackfillRunRow, 'id' | 'company_id' | 'forecast_project_id' | 'since' | 'next_page'>;

/** Claims the oldest running run no other writer holds, for `leaseSeconds`. */
export async function claimBackfillRun(db: Queryable, leaseSeconds: number): Promise<ClaimedBackfillRun | null> {
  const rows = await sqlRows<ClaimedBackfillRun>(
    db,
    `UPDATE backfill_run SET leased_until = now() + make_interval(secs => $1), started_at = coalesce(started_at, now())
     WHERE id = (SELECT id FROM backfill_run WHERE status = 'running' AND (leased_until IS NULL OR leased_until < now())
                 ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, company_id, forecast_project_id::text, to_char(since, 'YYYY-MM-DD') AS since, next_page`,
    [leaseSeconds],
  );
  return rows[0] ?? null;
}

export async function noteBackfillError(db: Queryable, runId: string, error: string): Promise<void> {
  await sqlExec(db, `UPDATE backfill_run SET last_error = $2 WHERE id = $1`, [runId, error]);
}

export async function noteBackfillItemFailed(db: Queryable, runId: string, error: string): Promise<void> {
  await sqlExec(db, `UPDATE backfill_run SET failed = failed + 1, last_error = $2 WHERE id = $1`, [runId, error]);
}

export async function recordBackfillItems(db: Queryable, runId: string, forecastRegistrationIds: number[]): Promise<void> {
  await sqlExec(db, `INSERT INTO backfill_item (run_id, forecast_registration_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, [runId, forecastRegistrationIds]);
}

/** The page checkpoint, after the page's writes committed; the last page finishes the run. */
export async function checkpointBackfillRun(
  db: Queryable,
  runId: string,
  checkpoint: { page: number; pagesTotal: number; found: number; last: boolean },
  leaseSeconds: number,
): Promise<void> {
  await sqlExec(
    db,
    `UPDATE backfill_run SET next_page = $2 + 1, forecast_pages_total = $3, forecast_calls = forecast_calls + 1, registrations_found = registrations_found + $4,
       status = CASE WHEN $5 THEN 'done' ELSE status END, finished_at = CASE WHEN $5 THEN now() END, leased_until = now() + make_interval(secs => $6)
     WHERE id = $1`,
    [runId, checkpoint.page, checkpoint.pagesTotal, checkpoint.found, checkpoint.last, leaseSeconds],
  );
}
