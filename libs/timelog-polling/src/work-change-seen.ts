import { DataSource, EntityManager } from 'typeorm';
import { KEYS, toWorkGuid, WorkGuid } from '@timelog-sync/contracts';
import { readWorkChanges, recordWorkChangesSeen, WorkChangeColumns, WorkChangeWithPair } from '@timelog-sync/persistence';
import { ChangeRow, seenKey } from './work-change-rows';

/** A work unit as the sync pairs it: its changes coming back are recognised against it. */
export interface SyncedWork {
  workGuid: string;
  forecastId: number;
  syncedHash: string | null;
}

/** An unseen change-log row with its work unit's synced pair, if any. */
export interface UnseenRow {
  row: ChangeRow;
  pair: SyncedWork | null;
}

const columns = (companyId: string, rows: ChangeRow[]): WorkChangeColumns => ({
  guids: rows.map((row) => row.guid),
  actions: rows.map((row) => row.action),
  actionDates: rows.map((row) => row.actionDate),
  messageKeys: rows.map((row) => KEYS.work(companyId, row.guid)),
});

const pairOf = (row: WorkChangeWithPair): SyncedWork | null => (row.forecast_id === null ? null : { workGuid: row.work_guid, forecastId: Number(row.forecast_id), syncedHash: row.synced_hash });

/**
 * The rows not yet turned into events, each with its work unit's synced pair; read before fetching details so
 * re-read pages cost no detail calls.
 */
export async function unseenRows(dataSource: DataSource, companyId: string, rows: ChangeRow[]): Promise<UnseenRow[]> {
  if (rows.length === 0) return [];
  const read = await readWorkChanges(dataSource, companyId, columns(companyId, rows));
  return rows.flatMap((row, index) => (read[index].seen ? [] : [{ row, pair: pairOf(read[index]) }]));
}

/**
 * Records rows as seen in the caller's transaction and returns those this transaction recorded first (only they may
 * produce events, so a concurrent or repeated poll of the same page emits nothing twice), with the synced pairs of
 * their work units as this transaction reads them.
 */
export async function markSeen(manager: EntityManager, companyId: string, rows: ChangeRow[]): Promise<{ fresh: ChangeRow[]; pairs: Map<WorkGuid, SyncedWork> }> {
  if (rows.length === 0) return { fresh: [], pairs: new Map() };
  const inserted = await recordWorkChangesSeen(manager, companyId, columns(companyId, rows));
  const fresh = new Set(inserted.map((row) => seenKey({ guid: row.work_guid, action: row.action, actionDate: row.action_date })));
  const pairs = new Map<WorkGuid, SyncedWork>();
  for (const row of inserted) {
    const pair = pairOf(row);
    if (pair) pairs.set(toWorkGuid(row.work_guid), pair);
  }
  return { fresh: rows.filter((row) => fresh.has(seenKey(row))), pairs };
}
