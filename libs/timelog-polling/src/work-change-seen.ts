import { DataSource, EntityManager } from 'typeorm';
import { ChangeRow, seenKey } from './work-change-rows';

const columns = (rows: ChangeRow[]) => [rows.map((row) => row.guid), rows.map((row) => row.action), rows.map((row) => row.actionDate)];

/** The rows not yet turned into events; read before fetching details so re-read pages cost no detail calls. */
export async function unseenRows(dataSource: DataSource, companyId: string, rows: ChangeRow[]): Promise<ChangeRow[]> {
  if (rows.length === 0) return [];
  const seen: { work_guid: string; action: string; action_date: string }[] = await dataSource.query(
    `SELECT work_guid, action, action_date FROM work_change_seen
     WHERE company_id = $1 AND (work_guid, action, action_date) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
    [companyId, ...columns(rows)],
  );
  const known = new Set(seen.map((row) => seenKey({ guid: row.work_guid, action: row.action, actionDate: row.action_date })));
  return rows.filter((row) => !known.has(seenKey(row)));
}

/**
 * Records rows as seen in the caller's transaction and returns those this transaction recorded first: only they
 * may produce events, so a concurrent or repeated poll of the same page emits nothing twice.
 */
export async function markSeen(manager: EntityManager, companyId: string, rows: ChangeRow[]): Promise<ChangeRow[]> {
  if (rows.length === 0) return [];
  const inserted: { work_guid: string; action: string; action_date: string }[] = await manager.query(
    `INSERT INTO work_change_seen (company_id, work_guid, action, action_date)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
     ON CONFLICT DO NOTHING RETURNING work_guid, action, action_date`,
    [companyId, ...columns(rows)],
  );
  const fresh = new Set(inserted.map((row) => seenKey({ guid: row.work_guid, action: row.action, actionDate: row.action_date })));
  return rows.filter((row) => fresh.has(seenKey(row)));
}
