import { DataSource, EntityManager } from 'typeorm';
import { TimelogWorkChangedV1 } from '@timelog-sync/contracts';
import { ExternalCallError, isSuperseded, judgeChange, park, planRegistrationForWork, RegistrationTarget, siteLocalInstant, TimeEntryContent, timeEntryHash, TimeRegistration } from '@timelog-sync/domain';
import { CompanyConnection, CompanyConnections } from '@timelog-sync/company-directory';
import { EventContext } from '@timelog-sync/messaging';
import { EntityLink, ProjectLink } from '@timelog-sync/persistence';
import { syncMetrics, withSpan } from '@timelog-sync/observability';
import { EntityPairs } from './entity-pairs';
import { audit, resyncReason } from './audit-log';
import { ParkingLot } from '@timelog-sync/messaging';
import { withCompanyIsolation } from './sync-failures';
import { classifyTimeLogRefusal, describeRefusal, PermanentSyncFailure } from './timelog-refusal';
import { CreateIntents, lockPair } from './pair-guard';

/** The Forecast custom field (TIME_REG) that keeps the TimeLog GUID of registrations we create. */
export const WORK_GUID_FIELD = 'timelog_work_guid';
const FORECAST_REFUSAL_RETRY_MS = 60 * 60_000;

const registrationContent = (registration: TimeRegistration): TimeEntryContent => ({ date: registration.date, minutes: registration.minutes, note: registration.notes ?? '' });
const isForecastRefusal = (error: unknown): error is ExternalCallError => error instanceof ExternalCallError && error.code === '400';
export const isForecastNotFound = (error: unknown) => error instanceof ExternalCallError && error.code === '404';

/** TimeLog work -> Forecast time registration: create, update, delete, exactly once, never echoing our own writes. */
export class WorkSync {
  private readonly projectOfTimeLogTask = new Map<string, number | null>();
  private readonly intents: CreateIntents;

  constructor(
    dataSource: DataSource,
    private readonly connections: CompanyConnections,
  ) {
    this.intents = new CreateIntents(dataSource);
  }

  async handle(event: TimelogWorkChangedV1, context: EventContext): Promise<void> {
    await withCompanyIsolation(context, event, () =>
      withSpan('sync work', { attributes: { 'company.id': event.companyId, 'sync.source': event.source } }, async () => {
        try {
          await this.apply(event, context);
        } catch (error) {
          if (!isForecastRefusal(error)) throw error;
          // Locked or approved registrations and Forecast's validation rules: wait with the message, retry later.
          const decision = park('forecast-validation', `Forecast refused: ${error.message}`, null);
          await new ParkingLot(context.manager).park(context, event, decision, FORECAST_REFUSAL_RETRY_MS);
          await audit(context.manager, { companyId: event.companyId, direction: 'timelog-to-forecast', entityKind: 'time-registration', timelogRef: event.workGuid, action: 'parked', reason: decision.reason });
        }
      }),
    );
  }

