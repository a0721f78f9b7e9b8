import { EntityManager } from 'typeorm';
import { trace } from '@opentelemetry/api';
import { SyncAction } from '@timelog-sync/persistence';

export type AuditEntry = Pick<SyncAction, 'companyId' | 'direction' | 'entityKind' | 'action'> &
  Partial<Pick<SyncAction, 'forecastId' | 'timelogRef' | 'reason' | 'before' | 'after'>>;

/** One audit row per decision, with the trace id so an SRE can jump from the activity log to the trace. */
export async function audit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  await manager.insert(SyncAction, {
    ...entry,
    timelogRef: entry.timelogRef?.toLowerCase() ?? null,
    forecastId: entry.forecastId ?? null,
    reason: entry.reason ?? null,
    // jsonb columns: TypeORM's partial-entity typing cannot express `unknown`.
    before: (entry.before ?? null) as never,
    after: (entry.after ?? null) as never,
    traceId: trace.getActiveSpan()?.spanContext().traceId ?? null,
  });
}

/** Why a write happened when an admin asked for it (a resync sends its change with the reconciliation source). */
export const resyncReason = (source: string): string | null => (source === 'reconciliation' ? 'resynced at an admin’s request' : null);
