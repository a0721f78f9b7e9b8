import { DataSource } from 'typeorm';
import { describeFailure, WorkChange } from '@timelog-sync/domain';
import type { CompanyConnections } from '@timelog-sync/company-directory';
import type { TimeLogClient } from '@timelog-sync/timelog-client';
import { enqueueEvents, eventProblem, setAsideUnpublishable } from '@timelog-sync/persistence';
import { currentTraceparent, runWithCompany, scrubSecrets, syncMetrics, withSpan } from '@timelog-sync/observability';
import { changeLogDays, nextPollDelayMs, retryDelayMs } from './poll-timing';
import { ClaimedPoll, PollStates, SweepCursor } from './poll-state';
import { ChangeRow, changeRowOf, UpsertedRow } from './work-change-rows';
import { markSeen, unseenRows } from './work-change-seen';
import { readEmployeeWork } from '@timelog-sync/timelog-client';
import { pageEvents } from './work-change-events';
import { ownCreations, withoutEchoes } from './work-echoes';

/** TimeLog's maximum for paged PM operations. */
const PAGE_SIZE = 500;

export type PollOutcome = { ok: true; emitted: number } | { ok: false; error: string };

/**
 * One company's poll of TimeLog's work change log: every day window since the last complete sweep, page by page.
 * Each page commits its events, its dedupe rows and the cursor in one transaction, so a poll that dies part-way
 * resumes at the cursor, and whatever it re-reads is recognised as seen and emits nothing twice.
 */
export class ChangeLogPoll {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: Pick<CompanyConnections, 'get'>,
    private readonly states: PollStates,
  ) {}

  /**
   * Never throws: a failure is recorded on the company and retried with backoff, and other companies carry on.
   * `claimed` is what its claim returned (the state is read here when absent).
   */
  async pollCompany(companyId: string, claimed?: Omit<ClaimedPoll, 'companyId'>): Promise<PollOutcome> {
    return runWithCompany(companyId, () =>
      withSpan('timelog change-log poll', { attributes: { 'company.id': companyId } }, async () => {
        const attemptedAt = new Date();
        const state = claimed?.state ?? (await this.states.load(companyId));
        if (!state) return { ok: false, error: `unknown company ${companyId}` };
        const stopTimer = syncMetrics.pollDuration.startTimer({ vendor: 'timelog' });
        try {
          const { timelog } = await this.connections.get(companyId, claimed && { updatedAt: claimed.companyUpdatedAt });
          const cursor = state.cursor ?? { startedAt: attemptedAt, day: '', page: 1 };
          let emitted = 0;
          for (const day of changeLogDays(state.lastSuccessAt, attemptedAt, await timelog.siteUtcOffsetMinutes())) {
            if (day < cursor.day) continue;
            emitted += await this.readDay(companyId, timelog, { ...cursor, day, page: day === cursor.day ? cursor.page : 1 });
          }
          await this.states.recordSuccess(companyId, attemptedAt, cursor.startedAt, nextPollDelayMs(state.pollIntervalMinutes));
          stopTimer({ outcome: 'success' });
          return { ok: true, emitted };
        } catch (error) {
          const reason = scrubSecrets(describeFailure(error));
          await this.states.recordFailure(companyId, attemptedAt, reason, retryDelayMs(state.consecutiveFailures + 1, state.pollIntervalMinutes));
          stopTimer({ outcome: 'failure' });
          return { ok: false, error: reason };
        }
      }),
    );
  }

  private async readDay(companyId: string, timelog: TimeLogClient, start: SweepCursor): Promise<number> {
    let emitted = 0;
    for (let page = start.page; ; page += 1) {
      const { items } = await timelog.getWorkChangeLogPaged({ from: start.day, to: start.day, page, pageSize: PAGE_SIZE });
      if (items.length === 0) return emitted;
      const full = items.length === PAGE_SIZE;
      // A partial page can still grow (new changes are appended), so a resumed sweep reads it again.
      emitted += await this.commitPage(companyId, timelog, items, { ...start, page: full ? page + 1 : page });
      if (!full) return emitted;
    }
  }

  private async commitPage(companyId: string, timelog: TimeLogClient, items: WorkChange[], next: SweepCursor): Promise<number> {
    const rows = items.map((item) => changeRowOf(item, next.day)).filter((row): row is ChangeRow => row !== null);
    const read = await unseenRows(this.dataSource, companyId, rows);
    const own = ownCreations(read);
    const unseen = read.map(({ row }) => row);
    const upserted = unseen.filter((row): row is UpsertedRow => row.kind === 'upserted' && !own.has(row));
    const details = await readEmployeeWork(
      timelog,
      upserted.map((row) => ({ initials: row.employeeInitials, from: row.date, to: row.date })),
      new Set(upserted.map((row) => row.guid)),
    );
    const traceparent = currentTraceparent();
    return this.dataSource.transaction(async (manager) => {
      const { fresh, pairs } = await markSeen(manager, companyId, unseen);
      // An own creation has no details read, so it makes no event; it is audited with the echoes.
      const ownEchoes = fresh.flatMap((row) => own.get(row) ?? []);
      const events = await withoutEchoes(manager, companyId, pageEvents(companyId, fresh, details, traceparent), pairs, ownEchoes);
      // A work unit its contract refuses (e.g. minutes out of range) is set aside with the reason; the page goes on.
      const valid = [];
      for (const event of events) {
        const problem = eventProblem(event);
        if (!problem) valid.push(event);
        else {
          await setAsideUnpublishable(manager, {
            producer: 'timelog-poller', ref: `change-log:${next.day}`, companyId, topic: event.topic, key: event.key,
            value: JSON.stringify(event.value), headers: { 'tenant-id': companyId }, causeCode: 'invalid-message', cause: `TimeLog work refused by its contract: ${problem}`,
          });
        }
      }
      await enqueueEvents(manager, valid);
      await this.states.checkpoint(manager, companyId, next);
      return valid.length;
    });
  }
}
