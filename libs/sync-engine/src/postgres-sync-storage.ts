import { DataSource, EntityManager } from 'typeorm';
import DataLoader from 'dataloader';
import { currentTraceId } from '@timelog-sync/observability';
import type { WorkGuid } from '@timelog-sync/contracts';
import type { Park, TimeEntryContent } from '@timelog-sync/domain';
import { EventContext, ParkingLot } from '@timelog-sync/messaging';
import {
  activeAllocations, attachForecastRegistration, beginForecastCreate, beginWorkCreates, completeIntent, endAllocation, EntityKind,
  markPairDeleted, pairByForecastId, ProjectLink, projectLinkOfForecastProject, projectLinkOfTimeLogProject, recordPair, setAllocation, UserLink,
  userLinksOf, workIntentFromForecast,
} from '@timelog-sync/persistence';
import { AuditEntry, traced } from './audit-log';
import { HotPathBatches, PER_TURN } from './hot-path-batches';
import type { CreateIntentsPort, PairRecord, TimeLogRef, RegistrationContextRead, RegistrationContextSubject, RegistrationWritten, StoredPair, SyncStorage, SyncTransaction } from './ports';

/** The sync handlers' storage in PostgreSQL: each event's reads and writes go through the transaction of its context. */
export class PostgresSyncStorage implements SyncStorage<EventContext> {
  readonly intents: CreateIntents;

  constructor(dataSource: DataSource) {
    this.intents = new CreateIntents(dataSource);
  }

  inTransactionOf(context: EventContext): SyncTransaction {
    return new PostgresSyncTransaction(context);
  }
}

class PostgresSyncTransaction implements SyncTransaction {
  private readonly manager: EntityManager;
  private readonly lot: ParkingLot;
  private readonly batches: HotPathBatches;

  constructor(private readonly context: EventContext) {
    this.manager = context.manager;
    this.lot = new ParkingLot(context.manager);
    this.batches = HotPathBatches.of(context.manager);
  }

  /** Everything the decision needs, in one round trip shared with the chunk's other handlers (the writer's hot path). */
  async registrationContext(companyId: string, registrationId: number, registration: RegistrationContextSubject | null): Promise<RegistrationContextRead> {
    const row = await this.batches.contexts.load({
      companyId,
      registrationId,
      taskId: registration?.taskId ?? null,
      projectId: registration?.projectId ?? null,
      personId: registration?.personId ?? null,
      messageKey: this.context.key ?? '',
      content: registration && { date: registration.date, minutes: registration.minutes, note: registration.note },
    });
    return {
      pair: row.pair,
      taskPair: row.task_pair,
      projectLink: row.project_link,
      userLink: row.user_link,
      parked: row.parked,
      createdFromTimeLog: row.created_from_timelog,
      createAwaitingId: row.create_awaiting_id,
    };
  }

  /**
   * After a successful write, in one round trip shared with the chunk's other handlers (the writer's hot path): the
   * intent is done, the pair records what was synced (its origin kept when it exists), and the audit row says what changed.
   */
  async recordRegistrationWritten(written: RegistrationWritten): Promise<void> {
    await this.batches.writes.load({ ...written, traceId: currentTraceId() });
  }

  pairByForecastId(companyId: string, kind: EntityKind, forecastId: number): Promise<StoredPair | null> {
    return pairByForecastId(this.manager, companyId, kind, forecastId);
  }

  /** Shared with the chunk's other handlers: one round trip for the pairs they look up at the same moment. */
  pairByTimeLogRef(companyId: string, kind: EntityKind, timelogRef: TimeLogRef): Promise<StoredPair | null> {
    return this.batches.pairsByTimeLogRef.load({ companyId, kind, timelogRef });
  }

  recordPair(pair: PairRecord): Promise<void> {
    return recordPair(this.manager, pair);
  }

  markPairDeleted(pairId: string, sides: { forecast?: boolean; timelog?: boolean }): Promise<void> {
    return markPairDeleted(this.manager, pairId, sides);
  }

  /**
   * Both directions of one registration/work pair serialise on this lock (held to commit), so a TimeLog poll
   * that sees our fresh InsertWork waits for the Forecast side to record the pair and then recognises its echo.
   */
  async lockPair(companyId: string, workGuid: WorkGuid): Promise<void> {
    await this.batches.locks.load({ companyId, workGuid });
  }

