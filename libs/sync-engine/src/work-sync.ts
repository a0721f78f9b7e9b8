import { LRUCache } from 'lru-cache';
import { TimelogWorkChangedV1, toWorkGuid, WorkGuid } from '@timelog-sync/contracts';
import { createAwaitingIdWaitingFor, echoOf, ExternalCallError, isSuperseded, judgeChange, park, planRegistrationForWork, RegistrationTarget, siteLocalInstant, TimeEntryContent, timeEntryHash, TimeRegistration, timeRegistrationContent } from '@timelog-sync/domain';
import type { EventContext } from '@timelog-sync/messaging';
import { syncMetrics } from '@timelog-sync/observability';
import { resyncReason } from './audit-log';
import { deleteRegistrationIfThere, deleteWorkIfThere, inSyncFrame, recordConflict, recordDeleted, recordSkip, registrationIfThere } from './sync-steps';
import { describeRefusal, PermanentSyncFailure } from './timelog-refusal';
import type { ForecastPort, SyncContext, SyncStorage, SyncTransaction, VendorConnection, VendorConnections } from './ports';

/** The Forecast custom field (TIME_REG) that keeps the TimeLog GUID of registrations we create. */
export const WORK_GUID_FIELD = 'timelog_work_guid';
const FORECAST_REFUSAL_RETRY_MS = 60 * 60_000;
/** Tasks whose project this writer remembers (a task stays in its project); bounded, as one writer serves every company. */
const REMEMBERED_TASK_PROJECTS = 50_000;

/** The work GUID a registration we created carries in its custom field (people can edit it: any case). */
const markedGuid = (registration: TimeRegistration): WorkGuid | null => {
  const marked = registration.customFields?.[WORK_GUID_FIELD];
  return marked ? toWorkGuid(marked) : null;
};
const isForecastRefusal = (error: unknown): error is ExternalCallError => error instanceof ExternalCallError && error.code === '400';

/** TimeLog work -> Forecast time registration: create, update, delete, exactly once, never echoing our own writes. */
export class WorkSync<C extends SyncContext = EventContext> {
  private readonly projectOfTimeLogTask = new LRUCache<string, { projectId: number | null }>({ max: REMEMBERED_TASK_PROJECTS });

  constructor(
    private readonly storage: SyncStorage<C>,
    private readonly connections: VendorConnections,
  ) {}

  handle(event: TimelogWorkChangedV1, context: C): Promise<void> {
    const span = { name: 'sync work', attributes: { 'company.id': event.companyId, 'sync.source': event.source } };
    return inSyncFrame(this.storage, context, event, span, async (store) => {
      try {
        await this.apply(event, store);
      } catch (error) {
        if (!isForecastRefusal(error)) throw error;
        // Locked or approved registrations and Forecast's validation rules: wait with the message, retry later.
        const decision = park('forecast-validation', `Forecast refused: ${error.message}`, null);
        await store.park(event, decision, FORECAST_REFUSAL_RETRY_MS);
        await store.audit({ companyId: event.companyId, direction: 'timelog-to-forecast', entityKind: 'time-registration', timelogRef: event.workGuid, action: 'parked', reason: decision.reason });
      }
    });
  }

