import { SyncAction } from '../../entities';
import { managerOf, Queryable } from '../sql';

/** An audit row (sync_action) is written as its entity. */
export type SyncActionRow = SyncAction;

export type SyncActionEntry = Pick<SyncAction, 'companyId' | 'direction' | 'entityKind' | 'action'> &
  Partial<Pick<SyncAction, 'forecastId' | 'timelogRef' | 'reason' | 'before' | 'after'>>;

/** One audit row per decision, with the trace id so an SRE can jump from the activity log to the trace. */
export async function recordSyncAction(db: Queryable, entry: SyncActionEntry, traceId: string | null): Promise<void> {
  await managerOf(db).insert(SyncAction, {
    ...entry,
    timelogRef: entry.timelogRef?.toLowerCase() ?? null,
    forecastId: entry.forecastId ?? null,
    reason: entry.reason ?? null,
    // jsonb columns: TypeORM's partial-entity typing cannot express `unknown`.
    before: (entry.before ?? null) as never,
    after: (entry.after ?? null) as never,
    traceId,
  });
}
