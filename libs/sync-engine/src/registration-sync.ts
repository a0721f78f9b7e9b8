import { ForecastTimeRegistrationChangedV1, toWorkGuid, WorkGuid } from '@timelog-sync/contracts';
import { DesiredWork, echoOf, isSuperseded, judgeChange, park, planWorkForRegistration, SideVersion, siteLocalInstant, TimeEntryContent, timeEntryHash, Work } from '@timelog-sync/domain';
import type { EventContext } from '@timelog-sync/messaging';
import { syncMetrics } from '@timelog-sync/observability';
import { AuditEntry, resyncReason } from './audit-log';
import { classifyTimeLogRefusal, describeRefusal, parkReasonFor, PermanentSyncFailure, RefusalKind, TimeLogRefusal } from './timelog-refusal';
import { InsertWorkBatches } from './work-batches';
import { deleteRegistrationIfThere, deleteWorkIfThere, inSyncFrame, recordConflict, recordDeleted, recordSkip } from './sync-steps';
import { ensureAllocated } from './task-sync';
import type { SyncContext, SyncStorage, SyncTransaction, TimeLogPort, VendorConnections } from './ports';

const CLOSED_WEEK_RETRY_MS = 60 * 60_000;
const NOT_ALLOCATED_RETRY_MS = 5 * 60_000;
const UNKNOWN_EMPLOYEE_RETRY_MS = 15 * 60_000;
const CREATE_AWAITING_ID_RETRY_MS = 5_000;

export interface RegistrationSyncOptions {
  /** When a registration parked for a closed week is tried again (the week may have opened). */
  closedWeekRetryMs?: number;
  /** InsertWork batching per company (default: no added wait). */
  insertBatches?: InsertWorkBatches;
}
/** TimeLog refuses new work on a completed allocation (SetAllocationStatus); re-opening it lets the work in. */
const COMPLETED_ALLOCATION = /allocation .*(is )?complete/i;

export const toTimeLogWork = (work: DesiredWork): Work => ({
  guid: work.guid,
  taskId: work.taskId,
  employeeInitials: work.employeeInitials,
  startDateTime: `${work.date}T00:00:00`,
  minutes: work.minutes,
  description: work.description,
});

const workContent = (work: Work): TimeEntryContent => ({ date: work.startDateTime.slice(0, 10), minutes: work.minutes, note: work.description });

type Refused = { refused: TimeLogRefusal };
/** Written; `recovered` tells which refusal was worked around on the way (kept in the audit row). */
type Written = { ok: true; recovered?: string };
/** The work is in TimeLog already; `exists` is the version taken as last synced (null: none known). */
type AlreadyThere = { exists: TimeEntryContent | null; recovered?: string };

/** Forecast time registration -> TimeLog work: create, update, delete, exactly once. */
export class RegistrationSync<C extends SyncContext = EventContext> {
  private readonly batches: InsertWorkBatches;
  private readonly closedWeekRetryMs: number;

  constructor(
    private readonly storage: SyncStorage<C>,
    private readonly connections: VendorConnections,
    options: RegistrationSyncOptions = {},
  ) {
    this.batches = options.insertBatches ?? new InsertWorkBatches();
    this.closedWeekRetryMs = options.closedWeekRetryMs ?? CLOSED_WEEK_RETRY_MS;
  }

  handle(event: ForecastTimeRegistrationChangedV1, context: C): Promise<void> {
    const span = { name: 'sync time registration', attributes: { 'company.id': event.companyId, 'sync.source': event.source } };
    return inSyncFrame(this.storage, context, event, span, (store) => this.apply(event, store));
  }