  private async apply(event: TimelogWorkChangedV1, context: EventContext): Promise<void> {
    const { manager } = context;
    const { companyId, workGuid, work } = event;
    const pairs = new EntityPairs(manager);
    await lockPair(manager, companyId, workGuid);
    const pair = await pairs.byTimeLogRef(companyId, 'time-registration', workGuid);
    const base = { companyId, direction: 'timelog-to-forecast' as const, entityKind: 'time-registration' as const, timelogRef: workGuid, forecastId: pair?.forecastId ?? null };
    if (pair && isSuperseded(event.observedAt, pair.timelogChangedAt)) {
      // An old event (a parked one retried late): the pair already reflects a newer TimeLog state.
      await audit(manager, { ...base, action: 'skipped', reason: `superseded: observed in TimeLog at ${event.observedAt}, the pair reflects ${pair.timelogChangedAt?.toISOString()}` });
      return;
    }
    const lot = new ParkingLot(manager);
    const settle = (resolution: string) => lot.settle(companyId, context.key, resolution, event.observedAt);
    const connection = work && !pair?.forecastId ? await this.connections.get(companyId) : null;
    const plan = planRegistrationForWork(work, {
      forecastPersonId: work ? await this.linkedPerson(manager, companyId, work.employeeInitials) : null,
      target: work && connection ? await this.targetOf(manager, connection, work.taskId) : null,
      pair: pair
        ? { forecastId: pair.forecastId, timelogRef: pair.timelogRef, syncedHash: pair.syncedHash, snapshot: pair.snapshot as TimeEntryContent | null, forecastDeleted: !!pair.forecastDeletedAt, timelogDeleted: !!pair.timelogDeletedAt }
        : null,
    });
    if (plan.kind === 'skip') {
      await settle('superseded');
      if (!work && pair && !pair.timelogDeletedAt) await pairs.markDeleted(pair.id, { timelog: true });
      if (plan.echo) syncMetrics.echoDrops.inc({ direction: 'timelog-to-forecast' });
      await audit(manager, { ...base, action: plan.echo ? 'echo-dropped' : 'skipped', reason: plan.reason });
      return;
    }
    const { forecast, timelog } = connection ?? (await this.connections.get(companyId));
    const deleteWork = async (reason: string) => {
      // The Forecast side's deletion wins: the work goes too, and the pair records both sides deleted.
      const [result] = await timelog.deleteWork([workGuid]);
      if (result && !result.ok && classifyTimeLogRefusal(result) !== 'not-found') throw new PermanentSyncFailure(`Deleting work ${workGuid}: ${describeRefusal(result)}`);
      await settle('applied');
      await pairs.markDeleted(pair!.id, { forecast: true, timelog: true });
      await audit(manager, { ...base, action: 'deleted', reason, before: work });
    };
    if (plan.kind === 'delete-work') return deleteWork(plan.reason);
    if (plan.kind === 'delete-registration') {
      await forecast.deleteTimeRegistration(plan.forecastId).catch((error) => {
        if (!isForecastNotFound(error)) throw error;
      });
      await settle('applied');
      await pairs.markDeleted(pair!.id, { forecast: true, timelog: true });
      await audit(manager, { ...base, action: 'deleted', before: pair?.snapshot ?? null });
      return;
    }
    if (plan.kind === 'update-registration') {
      const current = await forecast.getTimeRegistration(plan.forecastId).catch((error) => (isForecastNotFound(error) ? null : Promise.reject(error)));
      if (!current) {
        await pairs.markDeleted(pair!.id, { forecast: true });
        return deleteWork('the registration was deleted in Forecast; the deletion wins over a later TimeLog edit');
      }
      const judgement = judgeChange(
        { side: 'timelog', content: plan.content, modifiedAt: siteLocalInstant(event.actionDate, await timelog.siteUtcOffsetMinutes()) ?? event.observedAt },
        { side: 'forecast', content: registrationContent(current), modifiedAt: current.updatedAt },
        plan.previous,
      );
      if (judgement.kind === 'conflict') {
        syncMetrics.conflicts.inc({ winner: judgement.winner });
        await audit(manager, { ...base, action: 'conflict-resolved', reason: `both sides changed since the last sync; ${judgement.winner} is later`, before: judgement.loser, after: judgement.winnerVersion });
        if (judgement.winner === 'forecast') {
          // Forecast's later edit goes to TimeLog so both sides end equal.
          const winner = judgement.winnerVersion.content;
          const [result] = await timelog.updateWork([{ guid: workGuid, taskId: work!.taskId, employeeInitials: work!.employeeInitials, startDateTime: `${winner.date}T00:00:00`, minutes: winner.minutes, description: winner.note }]);
          if (result && !result.ok) throw new PermanentSyncFailure(`TimeLog refused the conflict winner for ${workGuid}: ${result.message}`);
          await settle('applied');
          await this.recordSynced(pairs, companyId, workGuid, plan.forecastId, winner, new Date(), current.updatedAt);
          return;
        }
      }
      const written =
        judgement.kind === 'already-equal' ? current : await forecast.updateTimeRegistration(plan.forecastId, { minutes: plan.content.minutes, date: plan.content.date, notes: plan.content.note });
      await settle('applied');
      await this.recordSynced(pairs, companyId, workGuid, plan.forecastId, plan.content, event.observedAt, written.updatedAt);
      await audit(manager, { ...base, action: judgement.kind === 'already-equal' ? 'unchanged' : 'updated', reason: resyncReason(event.source), before: plan.previous, after: plan.content });
      return;
    }
    if (await this.intents.fromForecast(manager, companyId, workGuid)) {
      await audit(manager, { ...base, action: 'echo-dropped', reason: 'written from a Forecast registration whose sync is completing' });
      return;
    }
    const created = await this.createOnce(companyId, workGuid, plan.personId, plan.target, plan.content, connection as CompanyConnection);
    await this.intents.complete(manager, companyId, workGuid);
    await settle('applied');
    await this.recordSynced(pairs, companyId, workGuid, created.id, plan.content, event.observedAt, created.updatedAt);
    await audit(manager, { ...base, forecastId: created.id, action: 'created', reason: resyncReason(event.source), after: plan.content });
  }