  private async apply(event: TimelogWorkChangedV1, store: SyncTransaction): Promise<void> {
    const { companyId, workGuid, work } = event;
    await store.lockPair(companyId, workGuid);
    const pair = await store.pairByTimeLogRef(companyId, 'time-registration', workGuid);
    const base = { companyId, direction: 'timelog-to-forecast' as const, entityKind: 'time-registration' as const, timelogRef: workGuid, forecastId: pair?.forecastId ?? null };
    if (pair && isSuperseded(event.observedAt, pair.timelogChangedAt)) {
      // An old event (a parked one retried late): the pair already reflects a newer TimeLog state.
      await store.audit({ ...base, action: 'skipped', reason: `superseded: observed in TimeLog at ${event.observedAt}, the pair reflects ${pair.timelogChangedAt?.toISOString()}` });
      return;
    }
    const settle = (resolution: string) => store.settle(companyId, resolution, event.observedAt);
    const forecastPersonId = work ? await store.linkedPerson(companyId, work.employeeInitials) : null;
    // The target only matters for a create by a linked person: most polled work of unlinked people costs no TimeLog call.
    const connection = work && !pair?.forecastId && forecastPersonId !== null ? await this.connections.get(companyId) : null;
    const plan = planRegistrationForWork(work, {
      forecastPersonId,
      target: work && connection ? await this.targetOf(store, connection, work.taskId) : null,
      pair: pair
        ? { forecastId: pair.forecastId, timelogRef: pair.timelogRef, syncedHash: pair.syncedHash, snapshot: pair.snapshot as TimeEntryContent | null, forecastDeleted: !!pair.forecastDeletedAt, timelogDeleted: !!pair.timelogDeletedAt }
        : null,
    });
    if (plan.kind === 'skip') {
      await settle('superseded');
      return recordSkip(store, base, plan, !work && pair && !pair.timelogDeletedAt ? { pairId: pair.id, side: 'timelog' } : null);
    }
    const { forecast, timelog } = connection ?? (await this.connections.get(companyId));
    const deleteWork = async (reason: string) => {
      // The Forecast side's deletion wins: the work goes too, and the pair records both sides deleted.
      const refusal = await deleteWorkIfThere(timelog, workGuid);
      if (refusal) throw new PermanentSyncFailure(`Deleting work ${workGuid}: ${describeRefusal(refusal)}`);
      await settle('applied');
      await recordDeleted(store, pair!.id, { ...base, reason, before: work });
    };
    if (plan.kind === 'delete-work') return deleteWork(plan.reason);
    if (plan.kind === 'delete-registration') {
      await deleteRegistrationIfThere(forecast, plan.forecastId);
      await settle('applied');
      return recordDeleted(store, pair!.id, { ...base, before: pair?.snapshot ?? null });
    }
    if (plan.kind === 'update-registration') {
      const current = await registrationIfThere(forecast, plan.forecastId);
      if (!current) {
        await store.markPairDeleted(pair!.id, { forecast: true });
        return deleteWork('the registration was deleted in Forecast; the deletion wins over a later TimeLog edit');
      }
      const outcome = await this.bringToTimeLogContent(store, event, { forecastId: plan.forecastId, content: plan.content, previous: plan.previous, current }, { forecast, timelog }, settle);
      // A conflict Forecast won is audited as such.
      if (outcome === 'forecast-won') return;
      await store.audit({ ...base, action: outcome === 'already-equal' ? 'unchanged' : 'updated', reason: resyncReason(event.source), before: plan.previous, after: plan.content });
      return;
    }
    // Polled work that a Forecast registration's sync wrote and has not recorded yet: our own echo.
    const echo = echoOf('timelog', { paired: false, syncedHash: null, hash: plan.hash, createInFlight: await store.workIntentFromForecast(companyId, workGuid) });
    if (echo) {
      // Like every other echo: counted, and whatever of this work waits parked is settled by it.
      await settle('superseded');
      syncMetrics.echoDrops.inc({ direction: 'timelog-to-forecast' });
      await store.audit({ ...base, action: 'echo-dropped', reason: echo.reason });
      return;
    }
    const { registration, sentBefore } = await this.createOnce(companyId, workGuid, plan.personId, plan.target, plan.content, connection!);
    let after = plan.content;
    await store.completeIntent(companyId, workGuid);
    // A registration event that came before the id was recorded waits parked: with the pair recorded it is an echo.
    await store.requeue(companyId, createAwaitingIdWaitingFor(workGuid));
    if (sentBefore) {
      // An earlier attempt made it. Holding what one of our attempts sent, it is ours to bring to this content; holding
      // anything else, a person edited it since, and that edit is judged against the work's like any edit of both sides.
      const held = timeRegistrationContent(registration);
      const previous = sentBefore.find((sent) => timeEntryHash(sent) === timeEntryHash(held)) ?? sentBefore[0] ?? null;
      const outcome = await this.bringToTimeLogContent(store, event, { forecastId: registration.id, content: plan.content, previous, current: registration }, { forecast, timelog }, settle);
      // Both sides end at the person's edit, and so does the record of the create.
      if (outcome === 'forecast-won') after = held;
    } else {
      await settle('applied');
      await this.recordSynced(store, companyId, workGuid, registration.id, plan.content, event.observedAt, registration.updatedAt);
    }
    await store.audit({ ...base, forecastId: registration.id, action: 'created', reason: resyncReason(event.source), after });
  }