  workIntentFromForecast(companyId: string, workGuid: WorkGuid): Promise<boolean> {
    return workIntentFromForecast(this.manager, companyId, workGuid);
  }

  /** In the handler's transaction, with the pair it records. */
  completeIntent(companyId: string, workGuid: WorkGuid): Promise<void> {
    return completeIntent(this.manager, companyId, workGuid);
  }

  linkedPerson(companyId: string, timelogInitials: string): Promise<number | null> {
    return this.batches.linkedPersons.load({ companyId, timelogInitials });
  }

  userLinks(companyId: string): Promise<UserLink[]> {
    return userLinksOf(this.manager, companyId);
  }

  projectLinkOfForecastProject(companyId: string, forecastProjectId: number): Promise<ProjectLink | null> {
    return projectLinkOfForecastProject(this.manager, companyId, forecastProjectId);
  }

  projectLinkOfTimeLogProject(companyId: string, timelogProjectId: number): Promise<ProjectLink | null> {
    return projectLinkOfTimeLogProject(this.manager, companyId, timelogProjectId);
  }

  activeAllocations(companyId: string, timelogTaskId: number): Promise<string[]> {
    return activeAllocations(this.manager, companyId, timelogTaskId);
  }

  setAllocation(companyId: string, timelogTaskId: number, initials: string, forecastPersonId: number, status: 'active' | 'ended'): Promise<void> {
    return setAllocation(this.manager, companyId, timelogTaskId, initials, forecastPersonId, status);
  }

  endAllocation(companyId: string, timelogTaskId: number, initials: string): Promise<void> {
    return endAllocation(this.manager, companyId, timelogTaskId, initials);
  }

  audit(entry: AuditEntry): Promise<void> {
    return this.batches.audits.load(traced(entry));
  }

  park(value: unknown, decision: Park, retryAfterMs: number | null = null): Promise<void> {
    return this.lot.park(this.context, value, decision, retryAfterMs);
  }

  /**
   * A later event for the same entity went through: whatever was parked under its key is settled (see
   * `settleParkedEvents`), together with the settlements of the chunk's other handlers.
   */
  async settle(companyId: string, resolution: string, observedAt: string | null = null): Promise<void> {
    if (!this.context.key) return;
    await this.batches.settlements.load({ companyId, messageKey: this.context.key, resolution, observedAt });
  }

  async requeue(companyId: string, waitingFor: string): Promise<void> {
    await this.lot.requeue(companyId, waitingFor);
  }
}

/** Create intents, each committed on its own before the vendor call it announces. */
export class CreateIntents implements CreateIntentsPort {
  /**
   * Intents begun at the same moment (the handlers of a chunk) commit in one statement, not one connection and
   * commit each; one an earlier attempt left stays as it is.
   */
  private readonly workCreates: DataLoader<{ companyId: string; workGuid: WorkGuid; forecastRegistrationId: number }, void>;

  constructor(private readonly dataSource: DataSource) {
    this.workCreates = new DataLoader(async (intents) => (await beginWorkCreates(dataSource, [...intents]), intents.map(() => undefined)), PER_TURN);
  }

  beginWorkCreate(companyId: string, workGuid: WorkGuid, forecastRegistrationId: number): Promise<void> {
    return this.workCreates.load({ companyId, workGuid, forecastRegistrationId });
  }

  /** Records this attempt's content and returns what earlier attempts left (the registration id if one got that far, and the content each sent). */
  async beginForecastCreate(companyId: string, workGuid: WorkGuid, content: TimeEntryContent): Promise<{ forecastRegistrationId: number | null; attempts: TimeEntryContent[] } | null> {
    const row = await beginForecastCreate(this.dataSource, companyId, workGuid, content);
    return row.attempts === null ? null : { forecastRegistrationId: row.forecast_registration_id === null ? null : Number(row.forecast_registration_id), attempts: row.attempts as TimeEntryContent[] };
  }

  /**
   * Right after Forecast accepted a create from TimeLog, before our commit: Forecast's webhook for it may be
   * handled first, and must see that this registration is ours.
   */
  async attachForecastRegistration(companyId: string, workGuid: WorkGuid, forecastRegistrationId: number): Promise<void> {
    await attachForecastRegistration(this.dataSource, companyId, workGuid, forecastRegistrationId);
  }
}
