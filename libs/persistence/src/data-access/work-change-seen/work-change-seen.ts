import { Queryable, sqlRows } from '../sql';

/** work_change_seen: a TimeLog change-log row already turned into an event. */
export interface WorkChangeSeenRow {
  company_id: string;
  work_guid: string;
  action: string;
  action_date: string;
  seen_at: Date;
}

export type WorkChangeKey = Pick<WorkChangeSeenRow, 'work_guid' | 'action' | 'action_date'>;

/** A change-log row's key with its work unit's synced pair, when it has one. */
export type WorkChangeWithPair = WorkChangeKey & { forecast_id: string | null; synced_hash: string | null };

/** Change-log rows as parallel columns, each with the message key of its work unit's events. */
export interface WorkChangeColumns {
  guids: string[];
  actions: string[];
  actionDates: string[];
  messageKeys: string[];
}

const params = (companyId: string, rows: WorkChangeColumns) => [companyId, rows.guids, rows.actions, rows.actionDates, rows.messageKeys];

/**
 * The row's work unit as the sync pairs it, live on both sides; none while an event of the unit waits parked (the
 * writer's handling of it settles that event too). `r` has the row's `work_guid` and `message_key`.
 */
const SYNCED_PAIR = `LEFT JOIN entity_link l ON l.company_id = $1 AND l.kind = 'time-registration' AND l.timelog_ref = r.work_guid
       AND l.forecast_id IS NOT NULL AND l.forecast_deleted_at IS NULL AND l.timelog_deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM parked_event p WHERE p.company_id = $1 AND p.message_key = r.message_key AND p.resolved_at IS NULL)`;

/** Each row in order: whether it was seen before, and its work unit's synced pair (one round trip for both). */
export function readWorkChanges(db: Queryable, companyId: string, rows: WorkChangeColumns): Promise<(WorkChangeWithPair & { seen: boolean })[]> {
  return sqlRows(
    db,
    `SELECT r.work_guid, r.action, r.action_date, l.forecast_id::text AS forecast_id, l.synced_hash,
       EXISTS (SELECT 1 FROM work_change_seen s WHERE s.company_id = $1 AND s.work_guid = r.work_guid AND s.action = r.action AND s.action_date = r.action_date) AS seen
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS r(work_guid, action, action_date, message_key, n)
     ${SYNCED_PAIR}
     ORDER BY r.n`,
    params(companyId, rows),
  );
}

/**
 * Records the rows as seen and returns those this statement recorded first, each with its work unit's synced pair as
 * this transaction sees it (one round trip for both).
 */
export function recordWorkChangesSeen(db: Queryable, companyId: string, rows: WorkChangeColumns): Promise<WorkChangeWithPair[]> {
  return sqlRows(
    db,
    `WITH input AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS i(work_guid, action, action_date, message_key)),
     fresh AS (
       INSERT INTO work_change_seen (company_id, work_guid, action, action_date) SELECT $1, work_guid, action, action_date FROM input
       ON CONFLICT DO NOTHING RETURNING work_guid, action, action_date)
     SELECT r.work_guid, r.action, r.action_date, l.forecast_id::text AS forecast_id, l.synced_hash
     FROM (SELECT DISTINCT ON (f.work_guid, f.action, f.action_date) f.*, i.message_key FROM fresh f JOIN input i USING (work_guid, action, action_date)) r
     ${SYNCED_PAIR}`,
    params(companyId, rows),
  );
}