  /**
   * The registration `current` against the work's `content`, `previous` being what both last held: the later of two
   * edits wins (a Forecast edit goes to TimeLog), otherwise the registration takes the work's content; the pair
   * records the outcome, which is returned.
   */
  private async bringToTimeLogContent(
    store: SyncTransaction,
    event: TimelogWorkChangedV1,
    { forecastId, content, previous, current }: { forecastId: number; content: TimeEntryContent; previous: TimeEntryContent | null; current: TimeRegistration },
    { forecast, timelog }: Pick<VendorConnection, 'forecast' | 'timelog'>,
    settle: (resolution: string) => Promise<void>,
  ): Promise<'forecast-won' | 'already-equal' | 'written'> {
    const { companyId, workGuid, work } = event;
    const base = { companyId, direction: 'timelog-to-forecast' as const, entityKind: 'time-registration' as const, timelogRef: workGuid, forecastId };
    const judgement = judgeChange(
      { side: 'timelog', content, modifiedAt: siteLocalInstant(event.actionDate, (await timelog.siteUtcOffsetMinutes()) ?? 0) ?? event.observedAt },
      { side: 'forecast', content: timeRegistrationContent(current), modifiedAt: current.updatedAt },
      previous,
    );
    if (judgement.kind === 'conflict') {
      await recordConflict(store, base, judgement);
      if (judgement.winner === 'forecast') {
        // Forecast's later edit goes to TimeLog so both sides end equal.
        const winner = judgement.winnerVersion.content;
        const [result] = await timelog.updateWork([{ guid: workGuid, taskId: work!.taskId, employeeInitials: work!.employeeInitials, startDateTime: `${winner.date}T00:00:00`, minutes: winner.minutes, description: winner.note }]);
        if (result && !result.ok) throw new PermanentSyncFailure(`TimeLog refused the conflict winner for ${workGuid}: ${result.message}`);
        await settle('applied');
        await this.recordSynced(store, companyId, workGuid, forecastId, winner, new Date(), current.updatedAt);
        return 'forecast-won';
      }
    }
    const written = judgement.kind === 'already-equal' ? current : await forecast.updateTimeRegistration(forecastId, { minutes: content.minutes, date: content.date, notes: content.note });
    await settle('applied');
    await this.recordSynced(store, companyId, workGuid, forecastId, content, event.observedAt, written.updatedAt);
    return judgement.kind === 'already-equal' ? 'already-equal' : 'written';
  }

