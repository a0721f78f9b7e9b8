import { DataSource, EntityManager } from 'typeorm';
import { recordWorkChangesSeen, seenWorkChanges } from '@timelog-sync/persistence';
import { ChangeRow, seenKey } from './work-change-rows';

const columns = (rows: ChangeRow[]): [string[], string[], string[]] => [rows.map((row) => row.guid), rows.map((row) => row.action), rows.map((row) => row.actionDate)];

/** The rows not yet turned into events; read before fetching details so re-read pages cost no detail calls. */
export async function unseenRows(dataSource: DataSource, companyId: string, rows: ChangeRow[]): Promise<ChangeRow[]> {
  if (rows.length === 0) return [];
  const seen = await seenWorkChanges(dataSource, companyId, ...columns(rows));
  const known = new Set(seen.map((row) => seenKey({ guid: row.work_guid, action: row.action, actionDate: row.action_date })));
  return rows.filter((row) => !known.has(seenKey(row)));
}

/**
 * Records rows as seen in the caller's transaction and returns those this transaction recorded first: only they
 * may produce events, so a concurrent or repeated poll of the same page emits nothing twice.
 */
export async function markSeen(manager: EntityManager, companyId: string, rows: ChangeRow[]): Promise<ChangeRow[]> {
  if (rows.length === 0) return [];
  const inserted = await recordWorkChangesSeen(manager, companyId, ...columns(rows));
  const fresh = new Set(inserted.map((row) => seenKey({ guid: row.work_guid, action: row.action, actionDate: row.action_date })));
  return rows.filter((row) => fresh.has(seenKey(row)));
}
