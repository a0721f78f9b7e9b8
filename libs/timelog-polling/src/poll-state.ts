import { DataSource, EntityManager } from 'typeorm';
import { checkpointPollSweep, claimDuePolls, loadPollState, PollStateRow, recordPollFailure, recordPollSuccess, requestPollNow, scheduleNewCompanies } from '@timelog-sync/persistence';

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

/** A claimed company: the state its poll starts from, and the version (`updated_at`) of its row at the claim. */
export interface ClaimedPoll {
  companyId: string;
  state: CompanyPollState;
  companyUpdatedAt: Date;
}

const stateOf = (row: PollStateRow): CompanyPollState => ({
  pollIntervalMinutes: row.poll_interval_minutes,
  lastSuccessAt: row.last_success_at ?? null,
  consecutiveFailures: row.failures ?? 0,
  cursor: row.sweep_started_at && row.window_date ? { startedAt: row.sweep_started_at, day: row.window_date, page: row.next_page } : null,
});

/** A claimed company is leased; if its poller dies, the lease runs out and another instance takes it over. */
const LEASE_SECONDS = 600;

/** `timelog_poll_state`: each company's schedule, cursor and outcome, shared by every poller instance. */
export class PollStates {
  constructor(private readonly dataSource: DataSource) {}

  /** Active companies without a schedule get one, their first poll spread over an interval so they never poll in step. */
  scheduleNewCompanies(): Promise<void> {
    return scheduleNewCompanies(this.dataSource);
  }

  /** Takes up to `limit` due (active) companies; SKIP LOCKED lets several instances share the work without waiting on each other. */
  async claimDue(limit: number): Promise<ClaimedPoll[]> {
    return (await claimDuePolls(this.dataSource, limit, LEASE_SECONDS)).map((row) => ({ companyId: row.company_id, state: stateOf(row), companyUpdatedAt: row.company_updated_at }));
  }

  /** False when no active company has this id. */
  requestPollNow(companyId: string): Promise<boolean> {
    return requestPollNow(this.dataSource, companyId);
  }

  /** Null for an unknown company. */
  async load(companyId: string): Promise<CompanyPollState | null> {
    const row = await loadPollState(this.dataSource, companyId);
    return row && stateOf(row);
  }

  /** In the transaction of the page's events and seen rows: the cursor moves if and only if they commit. Renews the lease. */
  checkpoint(manager: EntityManager, companyId: string, cursor: SweepCursor): Promise<void> {
    return checkpointPollSweep(manager, companyId, cursor, LEASE_SECONDS);
  }

  /** The sweep's start becomes the success time: every change before it has been read. */
  recordSuccess(companyId: string, attemptedAt: Date, sweepStartedAt: Date, nextPollInMs: number): Promise<void> {
    return recordPollSuccess(this.dataSource, companyId, attemptedAt, sweepStartedAt, nextPollInMs);
  }

  /** Keeps the cursor, so the retry resumes where this attempt stopped. */
  recordFailure(companyId: string, attemptedAt: Date, reason: string, retryInMs: number): Promise<void> {
    return recordPollFailure(this.dataSource, companyId, attemptedAt, reason, retryInMs);
  }
}
