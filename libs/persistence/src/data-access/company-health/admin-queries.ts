import { Queryable, sqlRows } from '../sql';

/** A company's open problem as the console's banner shows it: a vendor's trouble or a pipeline incident. */
export interface CompanyProblemRow {
  vendor: string;
  condition: string;
  reason: string;
  since: Date;
}

/**
 * A vendor's trouble as the services record it, and the pipeline's own (`pipelineSources`: parked items, dead
 * letters) while its incident is open; by vendor.
 */
export async function listCompanyProblems(db: Queryable, companyId: string, pipelineSources: readonly string[]): Promise<CompanyProblemRow[]> {
  return sqlRows(
    db,
    `SELECT vendor, condition, reason, since FROM company_health WHERE company_id = $1
       UNION ALL SELECT vendor, condition, reason, opened_at FROM incident_notice WHERE company_id = $1 AND recovered_at IS NULL AND vendor = ANY($2)
       ORDER BY vendor`,
    [companyId, pipelineSources],
  );
}
