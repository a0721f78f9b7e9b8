import type { TimelogWorkSnapshotV1 } from '@timelog-sync/contracts';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import type { Work } from '@timelog-sync/domain';
import type { OutgoingEvent } from '@timelog-sync/persistence';
import type { ChangeRow } from './work-change-rows';

export type WorkChangedEvent = OutgoingEvent<typeof TOPICS.timelogWorkChanged>;

export const workSnapshot = (work: Work): TimelogWorkSnapshotV1 => ({
  guid: work.guid.toLowerCase(),
  taskId: work.taskId,
  employeeInitials: work.employeeInitials,
  date: work.startDateTime.slice(0, 10),
  minutes: Math.round(work.minutes),
  description: work.description,
  // Unknown means TimeLog did not say it is closed; a write into a closed week is refused and parked anyway.
  isEditable: work.isEditable ?? true,
});

export function workChanged(
  companyId: string,
  workGuid: string,
  actionDate: string,
  work: TimelogWorkSnapshotV1 | null,
  source: 'poll' | 'reconciliation',
  traceparent?: string,
): WorkChangedEvent {
  return {
    topic: TOPICS.timelogWorkChanged,
    key: KEYS.work(companyId, workGuid),
    tenantId: companyId,
    traceparent,
    value: { companyId, workGuid: workGuid.toLowerCase(), change: work ? 'upserted' : 'deleted', source, observedAt: new Date().toISOString(), actionDate, work },
  };
}

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
