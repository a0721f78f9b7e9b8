import { DataSource, EntityManager } from 'typeorm';
import { trace } from '@opentelemetry/api';
import type { WorkGuid } from '@timelog-sync/contracts';
import type { Park, TimeEntryContent } from '@timelog-sync/domain';
import { EventContext, ParkingLot } from '@timelog-sync/messaging';
import { EntityKind, ProjectLink, UserLink } from '@timelog-sync/persistence';
import { EntityPairs } from './entity-pairs';
import { audit, AuditEntry } from './audit-log';
import type { CreateIntentsPort, PairRecord, TimeLogRef, RegistrationContextRead, RegistrationPairRow, RegistrationWritten, StoredPair, SyncStorage, SyncTransaction } from './ports';

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
  private readonly pairs: EntityPairs;
  private readonly lot: ParkingLot;

  constructor(private readonly context: EventContext) {
    this.manager = context.manager;
    this.pairs = new EntityPairs(context.manager);
    this.lot = new ParkingLot(context.manager);
  }

  /** Everything the decision needs, in one round trip (this is the hot path of the writer). */
  async registrationContext(companyId: string, registrationId: number, registration: { taskId: number | null; projectId: number | null; personId: number } | null): Promise<RegistrationContextRead> {
    const pairColumns = `json_build_object('id', id::text, 'origin', origin, 'timelogRef', timelog_ref, 'syncedHash', synced_hash, 'snapshot', snapshot, 'deletedAt', deleted_at,
      'forecastDeletedAt', forecast_deleted_at, 'timelogDeletedAt', timelog_deleted_at, 'forecastUpdatedAt', forecast_updated_at)`;
    const [row] = await this.manager.query(
      `SELECT
         (SELECT ${pairColumns} FROM entity_link WHERE company_id = $1 AND kind = 'time-registration' AND forecast_id = $2) AS pair,
         (SELECT ${pairColumns} FROM entity_link WHERE company_id = $1 AND kind = 'task' AND forecast_id = $3) AS task_pair,
         (SELECT json_build_object('timelogProjectId', timelog_project_id, 'syncFrom', to_char(sync_from, 'YYYY-MM-DD')) FROM project_link WHERE company_id = $1 AND forecast_project_id = $4) AS project_link,
         (SELECT json_build_object('timelogInitials', timelog_initials) FROM user_link WHERE company_id = $1 AND forecast_person_id = $5) AS user_link,
         EXISTS (SELECT 1 FROM parked_event WHERE company_id = $1 AND message_key = $6 AND resolved_at IS NULL) AS parked,
         EXISTS (SELECT 1 FROM registration_create_intent WHERE company_id = $1 AND forecast_registration_id = $2 AND origin = 'timelog') AS created_from_timelog`,
      [companyId, registrationId, registration?.taskId ?? null, registration?.projectId ?? null, registration?.personId ?? null, this.context.key ?? ''],
    );
    return {
      pair: row.pair as RegistrationPairRow | null,
      taskPair: row.task_pair as RegistrationPairRow | null,
      projectLink: row.project_link as RegistrationContextRead['projectLink'],
      userLink: row.user_link as RegistrationContextRead['userLink'],
      parked: row.parked as boolean,
      createdFromTimeLog: row.created_from_timelog as boolean,
    };
  }

  /**
   * After a successful write, in one round trip (the writer's hot path): the intent is done, the pair records what
   * was synced (its origin kept when it exists), and the audit row says what changed.
   */
  async recordRegistrationWritten(written: RegistrationWritten): Promise<void> {
    await this.manager.query(
      `WITH intent_done AS (
         DELETE FROM registration_create_intent WHERE company_id = $1 AND work_guid = $3
       ), pair AS (
         INSERT INTO entity_link (company_id, kind, forecast_id, timelog_ref, origin, synced_hash, snapshot, forecast_updated_at, timelog_changed_at, deleted_at, updated_at)
         VALUES ($1, 'time-registration', $2, $3, 'forecast', $4, $5::jsonb, $6, now(), NULL, now())
         ON CONFLICT (company_id, kind, forecast_id) WHERE forecast_id IS NOT NULL DO UPDATE SET
           timelog_ref = EXCLUDED.timelog_ref, synced_hash = EXCLUDED.synced_hash, snapshot = EXCLUDED.snapshot,
           forecast_updated_at = EXCLUDED.forecast_updated_at, timelog_changed_at = now(), deleted_at = NULL, updated_at = now()
       )
       INSERT INTO sync_action (company_id, direction, entity_kind, forecast_id, timelog_ref, action, reason, before, after, trace_id)
       VALUES ($1, 'forecast-to-timelog', 'time-registration', $2, $3, $7, $10, $8::jsonb, $5::jsonb, $9)`,
      [
        written.companyId,
        written.registrationId,
        written.workGuid,
        written.hash,
        JSON.stringify(written.content),
        written.forecastUpdatedAt,
        written.action,
        written.before === null ? null : JSON.stringify(written.before),
        trace.getActiveSpan()?.spanContext().traceId ?? null,
        written.reason,
      ],
    );
  }

  pairByForecastId(companyId: string, kind: EntityKind, forecastId: number): Promise<StoredPair | null> {
    return this.pairs.byForecastId(companyId, kind, forecastId);
  }

  pairByTimeLogRef(companyId: string, kind: EntityKind, timelogRef: TimeLogRef): Promise<StoredPair | null> {
    return this.pairs.byTimeLogRef(companyId, kind, timelogRef);
  }

  recordPair(pair: PairRecord): Promise<void> {
    return this.pairs.record(pair);
  }

  markPairDeleted(pairId: string, sides: { forecast?: boolean; timelog?: boolean }): Promise<void> {
    return this.pairs.markDeleted(pairId, sides);
  }

  /**
   * Both directions of one registration/work pair serialise on this lock (held to commit), so a TimeLog poll
   * that sees our fresh InsertWork waits for the Forecast side to record the pair and then recognises its echo.
   */
  async lockPair(companyId: string, workGuid: WorkGuid): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${companyId}:${workGuid}`]);
  }

  async workIntentFromForecast(companyId: string, workGuid: WorkGuid): Promise<boolean> {
    const [row] = await this.manager.query(`SELECT 1 FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2 AND origin = 'forecast'`, [companyId, workGuid]);
    return !!row;
  }

  /** In the handler's transaction, with the pair it records. */
  async completeIntent(companyId: string, workGuid: WorkGuid): Promise<void> {
    await this.manager.query(`DELETE FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2`, [companyId, workGuid]);
  }

  async linkedPerson(companyId: string, timelogInitials: string): Promise<number | null> {
    const [row] = await this.manager.query(`SELECT forecast_person_id FROM user_link WHERE company_id = $1 AND lower(timelog_initials) = lower($2)`, [companyId, timelogInitials]);
    return row ? Number(row.forecast_person_id) : null;
  }

  userLinks(companyId: string): Promise<UserLink[]> {
    return this.manager.getRepository(UserLink).findBy({ companyId });
  }

  projectLinkOfForecastProject(companyId: string, forecastProjectId: number): Promise<ProjectLink | null> {
    return this.manager.getRepository(ProjectLink).findOneBy({ companyId, forecastProjectId });
  }

  projectLinkOfTimeLogProject(companyId: string, timelogProjectId: number): Promise<ProjectLink | null> {
    return this.manager.getRepository(ProjectLink).findOneBy({ companyId, timelogProjectId });
  }

  async activeAllocations(companyId: string, timelogTaskId: number): Promise<string[]> {
    const active: { employee_initials: string }[] = await this.manager.query(
      `SELECT employee_initials FROM task_allocation WHERE company_id = $1 AND timelog_task_id = $2 AND status = 'active'`,
      [companyId, timelogTaskId],
    );
    return active.map((row) => row.employee_initials);
  }

  async setAllocation(companyId: string, timelogTaskId: number, initials: string, forecastPersonId: number, status: 'active' | 'ended'): Promise<void> {
    await this.manager.query(
      `INSERT INTO task_allocation (company_id, timelog_task_id, employee_initials, forecast_person_id, status) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (company_id, timelog_task_id, employee_initials) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
      [companyId, timelogTaskId, initials, forecastPersonId, status],
    );
  }

  async endAllocation(companyId: string, timelogTaskId: number, initials: string): Promise<void> {
    await this.manager.query(`UPDATE task_allocation SET status = 'ended', updated_at = now() WHERE company_id = $1 AND timelog_task_id = $2 AND employee_initials = $3`, [companyId, timelogTaskId, initials]);
  }

  audit(entry: AuditEntry): Promise<void> {
    return audit(this.manager, entry);
  }

  park(value: unknown, decision: Park, retryAfterMs: number | null = null): Promise<void> {
    return this.lot.park(this.context, value, decision, retryAfterMs);
  }

  settle(companyId: string, resolution: string, observedAt: string | null = null): Promise<void> {
    return this.lot.settle(companyId, this.context.key, resolution, observedAt);
  }

  async requeue(companyId: string, waitingFor: string): Promise<void> {
    await this.lot.requeue(companyId, waitingFor);
  }
}

