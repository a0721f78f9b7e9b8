import { EntityManager } from 'typeorm';
import { trace } from '@opentelemetry/api';
import { recordSyncAction, SyncActionEntry } from '@timelog-sync/persistence';

export type AuditEntry = SyncActionEntry;

/** One audit row per decision, with the trace id so an SRE can jump from the activity log to the trace. */
export function audit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  return recordSyncAction(manager, entry, trace.getActiveSpan()?.spanContext().traceId ?? null);
}

/** Why a write happened when an admin asked for it (a resync sends its change with the reconciliation source). */
export const resyncReason = (source: string): string | null => (source === 'reconciliation' ? 'resynced at an admin’s request' : null);
