import { Queryable, sqlExec, sqlRows } from '../sql';

export type AdminRole = 'operator' | 'owner' | 'editor' | 'viewer';

/** Who holds which role, by verified e-mail; `company_id` is null for an operator. */
export interface AdminRoleGrantRow {
  email: string;
  company_id: string | null;
  role: AdminRole;
  granted_at: Date;
}

/** Grants (or changes) a role; a company that does not exist fails with PostgreSQL's 23503. */
export async function upsertRoleGrant(db: Queryable, grant: Pick<AdminRoleGrantRow, 'email' | 'company_id' | 'role'>): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO admin_role_grant (email, company_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (email, coalesce(company_id, '')) DO UPDATE SET role = EXCLUDED.role, granted_at = now()`,
    [grant.email, grant.company_id, grant.role],
  );
}

export async function deleteRoleGrant(db: Queryable, email: string, companyId: string | null): Promise<void> {
  await sqlExec(db, `DELETE FROM admin_role_grant WHERE email = $1 AND coalesce(company_id, '') = coalesce($2, '')`, [email, companyId]);
}

export async function listCompanyRoleGrants(db: Queryable, companyId: string): Promise<{ email: string; role: AdminRole }[]> {
  return sqlRows(db, `SELECT email, role FROM admin_role_grant WHERE company_id = $1 ORDER BY email`, [companyId]);
}

export async function listRoleGrantsOf(db: Queryable, email: string): Promise<{ company_id: string | null; role: AdminRole }[]> {
  return sqlRows(db, `SELECT company_id, role FROM admin_role_grant WHERE email = $1`, [email]);
}

/** The e-mails of a company's owners, sorted. */
export async function listOwnerEmails(db: Queryable, companyId: string): Promise<string[]> {
  const rows = await sqlRows<{ email: string }>(db, `SELECT email FROM admin_role_grant WHERE company_id = $1 AND role = 'owner' ORDER BY email`, [companyId]);
  return rows.map((row) => row.email);
}