  private async apply(event: ForecastTimeRegistrationChangedV1, store: SyncTransaction): Promise<void> {
    const { companyId, registrationId, registration } = event;
    const { pair, projectLink, userLink, taskPair, parked, createdFromTimeLog, createAwaitingId } = await store.registrationContext(companyId, registrationId, registration);
    const settle = (resolution: string) => (parked ? store.settle(companyId, resolution, event.observedAt) : Promise.resolve());
    const base = { companyId, direction: 'forecast-to-timelog' as const, entityKind: 'time-registration' as const, forecastId: registrationId };
    // Forecast's webhook for a registration we are still recording from TimeLog work: our own echo.
    const echo = echoOf('forecast', { paired: !!pair, syncedHash: null, hash: null, createInFlight: createdFromTimeLog });
    if (echo) return recordSkip(store, base, echo, null);
    if (pair && registration && isSuperseded(registration.updatedAt, pair.forecastUpdatedAt)) {
      // An old event (a parked one retried late): what it carries is older than what the pair already reflects.
      await store.audit({ ...base, timelogRef: pair.timelogRef, action: 'skipped', reason: `superseded: Forecast changed it at ${registration.updatedAt}, the pair reflects ${pair.forecastUpdatedAt}` });
      return;
    }
    const pairedProjectLevel = registration?.taskId === null && registration.nonProjectTimeId === null && pair?.timelogRef && !pair.forecastDeletedAt && !pair.timelogDeletedAt && userLink;
    const plan = planWorkForRegistration(registrationId, registration, {
      companyId,
      projectLink,
      userLink,
      pairedWorkTaskId: pairedProjectLevel ? await this.pairedWorkTask(companyId, userLink.timelogInitials, (pair.snapshot as TimeEntryContent | null)?.date ?? registration.date, toWorkGuid(pair.timelogRef!)) : null,
      timelogTaskId: taskPair?.timelogRef && !taskPair.deletedAt ? Number(taskPair.timelogRef) : null,
      pair: pair ? { timelogRef: pair.timelogRef, syncedHash: pair.syncedHash, snapshot: pair.snapshot as TimeEntryContent | null, forecastDeleted: !!pair.forecastDeletedAt, timelogDeleted: !!pair.timelogDeletedAt } : null,
      createAwaitingId,
    });

    if (plan.kind === 'park') {
      // The create's sync releases it when it records the id; the retry time covers a release that ran first.
      await store.park(event, plan, plan.reasonCode === 'create-in-flight' ? CREATE_AWAITING_ID_RETRY_MS : null);
      await store.audit({ ...base, action: 'parked', reason: plan.reason, after: registration });
      return;
    }
    if (plan.kind === 'skip') {
      await settle('superseded');
      return recordSkip(store, { ...base, timelogRef: pair?.timelogRef ?? null }, plan, !registration && pair && !pair.forecastDeletedAt ? { pairId: pair.id, side: 'forecast' } : null);
    }
    const { timelog, forecast } = await this.connections.get(companyId);
    const deleteRegistration = async (reason: string) => {
      // The TimeLog side's deletion wins: the registration goes too, and the pair records both sides deleted.
      await deleteRegistrationIfThere(forecast, registrationId);
      await settle('applied');
      await recordDeleted(store, pair?.id ?? null, { ...base, timelogRef: pair?.timelogRef ?? null, reason, before: registration });
    };
    if (plan.kind === 'delete-registration') return deleteRegistration(plan.reason);
    if (plan.kind === 'delete-work') {
      const refusal = await deleteWorkIfThere(timelog, plan.workGuid);
      if (refusal) return this.refused(store, event, refusal, base);
      await settle('applied');
      return recordDeleted(store, pair?.id ?? null, { ...base, timelogRef: plan.workGuid, before: pair?.snapshot ?? null });
    }

    const work = toTimeLogWork(plan.work);
    await store.lockPair(companyId, plan.work.guid);
    if (plan.kind === 'insert-work') await this.storage.intents.beginWorkCreate(companyId, plan.work.guid, registrationId);
    let before: TimeEntryContent | null = pair?.snapshot as TimeEntryContent | null;
    // An update, or an insert that finds the work there already (an earlier attempt wrote it, then died before its
    // commit; someone may have edited it since): judge against what TimeLog holds now before overwriting it.
    const first = plan.kind === 'insert-work' ? await this.insert(companyId, timelog, work, plan.work) : ({ exists: plan.previous } as AlreadyThere);
    let outcome: Written | Refused;
    if ('exists' in first) {
      const current = await this.currentWork(timelog, plan.work.employeeInitials, first.exists?.date ?? plan.work.date, plan.work.guid);
      const judgement = judgeChange(
        { side: 'forecast', content: plan.content, modifiedAt: registration?.updatedAt ?? null },
        current ? await this.timelogVersion(timelog, current, first.exists, plan.hash) : null,
        first.exists,
      );
      if (judgement.kind === 'conflict') {
        await recordConflict(store, { ...base, timelogRef: plan.work.guid }, judgement);
        if (judgement.winner === 'timelog') {
          // The TimeLog edit came after this Forecast change (it landed while our earlier attempt was dying): it
          // stays, and goes to Forecast so both sides end equal.
          const kept = judgement.winnerVersion.content;
          const written = await forecast.updateTimeRegistration(registrationId, { minutes: kept.minutes, date: kept.date, notes: kept.note });
          await settle('applied');
          return store.recordRegistrationWritten({
            companyId, registrationId, workGuid: plan.work.guid, hash: timeEntryHash(kept), content: kept, before: plan.content,
            forecastUpdatedAt: written.updatedAt, action: 'updated', reason: 'the later TimeLog edit was kept and written to Forecast',
          });
        }
      }
      before = current ? workContent(current) : before;
      outcome = await this.write(companyId, timelog, 'update', work);
      if (first.recovered && !('refused' in outcome)) outcome = { ok: true, recovered: first.recovered };
    } else {
      outcome = first;
    }
    if ('refused' in outcome) {
      if (plan.kind === 'update-work' && classifyTimeLogRefusal(outcome.refused) === 'not-found') {
        syncMetrics.conflicts.inc({ winner: 'timelog' });
        return deleteRegistration(`the work was deleted in TimeLog (${describeRefusal(outcome.refused)}); the deletion wins over a later Forecast edit`);
      }
      return this.refused(store, event, outcome.refused, base);
    }

    await settle('applied');
    await store.recordRegistrationWritten({
      companyId, registrationId, workGuid: plan.work.guid, hash: plan.hash, content: plan.content, before,
      forecastUpdatedAt: registration?.updatedAt ?? null, action: plan.kind === 'insert-work' ? 'created' : 'updated', reason: outcome.recovered ?? resyncReason(event.source),
    });
  }

