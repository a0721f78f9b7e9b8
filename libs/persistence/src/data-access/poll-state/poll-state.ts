import { Queryable, sqlExec, sqlOne, sqlRows } from '../sql';

/** timelog_poll_state: each company's TimeLog poll schedule, sweep cursor and outcome. */
export interface TimeLogPollStateRow {
  company_id: string;
  next_poll_at: Date;
  last_success_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
  window_date: string | null;
  next_page: number;
  sweep_started_at: Date | null;
  failures: number;
}

/** forecast_poll_cursor: where the Forecast safety-net poll of each resource resumes. */
export interface ForecastPollCursorRow {
  company_id: string;
  resource: string;
  cursor: Date;
}

/** Active companies without a schedule get one, their first poll spread over an interval so they never poll in step. */
export async function scheduleNewCompanies(db: Queryable): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO timelog_poll_state (company_id, next_poll_at)
     SELECT id, now() + random() * make_interval(mins => poll_interval_minutes) FROM company
     WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM timelog_poll_state s WHERE s.company_id = company.id)
     ON CONFLICT (company_id) DO NOTHING`,
  );
}

/** What a poll starts from: the company's interval and the state of its sweep. */
export type PollStateRow = Pick<TimeLogPollStateRow, 'next_page'> & {
  poll_interval_minutes: number;
  last_success_at: Date | null;
  failures: number | null;
  sweep_started_at: Date | null;
  window_date: string | null;
};

/** A `PollStateRow` from `company c` and `timelog_poll_state s`. */
const POLL_STATE_COLUMNS = `c.poll_interval_minutes, s.last_success_at, s.failures, s.sweep_started_at, to_char(s.window_date, 'YYYY-MM-DD') AS window_date, s.next_page`;

/**
 * Takes up to `limit` due companies for `leaseSeconds`, each with the state its poll starts from and the version of its
 * company row (one statement for the batch, not reads per company); SKIP LOCKED lets several instances share the work without waiting on each other.
 */
export async function claimDuePolls(db: Queryable, limit: number, leaseSeconds: number): Promise<(PollStateRow & { company_id: string; company_updated_at: Date })[]> {
  return sqlRows(
    db,
    `WITH due AS (
       SELECT s.company_id FROM timelog_poll_state s JOIN company c ON c.id = s.company_id
       WHERE c.status = 'active' AND s.next_poll_at <= now()
       ORDER BY s.next_poll_at LIMIT $1 FOR UPDATE OF s SKIP LOCKED)
     UPDATE timelog_poll_state s SET next_poll_at = now() + make_interval(secs => $2)
     FROM due, company c WHERE s.company_id = due.company_id AND c.id = s.company_id
     RETURNING s.company_id, c.updated_at AS company_updated_at, ${POLL_STATE_COLUMNS}`,
    [limit, leaseSeconds],
  );
}

/** False when no active company has this id. */
export async function requestPollNow(db: Queryable, companyId: string): Promise<boolean> {
  const rows = await sqlRows(
    db,
    `INSERT INTO timelog_poll_state (company_id, next_poll_at) SELECT id, now() FROM company WHERE id = $1 AND status = 'active'
     ON CONFLICT (company_id) DO UPDATE SET next_poll_at = now() RETURNING company_id`,
    [companyId],
  );
  return rows.length > 0;
}

/** The company's interval with its poll state (null columns before its first poll); null for an unknown company. */
export function loadPollState(
  db: Queryable,
  companyId: string,
): Promise<PollStateRow | null> {
  return sqlOne(
    db,
    `SELECT ${POLL_STATE_COLUMNS}
     FROM company c LEFT JOIN timelog_poll_state s ON s.company_id = c.id WHERE c.id = $1`,
    [companyId],
  );
}

/** The sweep's cursor, in the transaction of the page it follows; renews the lease. */
export async function checkpointPollSweep(db: Queryable, companyId: string, cursor: { startedAt: Date; day: string; page: number }, leaseSeconds: number): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO timelog_poll_state (company_id, sweep_started_at, window_date, next_page, next_poll_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
     ON CONFLICT (company_id) DO UPDATE SET sweep_started_at = EXCLUDED.sweep_started_at, window_date = EXCLUDED.window_date,
       next_page = EXCLUDED.next_page, next_poll_at = EXCLUDED.next_poll_at`,
    [companyId, cursor.startedAt, cursor.day, cursor.page, leaseSeconds],
  );
}

export async function recordPollSuccess(db: Queryable, companyId: string, attemptedAt: Date, sweepStartedAt: Date, nextPollInMs: number): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO timelog_poll_state (company_id, last_success_at, last_attempt_at, next_poll_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
     ON CONFLICT (company_id) DO UPDATE SET last_success_at = EXCLUDED.last_success_at, last_attempt_at = EXCLUDED.last_attempt_at,
       next_poll_at = EXCLUDED.next_poll_at, last_error = NULL, failures = 0, sweep_started_at = NULL, window_date = NULL, next_page = 1`,
    [companyId, sweepStartedAt, attemptedAt, nextPollInMs / 1000],
  );
}

/** Keeps the cursor, so the retry resumes where this attempt stopped. */
export async function recordPollFailure(db: Queryable, companyId: string, attemptedAt: Date, reason: string, retryInMs: number): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO timelog_poll_state (company_id, last_attempt_at, last_error, failures, next_poll_at) VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4))
     ON CONFLICT (company_id) DO UPDATE SET last_attempt_at = EXCLUDED.last_attempt_at, last_error = EXCLUDED.last_error,
       failures = timelog_poll_state.failures + 1, next_poll_at = EXCLUDED.next_poll_at`,
    [companyId, attemptedAt, reason, retryInMs / 1000],
  );
}

export function forecastPollCursors(db: Queryable, companyId: string): Promise<Pick<ForecastPollCursorRow, 'resource' | 'cursor'>[]> {
  return sqlRows(db, `SELECT resource, cursor FROM forecast_poll_cursor WHERE company_id = $1`, [companyId]);
}

export async function saveForecastPollCursor(db: Queryable, companyId: string, resource: string, cursor: Date): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO forecast_poll_cursor (company_id, resource, cursor) VALUES ($1, $2, $3)
     ON CONFLICT (company_id, resource) DO UPDATE SET cursor = EXCLUDED.cursor`,
    [companyId, resource, cursor],
  );
}
