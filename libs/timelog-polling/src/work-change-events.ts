import { WorkChangedEvent, workChanged } from '@timelog-sync/contracts';
import { workSnapshot } from '@timelog-sync/timelog-client';
import type { Work } from '@timelog-sync/domain';
import type { ChangeRow } from './work-change-rows';

/**
 * One event per GUID of a page, in change-log order at its latest row, so per-key order follows TimeLog's.
 * Upserts carry the unit as read now; a unit no longer found was deleted meanwhile and its Deleted row follows.
 */
export function pageEvents(companyId: string, rows: ChangeRow[], details: Map<string, Work>, traceparent?: string): WorkChangedEvent[] {
  const byGuid = new Map<string, WorkChangedEvent>();
  for (const row of rows) {
    const work = row.kind === 'upserted' ? details.get(row.guid) : undefined;
    if (row.kind === 'upserted' && !work) continue;
    byGuid.delete(row.guid);
    byGuid.set(row.guid, workChanged(companyId, row.guid, row.actionDate, work ? workSnapshot(work) : null, 'poll', traceparent));
  }
  return [...byGuid.values()];
}
