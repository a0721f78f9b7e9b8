import { EntityLink, type EntityKind } from '../../entities';
import { managerOf, Queryable, sqlExec, sqlOne } from '../sql';

/** A synced pair (entity_link) is read and written as its entity. */
export type EntityPairRow = EntityLink;

/** What a pair records: either id may be missing; the origin of an existing pair is kept. */
export type EntityPairValues = Partial<Omit<EntityLink, 'id' | 'companyId' | 'kind'>> & { companyId: string; kind: EntityKind };

export function pairByForecastId(db: Queryable, companyId: string, kind: EntityKind, forecastId: number): Promise<EntityLink | null> {
  return db.getRepository(EntityLink).findOneBy({ companyId, kind, forecastId });
}

export function pairByTimeLogRef(db: Queryable, companyId: string, kind: EntityKind, timelogRef: string): Promise<EntityLink | null> {
  return db.getRepository(EntityLink).findOneBy({ companyId, kind, timelogRef });
}

/**
 * Records that one side (or both) of a registration pair is deleted; the pair is finished (`deleted_at`) once
 * both are. The other side's deletion is never implied.
 */
export async function markPairDeleted(db: Queryable, pairId: string, sides: { forecast?: boolean; timelog?: boolean }): Promise<void> {
  await sqlExec(
    db,
    `UPDATE entity_link SET
       forecast_deleted_at = CASE WHEN $2 THEN COALESCE(forecast_deleted_at, now()) ELSE forecast_deleted_at END,
       timelog_deleted_at = CASE WHEN $3 THEN COALESCE(timelog_deleted_at, now()) ELSE timelog_deleted_at END,
       deleted_at = CASE WHEN ($2 OR forecast_deleted_at IS NOT NULL) AND ($3 OR timelog_deleted_at IS NOT NULL) THEN COALESCE(deleted_at, now()) END,
       updated_at = now()
     WHERE id = $1`,
    [pairId, !!sides.forecast, !!sides.timelog],
  );
}

/** Inserts or updates the pair found by either id; the unique indexes make a concurrent duplicate fail loudly. */
export async function recordPair(db: Queryable, pair: EntityPairValues): Promise<void> {
  const existing =
    (pair.forecastId != null ? await pairByForecastId(db, pair.companyId, pair.kind, pair.forecastId) : null) ??
    (pair.timelogRef ? await pairByTimeLogRef(db, pair.companyId, pair.kind, pair.timelogRef) : null);
  const values = { ...pair, updatedAt: new Date() } as Partial<EntityLink> as never;
  if (existing) await managerOf(db).update(EntityLink, { id: existing.id }, { ...(values as object), origin: existing.origin } as never);
  else await managerOf(db).insert(EntityLink, values);
}

/**
 * Both directions of one registration/work pair serialise on this lock (held to commit), so a TimeLog poll
 * that sees our fresh InsertWork waits for the Forecast side to record the pair and then recognises its echo.
 */
export async function lockWorkPair(db: Queryable, companyId: string, workGuid: string): Promise<void> {
  await sqlExec(db, `SELECT pg_advisory_xact_lock(hashtext($1))`, [`${companyId}:${workGuid}`]);
}

/** A pair as the registration context returns it (times as text). */
export interface RegistrationContextPairRow {
  id: string;
  origin: 'forecast' | 'timelog';
  timelogRef: string | null;
  syncedHash: string | null;
  snapshot: Record<string, unknown> | null;
  deletedAt: string | null;
  forecastDeletedAt: string | null;
  timelogDeletedAt: string | null;
  forecastUpdatedAt: string | null;
}

export interface RegistrationContextRow {
  pair: RegistrationContextPairRow | null;
  task_pair: RegistrationContextPairRow | null;
  project_link: { timelogProjectId: number; syncFrom: string } | null;
  user_link: { timelogInitials: string } | null;
  parked: boolean;
  created_from_timelog: boolean;
}

/** Everything the writer's decision on a Forecast registration needs, in one round trip (its hot path). */
export async function readRegistrationContext(
  db: Queryable,
  at: { companyId: string; registrationId: number; taskId: number | null; projectId: number | null; personId: number | null; messageKey: string },
): Promise<RegistrationContextRow> {
  const pairColumns = `json_build_object('id', id::text, 'origin', origin, 'timelogRef', timelog_ref, 'syncedHash', synced_hash, 'snapshot', snapshot, 'deletedAt', deleted_at,
    'forecastDeletedAt', forecast_deleted_at, 'timelogDeletedAt', timelog_deleted_at, 'forecastUpdatedAt', forecast_updated_at)`;
  const row = await sqlOne<RegistrationContextRow>(
    db,
    `SELECT
       (SELECT ${pairColumns} FROM entity_link WHERE company_id = $1 AND kind = 'time-registration' AND forecast_id = $2) AS pair,
       (SELECT ${pairColumns} FROM entity_link WHERE company_id = $1 AND kind = 'task' AND forecast_id = $3) AS task_pair,
       (SELECT json_build_object('timelogProjectId', timelog_project_id, 'syncFrom', to_char(sync_from, 'YYYY-MM-DD')) FROM project_link WHERE company_id = $1 AND forecast_project_id = $4) AS project_link,
       (SELECT json_build_object('timelogInitials', timelog_initials) FROM user_link WHERE company_id = $1 AND forecast_person_id = $5) AS user_link,
       EXISTS (SELECT 1 FROM parked_event WHERE company_id = $1 AND message_key = $6 AND resolved_at IS NULL) AS parked,
       EXISTS (SELECT 1 FROM registration_create_intent WHERE company_id = $1 AND forecast_registration_id = $2 AND origin = 'timelog') AS created_from_timelog`,
    [at.companyId, at.registrationId, at.taskId, at.projectId, at.personId, at.messageKey],
  );
  return row as RegistrationContextRow;
}

/** A TimeLog write of a Forecast registration that got through. */
export interface WrittenRegistration {
  companyId: string;
  registrationId: number;
  workGuid: string;
  hash: string;
  content: unknown;
  before: unknown | null;
  forecastUpdatedAt: string | null;
  action: 'created' | 'updated';
  reason: string | null;
  traceId: string | null;
}

/**
 * After a successful write, in one round trip (the writer's hot path): the intent is done, the pair records what
 * was synced (its origin kept when it exists), and the audit row says what changed.
 */
export async function recordWrittenPair(db: Queryable, written: WrittenRegistration): Promise<void> {
  await sqlExec(
    db,
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
      written.traceId,
      written.reason,
    ],
  );
}
