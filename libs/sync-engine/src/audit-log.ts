import { EntityManager } from 'typeorm';
import { recordSyncActions, SyncActionEntry, TracedSyncActionEntry } from '@timelog-sync/persistence';
import { currentTraceId } from '@timelog-sync/observability';

export type AuditEntry = SyncActionEntry;

/** The entry with the trace id of the decision being made, so an SRE can jump from the activity log to the trace. */
export const traced = (entry: AuditEntry): TracedSyncActionEntry => ({ ...entry, traceId: currentTraceId() });

/** One audit row per decision. */
export function audit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  return recordSyncActions(manager, [traced(entry)]);
}

/** Why a write happened when an admin asked for it (a resync sends its change with the reconciliation source). */
export const resyncReason = (source: string): string | null => (source === 'reconciliation' ? 'resynced at an admin’s request' : null);
