import { DataSource } from 'typeorm';
import { AdministrationError } from './administration-error';
import { deleteRoleGrant, listCompanyRoleGrants, upsertRoleGrant } from '@timelog-sync/persistence';
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
      await upsertRoleGrant(this.dataSource, { email: email.toLowerCase(), company_id: companyId, role });
    } catch (error) {
      if ((error as { code?: string }).code === '23503') throw new AdministrationError(404, 'company.not_found', `Company ${companyId} does not exist`);
      throw error;
    }
  }

  async revoke(email: string, companyId: string | null): Promise<void> {
    await deleteRoleGrant(this.dataSource, email.toLowerCase(), companyId);
  }

  async list(companyId: string): Promise<{ email: string; role: Role }[]> {
    return listCompanyRoleGrants(this.dataSource, companyId);
  }
}
