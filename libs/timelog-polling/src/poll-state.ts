import { DataSource, EntityManager } from 'typeorm';

/** Where an interrupted sweep resumes: the day being read and its next page, plus when the sweep began. */
export interface SweepCursor {
  startedAt: Date;
  day: string;
  page: number;
}

export interface CompanyPollState {
  pollIntervalMinutes: number;
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  /** Set while a sweep is part-way; null when the next poll starts a new sweep. */
  cursor: SweepCursor | null;
}

/** A claimed company is leased; if its poller dies, the lease runs out and another instance takes it over. */
const LEASE_SECONDS = 600;

/** `timelog_poll_state`: each company's schedule, cursor and outcome, shared by every poller instance. */
export class PollStates {
  constructor(private readonly dataSource: DataSource) {}

  /** Active companies without a schedule get one, their first poll spread over an interval so they never poll in step. */
  async scheduleNewCompanies(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO timelog_poll_state (company_id, next_poll_at)
       SELECT id, now() + random() * make_interval(mins => poll_interval_minutes) FROM company
       WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM timelog_poll_state s WHERE s.company_id = company.id)
       ON CONFLICT (company_id) DO NOTHING`,
    );
  }

  /** Takes up to `limit` due companies; SKIP LOCKED lets several instances share the work without waiting on each other. */
  async claimDue(limit: number): Promise<string[]> {
    const rows: { company_id: string }[] = await this.dataSource.query(
      // As a CTE so the driver answers rows: TypeORM wraps a bare UPDATE's result as [rows, count].
      `WITH claimed AS (
         UPDATE timelog_poll_state SET next_poll_at = now() + make_interval(secs => $2)
         WHERE company_id IN (
           SELECT s.company_id FROM timelog_poll_state s JOIN company c ON c.id = s.company_id
           WHERE c.status = 'active' AND s.next_poll_at <= now()
           ORDER BY s.next_poll_at LIMIT $1 FOR UPDATE OF s SKIP LOCKED)
         RETURNING company_id)
       SELECT company_id FROM claimed`,
      [limit, LEASE_SECONDS],
    );
    return rows.map((row) => row.company_id);
  }

  /** False when no active company has this id. */
  async requestPollNow(companyId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO timelog_poll_state (company_id, next_poll_at) SELECT id, now() FROM company WHERE id = $1 AND status = 'active'
       ON CONFLICT (company_id) DO UPDATE SET next_poll_at = now() RETURNING company_id`,
      [companyId],
    );
    return rows.length > 0;
  }

  /** Null for an unknown company. */
  async load(companyId: string): Promise<CompanyPollState | null> {
    const [row] = await this.dataSource.query(
      `SELECT c.poll_interval_minutes, s.last_success_at, s.failures, s.sweep_started_at, to_char(s.window_date, 'YYYY-MM-DD') AS window_date, s.next_page
       FROM company c LEFT JOIN timelog_poll_state s ON s.company_id = c.id WHERE c.id = $1`,
      [companyId],
    );
    if (!row) return null;
    return {
      pollIntervalMinutes: row.poll_interval_minutes,
      lastSuccessAt: row.last_success_at ?? null,
      consecutiveFailures: row.failures ?? 0,
      cursor: row.sweep_started_at && row.window_date ? { startedAt: row.sweep_started_at, day: row.window_date, page: row.next_page } : null,
    };
  }

  /** In the transaction of the page's events and seen rows: the cursor moves if and only if they commit. Renews the lease. */
  async checkpoint(manager: EntityManager, companyId: string, cursor: SweepCursor): Promise<void> {
    await manager.query(
      `INSERT INTO timelog_poll_state (company_id, sweep_started_at, window_date, next_page, next_poll_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       ON CONFLICT (company_id) DO UPDATE SET sweep_started_at = EXCLUDED.sweep_started_at, window_date = EXCLUDED.window_date,
         next_page = EXCLUDED.next_page, next_poll_at = EXCLUDED.next_poll_at`,
      [companyId, cursor.startedAt, cursor.day, cursor.page, LEASE_SECONDS],
    );
  }

  /** The sweep's start becomes the success time: every change before it has been read. */
  async recordSuccess(companyId: string, attemptedAt: Date, sweepStartedAt: Date, nextPollInMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO timelog_poll_state (company_id, last_success_at, last_attempt_at, next_poll_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (company_id) DO UPDATE SET last_success_at = EXCLUDED.last_success_at, last_attempt_at = EXCLUDED.last_attempt_at,
         next_poll_at = EXCLUDED.next_poll_at, last_error = NULL, failures = 0, sweep_started_at = NULL, window_date = NULL, next_page = 1`,
      [companyId, sweepStartedAt, attemptedAt, nextPollInMs / 1000],
    );
  }

  /** Keeps the cursor, so the retry resumes where this attempt stopped. */
  async recordFailure(companyId: string, attemptedAt: Date, reason: string, retryInMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO timelog_poll_state (company_id, last_attempt_at, last_error, failures, next_poll_at) VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4))
       ON CONFLICT (company_id) DO UPDATE SET last_attempt_at = EXCLUDED.last_attempt_at, last_error = EXCLUDED.last_error,
         failures = timelog_poll_state.failures + 1, next_poll_at = EXCLUDED.next_poll_at`,
      [companyId, attemptedAt, reason, retryInMs / 1000],
    );
  }
}
