import { DataSource } from 'typeorm';
import { AdministrationError } from './administration-error';
import { Role } from './admin-roles';

/**
 * Who holds which role, by verified e-mail. Chosen over an allow-list of e-mail domains: a domain says who belongs
 * to the company, not who may change its credentials, and contractors with other domains need roles too.
 */
export class RoleGrants {
  constructor(private readonly dataSource: DataSource) {}

  /** Grants (or changes) a person's role; `operator` takes no company. */
  async grant(email: string, role: Role, companyId: string | null): Promise<void> {
    if ((role === 'operator') !== (companyId === null)) throw new AdministrationError(400, 'grant.invalid', 'operator is granted without a company; every other role with one');
    try {
      await this.dataSource.query(
        `INSERT INTO admin_role_grant (email, company_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (email, coalesce(company_id, '')) DO UPDATE SET role = EXCLUDED.role, granted_at = now()`,
        [email.toLowerCase(), companyId, role],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw new AdministrationError(404, 'company.not_found', `Company ${companyId} does not exist`);
      throw error;
    }
  }

  async revoke(email: string, companyId: string | null): Promise<void> {
    await this.dataSource.query(`DELETE FROM admin_role_grant WHERE email = $1 AND coalesce(company_id, '') = coalesce($2, '')`, [email.toLowerCase(), companyId]);
  }

  async list(companyId: string): Promise<{ email: string; role: Role }[]> {
    return this.dataSource.query(`SELECT email, role FROM admin_role_grant WHERE company_id = $1 ORDER BY email`, [companyId]);
  }
}