/** Create intents, each committed on its own before the vendor call it announces. */
export class CreateIntents implements CreateIntentsPort {
  private waiting: { intent: { companyId: string; workGuid: WorkGuid; forecastRegistrationId: number }; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Intents begun at the same moment (the handlers of a chunk) commit in one statement, not one connection and
   * commit each; one an earlier attempt left stays as it is.
   */
  beginWorkCreate(companyId: string, workGuid: WorkGuid, forecastRegistrationId: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ intent: { companyId, workGuid, forecastRegistrationId }, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.dataSource.query(
        `INSERT INTO registration_create_intent (company_id, work_guid, origin, forecast_registration_id)
         SELECT company_id, work_guid, 'forecast', forecast_registration_id FROM unnest($1::text[], $2::text[], $3::bigint[]) AS i (company_id, work_guid, forecast_registration_id)
         ORDER BY 1, 2
         ON CONFLICT DO NOTHING`,
        [batch.map(({ intent }) => intent.companyId), batch.map(({ intent }) => intent.workGuid), batch.map(({ intent }) => intent.forecastRegistrationId)],
      );
      for (const { resolve } of batch) resolve();
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  /** Records this attempt's content and returns what earlier attempts left (the registration id if one got that far, and the content each sent). */
  async beginForecastCreate(companyId: string, workGuid: WorkGuid, content: TimeEntryContent): Promise<{ forecastRegistrationId: number | null; attempts: TimeEntryContent[] } | null> {
    const [row] = await this.dataSource.query(
      `WITH earlier AS (SELECT forecast_registration_id, attempts FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2)
       INSERT INTO registration_create_intent (company_id, work_guid, origin, attempts) VALUES ($1, $2, 'timelog', jsonb_build_array($3::jsonb))
       ON CONFLICT (company_id, work_guid) DO UPDATE SET attempts = registration_create_intent.attempts || EXCLUDED.attempts
       RETURNING (SELECT forecast_registration_id FROM earlier) AS forecast_registration_id, (SELECT attempts FROM earlier) AS attempts`,
      [companyId, workGuid, JSON.stringify(content)],
    );
    return row.attempts === null ? null : { forecastRegistrationId: row.forecast_registration_id === null ? null : Number(row.forecast_registration_id), attempts: row.attempts };
  }

  /**
   * Right after Forecast accepted a create from TimeLog, before our commit: Forecast's webhook for it may be
   * handled first, and must see that this registration is ours.
   */
  async attachForecastRegistration(companyId: string, workGuid: WorkGuid, forecastRegistrationId: number): Promise<void> {
    await this.dataSource.query(`UPDATE registration_create_intent SET forecast_registration_id = $3 WHERE company_id = $1 AND work_guid = $2`, [
      companyId,
      workGuid,
      forecastRegistrationId,
    ]);
  }
}
