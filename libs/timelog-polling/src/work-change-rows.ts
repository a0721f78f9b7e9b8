import type { WorkGuid } from '@timelog-sync/contracts';
import type { WorkChange, WorkChangeAction } from '@timelog-sync/domain';

/** A change-log row as the poller counts it: the dedupe key (GUID, action, action date) and what to emit. */
export type ChangeRow =
  | { kind: 'deleted'; guid: WorkGuid; action: WorkChangeAction; actionDate: string }
  | { kind: 'upserted'; guid: WorkGuid; action: WorkChangeAction; actionDate: string; employeeInitials: string; date: string };

export type UpsertedRow = Extract<ChangeRow, { kind: 'upserted' }>;

export const seenKey = (row: { guid: string; action: string; actionDate: string }) => `${row.guid}\u0000${row.action}\u0000${row.actionDate}`;

/**
 * TimeLog fills only the GUID and the action for rows of work that no longer exists, even its ActionDate. Such a
 * Deleted row is keyed on the window day instead: stable across re-reads, and the day it was logged under.
 * Created/Updated rows of vanished work are skipped: the unit's Deleted row says all there is to say.
 */
export function changeRowOf(change: WorkChange, windowDay: string): ChangeRow | null {
  const guid = change.workUnitGuid;
  const actionDate = (!change.removed && change.actionDate) || windowDay;
  if (change.action === 'Deleted') return { kind: 'deleted', guid, action: change.action, actionDate };
  if (change.removed) return null;
  return { kind: 'upserted', guid, action: change.action, actionDate, employeeInitials: change.employeeInitials, date: change.date };
}
