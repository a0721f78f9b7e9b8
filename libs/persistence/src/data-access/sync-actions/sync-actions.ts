import { SyncAction } from '../../entities';
import { Queryable, sqlExec } from '../sql';

/** An audit row (sync_action) is written as its entity. */
export type SyncActionRow = SyncAction;

export type SyncActionEntry = Pick<SyncAction, 'companyId' | 'direction' | 'entityKind' | 'action'> &
  Partial<Pick<SyncAction, 'forecastId' | 'timelogRef' | 'reason' | 'before' | 'after'>>;

/** An audit entry with the trace it was decided in, so an SRE can jump from the activity log to the trace. */
export type TracedSyncActionEntry = SyncActionEntry & { traceId: string | null };

/**
 * Audit rows, one per decision, in one statement in the given order (the writer's handlers of a chunk record
 * theirs together: one ORM insert each was the writer's most frequent statement).
 */
export async function recordSyncActions(db: Queryable, entries: TracedSyncActionEntry[]): Promise<void> {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  await sqlExec(
    db,
    `INSERT INTO sync_action (company_id, direction, entity_kind, forecast_id, timelog_ref, action, reason, before, after, trace_id)
     SELECT company_id, direction, entity_kind, forecast_id, timelog_ref, action, reason, before, after, trace_id
     FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[]) WITH ORDINALITY
       AS a(company_id, direction, entity_kind, forecast_id, timelog_ref, action, reason, before, after, trace_id, n)
     ORDER BY n`,
    [
      entries.map((entry) => entry.companyId),
      entries.map((entry) => entry.direction),
      entries.map((entry) => entry.entityKind),
      entries.map((entry) => entry.forecastId ?? null),
      entries.map((entry) => entry.timelogRef?.toLowerCase() ?? null),
      entries.map((entry) => entry.action),
      entries.map((entry) => entry.reason ?? null),
      entries.map((entry) => json(entry.before)),
      entries.map((entry) => json(entry.after)),
      entries.map((entry) => entry.traceId),
    ],
  );
}