  /**
   * The intent row commits before the Forecast call, with what this attempt sends. If earlier attempts left it, one of
   * them may have created the registration and died before its commit: take that one (by the id the intent got, the
   * GUID we store on it, or the content one of the attempts sent) and bring it to this content, instead of creating
   * a second.
   */
  private async createOnce(companyId: string, workGuid: string, personId: number, target: RegistrationTarget, content: TimeEntryContent, { forecast }: CompanyConnection): Promise<TimeRegistration> {
    const earlierAttempts = await this.intents.beginForecastCreate(companyId, workGuid, content);
    if (earlierAttempts) {
      const earlier = await this.findEarlierCreate(forecast, workGuid, personId, target, earlierAttempts.forecastRegistrationId, [content, ...earlierAttempts.attempts]);
      if (earlier) {
        await this.intents.attachForecastRegistration(companyId, workGuid, earlier.id);
        return timeEntryHash(registrationContent(earlier)) === timeEntryHash(content)
          ? earlier
          : forecast.updateTimeRegistration(earlier.id, { minutes: content.minutes, date: content.date, notes: content.note });
      }
    }
    const created = await forecast.createTimeRegistration({
      personId,
      target: target.kind === 'task' ? { kind: 'task', taskId: target.forecastTaskId } : { kind: 'project', projectId: target.forecastProjectId },
      minutes: content.minutes,
      date: content.date,
      notes: content.note,
    });
    await this.intents.attachForecastRegistration(companyId, workGuid, created.id);
    // Best effort: the marker needs the custom field defined in Forecast; without it recovery matches by content.
    await forecast.setTimeRegistrationCustomFields(created.id, { [WORK_GUID_FIELD]: workGuid }).catch(() => undefined);
    return created;
  }

  private async findEarlierCreate(
    forecast: CompanyConnection['forecast'],
    workGuid: string,
    personId: number,
    target: RegistrationTarget,
    knownId: number | null,
    attempted: TimeEntryContent[],
  ): Promise<TimeRegistration | null> {
    if (knownId !== null) {
      const known = await forecast.getTimeRegistration(knownId).catch((error) => (isForecastNotFound(error) ? null : Promise.reject(error)));
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
      candidates.find((r) => r.customFields?.[WORK_GUID_FIELD]?.toLowerCase() === workGuid.toLowerCase()) ??
      candidates.find((r) => sameTarget(r) && sentByAnAttempt(r) && !r.customFields?.[WORK_GUID_FIELD]) ??
      null
    );
  }

  private async recordSynced(pairs: EntityPairs, companyId: string, workGuid: string, forecastId: number, content: TimeEntryContent, timelogSeenAt: string | Date, forecastUpdatedAt?: string | null) {
    await pairs.record({
      companyId, kind: 'time-registration', forecastId, timelogRef: workGuid, origin: 'timelog', syncedHash: timeEntryHash(content),
      snapshot: { ...content } as EntityLink['snapshot'], forecastUpdatedAt: forecastUpdatedAt ? new Date(forecastUpdatedAt) : undefined, timelogChangedAt: new Date(timelogSeenAt), deletedAt: null,
    });
  }

  private async linkedPerson(manager: EntityManager, companyId: string, initials: string): Promise<number | null> {
    const [row] = await manager.query(`SELECT forecast_person_id FROM user_link WHERE company_id = $1 AND lower(timelog_initials) = lower($2)`, [companyId, initials]);
    return row ? Number(row.forecast_person_id) : null;
  }

  /** A task we created from Forecast maps back to it; any other task of a linked project maps to that project. */
  private async targetOf(manager: EntityManager, { company, timelog }: CompanyConnection, timelogTaskId: number): Promise<RegistrationTarget | null> {
    const taskPair = await new EntityPairs(manager).byTimeLogRef(company.id, 'task', String(timelogTaskId));
    if (taskPair?.forecastId) return { kind: 'task', forecastTaskId: taskPair.forecastId };
    const cacheKey = `${company.id}:${timelogTaskId}`;
    if (!this.projectOfTimeLogTask.has(cacheKey)) {
      this.projectOfTimeLogTask.set(cacheKey, (await timelog.getTaskById(timelogTaskId, false))?.projectId ?? null);
    }
    const timelogProjectId = this.projectOfTimeLogTask.get(cacheKey);
    if (timelogProjectId == null) return null;
    const link = await manager.getRepository(ProjectLink).findOneBy({ companyId: company.id, timelogProjectId });
    return link ? { kind: 'project', forecastProjectId: link.forecastProjectId } : null;
  }
}