  /**
   * InsertWork with the deterministic GUID. "Already exists" means an earlier attempt got through: the caller
   * updates it instead, taking what that attempt wrote (this content) as the last synced version.
   */
  private async insert(companyId: string, timelog: TimeLogPort, work: Work, desired: DesiredWork): Promise<Written | Refused | AlreadyThere> {
    const first = await this.write(companyId, timelog, 'insert', work);
    if (!('refused' in first)) return first;
    const kind = classifyTimeLogRefusal(first.refused);
    const recovered = (how: string) => (outcome: Written | Refused) => ('refused' in outcome ? outcome : { ok: true as const, recovered: `${describeRefusal(first.refused)}; ${how}` });
    if (kind === 'already-exists') return { exists: workContent(work), recovered: `${describeRefusal(first.refused)}; updated instead` };
    if (kind === 'not-allocated' || COMPLETED_ALLOCATION.test(first.refused.message)) {
      // The person was linked after the task synced, or their allocation was completed while unlinked (an unassign
      // then a re-assign): allocate or re-open now, then insert once more.
      const link = await this.employeeId(timelog, desired.employeeInitials);
      await ensureAllocated(timelog, desired.employeeInitials, link, desired.taskId);
      return this.write(companyId, timelog, 'insert', work).then(recovered('allocated, then inserted'));
    }
    return first;
  }

