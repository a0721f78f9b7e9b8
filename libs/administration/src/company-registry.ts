import { DataSource } from 'typeorm';
import { Company, findAdminKeyHash, findCompany, findCompanyName, insertCompany, listCompanies, listCompanyProblems, setAdminKeyHash } from '@timelog-sync/persistence';
import { newAccessToken, tokenHash, tokenMatches } from '@timelog-sync/company-directory';
import { AdministrationError } from './administration-error';
import { describeIncident, PIPELINE_INCIDENTS } from './incident-notices';

export interface CompanyView {
  id: string;
  name: string;
  status: string;
  health: string;
  healthReason: string | null;
  timelogDomain: string | null;
  timelogAccountName: string | null;
  pollIntervalMinutes: number;
  syncFrom: string | null;
  activatedAt: string | null;
  /** Why the sync is stopped, per vendor API, with the fix (the console's banner); only on a single company's view. */
  problems?: { vendor: string; condition: string; reason: string; since: string; headline: string; cause: string; fix: string }[];
}

/** The stored hash of a revoked key: no SHA-256 is empty, so no key matches it. */
const REVOKED = '';

/** Companies as operators create them; the admin key is shown once and only its hash is kept. */
export class CompanyRegistry {
  constructor(
    private readonly dataSource: DataSource,
    private readonly forecastBaseUrl: string,
  ) {}

  async create(id: string, name: string): Promise<{ company: CompanyView; adminKey: string }> {
    const adminKey = newAccessToken();
    try {
      await insertCompany(this.dataSource, {
        id, name, status: 'inactive', health: 'ok', adminKeyHash: tokenHash(adminKey), forecastBaseUrl: this.forecastBaseUrl, pollIntervalMinutes: 15,
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new AdministrationError(409, 'company.exists', `Company ${id} already exists`);
      throw error;
    }
    return { company: await this.view(id), adminKey };
  }

  async list(): Promise<CompanyView[]> {
    const companies = await listCompanies(this.dataSource);
    return companies.map(toView);
  }

  async view(id: string): Promise<CompanyView> {
    const company = await findCompany(this.dataSource, id);
    if (!company) throw new AdministrationError(404, 'company.not_found', `Company ${id} does not exist`);
    // A vendor's trouble as the services record it; the pipeline's own (parked items, dead letters) while its incident is open.
    const health = await listCompanyProblems(this.dataSource, id, PIPELINE_INCIDENTS);
    return { ...toView(company), problems: health.map((row) => ({ vendor: row.vendor, condition: row.condition, reason: row.reason, since: row.since.toISOString(), ...describeIncident(row.vendor, row.condition) })) };
  }

  async exists(id: string): Promise<boolean> {
    return (await findCompanyName(this.dataSource, id)) !== null;
  }

  /** A new admin key for the company, shown once; the old one stops working with this call. */
  async rotateAdminKey(id: string): Promise<{ adminKey: string }> {
    const adminKey = newAccessToken();
    await this.setAdminKeyHash(id, tokenHash(adminKey));
    return { adminKey };
  }

  /** No admin key opens the company any more (until rotated); the operator token still does. */
  async revokeAdminKey(id: string): Promise<void> {
    await this.setAdminKeyHash(id, REVOKED);
  }

  private async setAdminKeyHash(id: string, adminKeyHash: string): Promise<void> {
    if (!(await setAdminKeyHash(this.dataSource, id, adminKeyHash))) throw new AdministrationError(404, 'company.not_found', `Company ${id} does not exist`);
  }

  /**
   * True when `adminKey` is this company's; the same answer time whether or not the company exists.
   * Read from PostgreSQL on every call (no cache), so a rotated or revoked key is refused at once.
   */
  async adminKeyMatches(id: string, adminKey: string): Promise<boolean> {
    const stored = await findAdminKeyHash(this.dataSource, id);
    return tokenMatches(adminKey, stored ?? '0'.repeat(64)) && stored !== null;
  }
}

const toView = (company: Company): CompanyView => ({
  id: company.id,
  name: company.name,
  status: company.status,
  health: company.health,
  healthReason: company.healthReason,
  timelogDomain: company.timelogDomain,
  timelogAccountName: company.timelogAccountName,
  pollIntervalMinutes: company.pollIntervalMinutes,
  syncFrom: company.syncFrom,
  activatedAt: company.activatedAt?.toISOString() ?? null,
});
