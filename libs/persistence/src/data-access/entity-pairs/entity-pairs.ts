import { EntityLink, type EntityKind } from '../../entities';
import { managerOf, Queryable, sqlExec, sqlRows } from '../sql';

/** A synced pair (entity_link) is read and written as its entity. */
export type EntityPairRow = EntityLink;

/** What a pair records: either id may be missing; the origin of an existing pair is kept. */
export type EntityPairValues = Partial<Omit<EntityLink, 'id' | 'companyId' | 'kind'>> & { companyId: string; kind: EntityKind };

export function pairByForecastId(db: Queryable, companyId: string, kind: EntityKind, forecastId: number): Promise<EntityLink | null> {
  return db.getRepository(EntityLink).findOneBy({ companyId, kind, forecastId });
}

export async function pairByTimeLogRef(db: Queryable, companyId: string, kind: EntityKind, timelogRef: string): Promise<EntityLink | null> {
  const [pair] = await pairsByTimeLogRef(db, [{ companyId, kind, timelogRef }]);
  return pair;
}

/** Where a pair is found by its TimeLog side. */
export interface TimeLogRefKey {
  companyId: string;
  kind: EntityKind;
  timelogRef: string;
}

/** The pairs found by their TimeLog side, for many keys in one round trip (a chunk's handlers ask together); answers in the order asked. */
export async function pairsByTimeLogRef(db: Queryable, keys: TimeLogRefKey[]): Promise<(EntityLink | null)[]> {
  const rows = await sqlRows<Omit<EntityLink, 'forecastId'> & { forecastId: string | null; n: string }>(
    db,
    `SELECT q.n, p.id::text AS id, p.company_id AS "companyId", p.kind, p.forecast_id AS "forecastId", p.timelog_ref AS "timelogRef", p.origin,
            p.synced_hash AS "syncedHash", p.snapshot, p.forecast_updated_at AS "forecastUpdatedAt", p.timelog_changed_at AS "timelogChangedAt",
            p.deleted_at AS "deletedAt", p.forecast_deleted_at AS "forecastDeletedAt", p.timelog_deleted_at AS "timelogDeletedAt",
            p.created_at AS "createdAt", p.updated_at AS "updatedAt"
     FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q(company_id, kind, timelog_ref, n)
     JOIN entity_link p ON p.company_id = q.company_id AND p.kind = q.kind AND p.timelog_ref = q.timelog_ref`,
    [keys.map((key) => key.companyId), keys.map((key) => key.kind), keys.map((key) => key.timelogRef)],
  );
  const byPosition = new Map(rows.map(({ n, forecastId, ...pair }) => [Number(n), { ...pair, forecastId: forecastId === null ? null : Number(forecastId) } as EntityLink]));
  return keys.map((_, index) => byPosition.get(index + 1) ?? null);
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
export async function lockWorkPairs(db: Queryable, pairs: { companyId: string; workGuid: string }[]): Promise<void> {
  // In one order everywhere, so two transactions taking several never wait for each other crosswise.
  const keys = [...new Set(pairs.map(({ companyId, workGuid }) => `${companyId}:${workGuid}`))].sort();
  await sqlExec(db, `SELECT pg_advisory_xact_lock(hashtext(key)) FROM unnest($1::text[]) WITH ORDINALITY AS k(key, n) ORDER BY n`, [keys]);
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
  /** The work GUID of a create from TimeLog that sent this content and has no Forecast id recorded yet. */
  create_awaiting_id: string | null;
}

/** Where a registration's decision context is read: the registration and what it points at. */
export interface RegistrationContextKey {
  companyId: string;
  registrationId: number;
  taskId: number | null;
  projectId: number | null;
  personId: number | null;
  messageKey: string;
  /** The registration's content as a create intent records it ({ date, minutes, note }); null for a deletion. */
  content: { date: string; minutes: number; note: string } | null;
}

/**
 * A create from TimeLog that never got its Forecast id recorded (its work event dead-lettered) stops holding
 * registrations with its content back after this long.
 */
const CREATE_AWAITING_ID_HORIZON_MINUTES = 15;

/**
 * Everything the writer's decisions on Forecast registrations need, for many registrations in one round trip (its hot
 * path: the handlers of a chunk ask together); rows in the order asked.
 */
export async function readRegistrationContexts(db: Queryable, keys: RegistrationContextKey[]): Promise<RegistrationContextRow[]> {
  const pairColumns = (alias: string) => `json_build_object('id', ${alias}.id::text, 'origin', ${alias}.origin, 'timelogRef', ${alias}.timelog_ref, 'syncedHash', ${alias}.synced_hash,
    'snapshot', ${alias}.snapshot, 'deletedAt', ${alias}.deleted_at, 'forecastDeletedAt', ${alias}.forecast_deleted_at, 'timelogDeletedAt', ${alias}.timelog_deleted_at,
    'forecastUpdatedAt', ${alias}.forecast_updated_at)`;
  return sqlRows<RegistrationContextRow>(
    db,
    `SELECT
       (SELECT ${pairColumns('p')} FROM entity_link p WHERE p.company_id = q.company_id AND p.kind = 'time-registration' AND p.forecast_id = q.registration_id) AS pair,
       (SELECT ${pairColumns('t')} FROM entity_link t WHERE t.company_id = q.company_id AND t.kind = 'task' AND t.forecast_id = q.task_id) AS task_pair,
       (SELECT json_build_object('timelogProjectId', l.timelog_project_id, 'syncFrom', to_char(l.sync_from, 'YYYY-MM-DD')) FROM project_link l
         WHERE l.company_id = q.company_id AND l.forecast_project_id = q.project_id) AS project_link,
       (SELECT json_build_object('timelogInitials', u.timelog_initials) FROM user_link u WHERE u.company_id = q.company_id AND u.forecast_person_id = q.person_id) AS user_link,
       EXISTS (SELECT 1 FROM parked_event e WHERE e.company_id = q.company_id AND e.message_key = q.message_key AND e.resolved_at IS NULL) AS parked,
       EXISTS (SELECT 1 FROM registration_create_intent i WHERE i.company_id = q.company_id AND i.forecast_registration_id = q.registration_id AND i.origin = 'timelog') AS created_from_timelog,
       (SELECT i.work_guid FROM registration_create_intent i
         WHERE q.content IS NOT NULL AND i.company_id = q.company_id AND i.forecast_registration_id IS NULL AND i.origin = 'timelog'
           AND i.created_at > now() - interval '${CREATE_AWAITING_ID_HORIZON_MINUTES} minutes' AND i.attempts @> jsonb_build_array(q.content)
         LIMIT 1) AS create_awaiting_id
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::jsonb[]) WITH ORDINALITY
       AS q(company_id, registration_id, task_id, project_id, person_id, message_key, content, n)
     ORDER BY q.n`,
    [
      keys.map((key) => key.companyId),
      keys.map((key) => key.registrationId),
      keys.map((key) => key.taskId),
      keys.map((key) => key.projectId),
      keys.map((key) => key.personId),
      keys.map((key) => key.messageKey),
      keys.map((key) => (key.content ? JSON.stringify(key.content) : null)),
    ],
  );
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
 * After successful writes, in one round trip (the writer's hot path: the handlers of a chunk record together): each
 * intent is done, each pair records what was synced (its origin kept when it exists), and an audit row per write
 * says what changed. At most one write per registration (one key's events run one after another).
 */
export async function recordWrittenPairs(db: Queryable, writes: WrittenRegistration[]): Promise<void> {
  await sqlExec(
    db,
    `WITH w AS (
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::text[], $8::jsonb[], $9::text[], $10::text[]) WITH ORDINALITY
         AS w(company_id, forecast_id, work_guid, synced_hash, content, forecast_updated_at, action, before, trace_id, reason, n)
     ), intent_done AS (
       DELETE FROM registration_create_intent i USING w WHERE i.company_id = w.company_id AND i.work_guid = w.work_guid
     ), pair AS (
       INSERT INTO entity_link (company_id, kind, forecast_id, timelog_ref, origin, synced_hash, snapshot, forecast_updated_at, timelog_changed_at, deleted_at, updated_at)
       SELECT company_id, 'time-registration', forecast_id, work_guid, 'forecast', synced_hash, content, forecast_updated_at, now(), NULL, now() FROM w ORDER BY n
       ON CONFLICT (company_id, kind, forecast_id) WHERE forecast_id IS NOT NULL DO UPDATE SET
         timelog_ref = EXCLUDED.timelog_ref, synced_hash = EXCLUDED.synced_hash, snapshot = EXCLUDED.snapshot,
         forecast_updated_at = EXCLUDED.forecast_updated_at, timelog_changed_at = now(), deleted_at = NULL, updated_at = now()
     )
     INSERT INTO sync_action (company_id, direction, entity_kind, forecast_id, timelog_ref, action, reason, before, after, trace_id)
     SELECT company_id, 'forecast-to-timelog', 'time-registration', forecast_id, work_guid, action, reason, before, content, trace_id FROM w ORDER BY n`,
    [
      writes.map((written) => written.companyId),
      writes.map((written) => written.registrationId),
      writes.map((written) => written.workGuid),
      writes.map((written) => written.hash),
      writes.map((written) => JSON.stringify(written.content)),
      writes.map((written) => written.forecastUpdatedAt),
      writes.map((written) => written.action),
      writes.map((written) => (written.before === null ? null : JSON.stringify(written.before))),
      writes.map((written) => written.traceId),
      writes.map((written) => written.reason),
    ],
  );
}

/**
 * When Forecast last changed each of these registrations as their pairs reflect it, and the content synced (pairs of
 * registrations not yet synced are absent).
 */
export function syncedRegistrationVersions(db: Queryable, companyId: string, registrationIds: number[]): Promise<{ forecast_id: string; forecast_updated_at: Date; synced_hash: string | null }[]> {
  return sqlRows(
    db,
    `SELECT forecast_id::text AS forecast_id, forecast_updated_at, synced_hash FROM entity_link
     WHERE company_id = $1 AND kind = 'time-registration' AND forecast_id = ANY($2::bigint[]) AND forecast_updated_at IS NOT NULL`,
    [companyId, registrationIds],
  );
}
