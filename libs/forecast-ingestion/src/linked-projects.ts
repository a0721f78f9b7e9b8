import { DataSource } from 'typeorm';

/** The Forecast projects a company links; read per batch (cheap: primary-key index) so link changes apply at once. */
export async function linkedProjectIds(dataSource: DataSource, companyId: string): Promise<Set<number>> {
  const rows: { forecast_project_id: string }[] = await dataSource.query(`SELECT forecast_project_id FROM project_link WHERE company_id = $1`, [companyId]);
  return new Set(rows.map((row) => Number(row.forecast_project_id)));
}
