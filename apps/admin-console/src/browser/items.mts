import { api, companyPath } from './api.mjs';
import type { ActivityEntry, ParkedItem, SyncedAction } from './api-types.mjs';

/** The actions that changed the other system; typed against the server's list, so a new one fails type-checking here. */
const SYNCED: Record<SyncedAction, string> = {
  created: 'Created',
  updated: 'Updated',
  deleted: 'Deleted',
  deactivated: 'Deactivated',
  'conflict-resolved': 'Conflict resolved',
};

const OTHER_ACTIONS: Record<string, string> = {
  parked: 'Parked',
  skipped: 'Skipped',
  unchanged: 'Unchanged',
  'echo-dropped': 'Own echo ignored',
  'resync-requested': 'Resync requested',
  allocated: 'Allocated',
  'allocation-ended': 'Allocation ended',
};

export const actionLabel = (action: string) => (SYNCED as Record<string, string>)[action] ?? OTHER_ACTIONS[action] ?? action;
export const isSyncedAction = (action: string) => action in SYNCED;

const KINDS: Record<string, string> = { task: 'Task', 'time-registration': 'Time registration', allocation: 'Allocation' };
export const kindLabel = (kind: string) => KINDS[kind] ?? kind;

/** Parked and dead-lettered messages are keyed `<company>:<kind>:<Forecast id>`. */
export function itemOfKey(key: string | null): { kind: string; forecastId: number } | null {
  const match = /:(task|time-registration):(\d+)$/.exec(key ?? '');
  return match ? { kind: match[1], forecastId: Number(match[2]) } : null;
}

export function itemLabel(key: string | null): string {
  const item = itemOfKey(key);
  return item ? `${kindLabel(item.kind)} ${item.forecastId}` : (key ?? 'Unkeyed message');
}

export type ItemOutcome = { state: 'parked'; text: string } | { state: 'synced' | 'other'; text: string };

/** What became of a parked item: still parked, synced since it was parked, or else the last thing the sync did with it. */
export async function outcomeOf(companyId: string, item: ParkedItem, stillParked: ParkedItem[]): Promise<ItemOutcome> {
  const current = stillParked.find((candidate) => candidate.key === item.key);
  if (current) return { state: 'parked', text: `Parked: ${current.reason}` };
  const target = itemOfKey(item.key);
  if (!target) return { state: 'other', text: 'No longer parked' };
  const history = (await api<ActivityEntry[]>('GET', companyPath(companyId, `/activity?forecastId=${target.forecastId}&limit=50`))).filter((entry) => entry.entityKind === target.kind);
  // Later deliveries of the same change (echoes, the safety-net poll) come after the sync itself; the sync is what counts.
  const synced = history.find((entry) => isSyncedAction(entry.action) && entry.occurredAt >= item.parkedAt);
  if (synced) return { state: 'synced', text: `Synced (${actionLabel(synced.action).toLowerCase()})` };
  return { state: 'other', text: history[0] ? actionLabel(history[0].action) : 'No longer parked' };
}
