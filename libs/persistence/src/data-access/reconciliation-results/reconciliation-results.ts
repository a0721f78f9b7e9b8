import { Queryable, sqlExec, sqlRows } from '../sql';

/** The differences a nightly reconciliation of a company found, counted per kind. */
export interface ReconciliationResultRow {
  id: string;
  company_id: string;
  date_from: string;
  date_to: string;
  counts: Record<string, number>;
  ran_at: Date;
}

export async function recordReconciliationResult(db: Queryable, companyId: string, from: string, to: string, counts: Record<string, number>): Promise<void> {
  await sqlExec(db, `INSERT INTO reconciliation_result (company_id, date_from, date_to, counts) VALUES ($1, $2, $3, $4)`, [companyId, from, to, JSON.stringify(counts)]);
}

/** Each active company with the counts of its last result (null before its first). */
export async function listLatestReconciliationCounts(db: Queryable): Promise<{ company_id: string; counts: Record<string, number> | null }[]> {
  return sqlRows(
    db,
    `SELECT c.id AS company_id, r.counts FROM company c
       LEFT JOIN LATERAL (SELECT counts FROM reconciliation_result WHERE company_id = c.id ORDER BY id DESC LIMIT 1) r ON true
       WHERE c.status = 'active'`,
  );
}
