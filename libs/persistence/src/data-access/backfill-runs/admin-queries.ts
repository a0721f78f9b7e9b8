import { Queryable, sqlOne, sqlRows } from '../sql';

/** A backfill run as its progress is shown: the run's row and what its pages have synced so far. */
export interface BackfillProgressRow {
  id: string;
  company_id: string;
  forecast_project_id: string;
  status: 'running' | 'done' | 'failed';
  registrations_found: number;
  failed: number;
  last_error: string | null;
  next_page: number;
  forecast_pages_total: number | null;
  forecast_calls: number;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** `since` as YYYY-MM-DD. */
  since_date: string;
  /** Seconds the run has been going (to its end once finished), null before it started. */
  seconds: string | number | null;
  /** Registrations of the run synced to TimeLog so far. */
  done: number;
}

/** Queues a run of the project unless one is still running; answers the new run's id, or null. */
export async function startBackfillRun(db: Queryable, companyId: string, forecastProjectId: number, since: string): Promise<string | null> {
  const run = await sqlOne<{ id: string }>(
    db,
    `INSERT INTO backfill_run (company_id, forecast_project_id, since)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM backfill_run WHERE company_id = $1 AND forecast_project_id = $2 AND status = 'running')
       RETURNING id`,
    [companyId, forecastProjectId, since],
  );
  return run?.id ?? null;
}

/** The company's runs (or the one of `runId`), newest first, at most 50. */
export async function listBackfillProgress(db: Queryable, companyId: string, runId?: string): Promise<BackfillProgressRow[]> {
  return sqlRows(
    db,
    `SELECT run.*, to_char(run.since, 'YYYY-MM-DD') AS since_date, extract(epoch FROM coalesce(run.finished_at, now()) - run.started_at) AS seconds,
              (SELECT count(*)::int FROM backfill_item item JOIN entity_link pair ON pair.company_id = run.company_id AND pair.kind = 'time-registration'
                 AND pair.forecast_id = item.forecast_registration_id AND pair.synced_hash IS NOT NULL
               WHERE item.run_id = run.id) AS done
       FROM backfill_run run WHERE run.company_id = $1 AND ($2::uuid IS NULL OR run.id = $2) ORDER BY run.requested_at DESC LIMIT 50`,
    [companyId, runId ?? null],
  );
}