  /** Inserts go through the company's batch (refusals of a whole batch are pinned on their item there). */
  private async write(companyId: string, timelog: TimeLogPort, mode: 'insert' | 'update', work: Work): Promise<Written | Refused> {
    const result = mode === 'insert' ? await this.batches.insert(companyId, timelog, work) : (await timelog.updateWork([work]))[0];
    if (!result) throw new PermanentSyncFailure(`TimeLog answered ${mode} of work ${work.guid} with no item`);
    return result.ok ? { ok: true } : { refused: result };
  }

  /** The TimeLog task of the work a project-level registration was made from (TimeLog-only tasks have no pair). */
  private async pairedWorkTask(companyId: string, initials: string, date: string, guid: WorkGuid): Promise<number | null> {
    const { timelog } = await this.connections.get(companyId);
    return (await this.currentWork(timelog, initials, date, guid))?.taskId ?? null;
  }

  private async employeeId(timelog: TimeLogPort, initials: string): Promise<number | null> {
    const users = await timelog.getEmployeesRaw();
    return users.find((user) => user.initials.toLowerCase() === initials.toLowerCase())?.employeeId ?? null;
  }

  /**
   * TimeLog's side for the conflict rule. The work's own read carries no modification time; when it moved away from
   * both the last synced version and what we write now (only then does the rule compare times), the Reporting API's
   * LastModifiedAt (site-local) tells when, so a TimeLog edit made after the Forecast change (while an earlier attempt
   * was dying) is not taken for an older one.
   */
  private async timelogVersion(timelog: TimeLogPort, current: Work, lastSynced: TimeEntryContent | null, writingHash: string): Promise<SideVersion> {
    const content = workContent(current);
    const hash = timeEntryHash(content);
    if (!lastSynced || hash === timeEntryHash(lastSynced) || hash === writingHash) return { side: 'timelog', content, modifiedAt: null };
    const units = await timelog.getWorkUnitsRaw({ taskId: current.taskId, from: content.date, to: content.date });
    const unit = units.find((candidate) => candidate.timeRegistrationGuid === current.guid || candidate.workUnitGuid === current.guid);
    const modifiedAt = unit?.lastModifiedAt ? siteLocalInstant(unit.lastModifiedAt, (await timelog.siteUtcOffsetMinutes()) ?? 0) : null;
    return { side: 'timelog', content, modifiedAt };
  }

  private async currentWork(timelog: TimeLogPort, initials: string, date: string, guid: WorkGuid): Promise<Work | null> {
    const works = await timelog.getEmployeeWork(initials, date, date);
    return works.find((work) => work.guid === guid) ?? null;
  }

  /**
   * A closed week or a missing allocation waits for time to pass; initials TimeLog does not know (renamed or left)
   * wait for the person's link to be corrected, and are retried now and then. Anything else is dead-lettered.
   */
  private async refused(store: SyncTransaction, event: ForecastTimeRegistrationChangedV1, refusal: TimeLogRefusal, base: Omit<AuditEntry, 'action'>) {
    const kind = classifyTimeLogRefusal(refusal);
    const retries: Partial<Record<RefusalKind, number>> = { 'closed-week': this.closedWeekRetryMs, 'not-allocated': NOT_ALLOCATED_RETRY_MS, 'unknown-employee': UNKNOWN_EMPLOYEE_RETRY_MS };
    const retryAfterMs = retries[kind];
    if (retryAfterMs === undefined) throw new PermanentSyncFailure(`${describeRefusal(refusal)} (registration ${event.registrationId})`);
    const personId = event.registration?.personId;
    const decision = park(parkReasonFor(kind), describeRefusal(refusal), kind === 'unknown-employee' && personId ? `user:${personId}` : null);
    await store.park(event, decision, retryAfterMs);
    await store.audit({ ...base, action: 'parked', reason: decision.reason });
  }
}