  /**
   * The intent row commits before the Forecast call, with what this attempt sends. If earlier attempts left it, one of
   * them may have created the registration and died before its commit: take that one (by the id the intent got, the
   * GUID we store on it, or the content one of the attempts sent) instead of creating a second, and return it with
   * what those attempts sent (`sentBefore`; null for a registration this attempt created), for the caller to judge.
   */
  private async createOnce(
    companyId: string,
    workGuid: WorkGuid,
    personId: number,
    target: RegistrationTarget,
    content: TimeEntryContent,
    { forecast }: VendorConnection,
  ): Promise<{ registration: TimeRegistration; sentBefore: TimeEntryContent[] | null }> {
    const earlierAttempts = await this.storage.intents.beginForecastCreate(companyId, workGuid, content);
    if (earlierAttempts) {
      const sentBefore = earlierAttempts.attempts;
      const earlier = await this.findEarlierCreate(forecast, workGuid, personId, target, earlierAttempts.forecastRegistrationId, [content, ...sentBefore]);
      if (earlier) {
        await this.storage.intents.attachForecastRegistration(companyId, workGuid, earlier.id);
        return { registration: earlier, sentBefore };
      }
    }
    const created = await forecast.createTimeRegistration({
      personId,
      target: target.kind === 'task' ? { kind: 'task', taskId: target.forecastTaskId } : { kind: 'project', projectId: target.forecastProjectId },
      minutes: content.minutes,
      date: content.date,
      notes: content.note,
    });
    await this.storage.intents.attachForecastRegistration(companyId, workGuid, created.id);
    // Best effort: the marker needs the custom field defined in Forecast; without it recovery matches by content.
    await forecast.setTimeRegistrationCustomFields(created.id, { [WORK_GUID_FIELD]: workGuid }).catch(() => undefined);
    return { registration: created, sentBefore: null };
  }

  private async findEarlierCreate(
    forecast: ForecastPort,
    workGuid: WorkGuid,
    personId: number,
    target: RegistrationTarget,
    knownId: number | null,
    attempted: TimeEntryContent[],
  ): Promise<TimeRegistration | null> {
    if (knownId !== null) {
      const known = await registrationIfThere(forecast, knownId);
      if (known) return known;
    }
    const dates = [...new Set(attempted.map((attempt) => attempt.date))];
    const earliest = dates.reduce((min, date) => (date < min ? date : min));
    const dayBefore = new Date(Date.parse(`${earliest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const candidates = (await forecast.listTimeRegistrations({ dateAfter: dayBefore })).filter((r) => r.personId === personId && dates.includes(r.date));
    const sameTarget = (r: TimeRegistration) =>
      target.kind === 'task' ? r.target.kind === 'task' && r.target.taskId === target.forecastTaskId : r.target.kind === 'project' && r.target.projectId === target.forecastProjectId;
    const sentByAnAttempt = (r: TimeRegistration) => attempted.some((attempt) => r.date === attempt.date && r.minutes === attempt.minutes && (r.notes ?? '') === attempt.note);
    return (
      candidates.find((r) => markedGuid(r) === workGuid) ??
      candidates.find((r) => sameTarget(r) && sentByAnAttempt(r) && !r.customFields?.[WORK_GUID_FIELD]) ??
      null
    );
  }

  private async recordSynced(store: SyncTransaction, companyId: string, workGuid: WorkGuid, forecastId: number, content: TimeEntryContent, timelogSeenAt: string | Date, forecastUpdatedAt?: string | null) {
    await store.recordPair({
      companyId, kind: 'time-registration', forecastId, timelogRef: workGuid, origin: 'timelog', syncedHash: timeEntryHash(content),
      snapshot: { ...content }, forecastUpdatedAt: forecastUpdatedAt ? new Date(forecastUpdatedAt) : undefined, timelogChangedAt: new Date(timelogSeenAt), deletedAt: null,
    });
  }

  /** A task we created from Forecast maps back to it; any other task of a linked project maps to that project. */
  private async targetOf(store: SyncTransaction, { company, timelog }: VendorConnection, timelogTaskId: number): Promise<RegistrationTarget | null> {
    const taskPair = await store.pairByTimeLogRef(company.id, 'task', `${timelogTaskId}`);
    if (taskPair?.forecastId) return { kind: 'task', forecastTaskId: taskPair.forecastId };
    const cacheKey = `${company.id}:${timelogTaskId}`;
    let task = this.projectOfTimeLogTask.get(cacheKey);
    if (!task) {
      task = { projectId: (await timelog.getTaskById(timelogTaskId, false))?.projectId ?? null };
      this.projectOfTimeLogTask.set(cacheKey, task);
    }
    if (task.projectId === null) return null;
    const link = await store.projectLinkOfTimeLogProject(company.id, task.projectId);
    return link ? { kind: 'project', forecastProjectId: link.forecastProjectId } : null;
  }
}

