import type { EntityManager } from 'typeorm';
import { Company } from '../../entities/company.entity';
import { ForecastWebhookSubscriptionRecord } from '../../entities/sync-records.entity';
import { Queryable, sqlOne } from '../sql';

/** Code that reads or writes through the TypeORM entities (a DataSource, or a transaction's EntityManager). */
export type Repositories = Pick<EntityManager, 'getRepository'>;

/** A company's row as its entity maps it. */
export type CompanyRow = Company;
/** A Forecast webhook subscription registered for a company (removed again on deactivation). */
export type ForecastWebhookSubscriptionRow = ForecastWebhookSubscriptionRecord;

/** Inserts a new company; an id already taken fails with PostgreSQL's 23505. */
export async function insertCompany(db: Repositories, company: Pick<Company, 'id' | 'name' | 'status' | 'health' | 'adminKeyHash' | 'forecastBaseUrl' | 'pollIntervalMinutes'>): Promise<void> {
  await db.getRepository(Company).insert(company);
}

export async function listCompanies(db: Repositories): Promise<Company[]> {
  return db.getRepository(Company).find({ order: { id: 'ASC' } });
}

export async function findCompany(db: Repositories, id: string): Promise<Company | null> {
  return db.getRepository(Company).findOneBy({ id });
}

export async function findCompanyName(db: Queryable, id: string): Promise<string | null> {
  return (await sqlOne<{ name: string }>(db, `SELECT name FROM company WHERE id = $1`, [id]))?.name ?? null;
}

/** The stored hash of the company's admin key, or null when there is no such company. */
export async function findAdminKeyHash(db: Repositories, id: string): Promise<string | null> {
  const company = await db.getRepository(Company).findOne({ where: { id }, select: { id: true, adminKeyHash: true } });
  return company ? company.adminKeyHash : null;
}

/** False when there is no such company. */
export async function setAdminKeyHash(db: Repositories, id: string, adminKeyHash: string): Promise<boolean> {
  const { affected } = await db.getRepository(Company).update({ id }, { adminKeyHash });
  return !!affected;
}

/** What the activation changes of a company's row (run inside the activation's transaction). */
export type CompanyActivationFields = Pick<Company, 'timelogDomain' | 'timelogAccountName' | 'webhookTokenHash' | 'syncFrom' | 'pollIntervalMinutes'>;

export async function markCompanyActive(db: Repositories, id: string, activation: CompanyActivationFields): Promise<void> {
  await db.getRepository(Company).update({ id }, { status: 'active', ...activation, activatedAt: new Date(), updatedAt: new Date() });
}

/** Inactive, and without the webhook token, so the ingestor refuses Forecast's deliveries at once. */
export async function markCompanyInactive(db: Repositories, id: string): Promise<void> {
  await db.getRepository(Company).update({ id }, { status: 'inactive', webhookTokenHash: null, updatedAt: new Date() });
}

/** The activation as the settings log shows it (no secret). */
export async function findActivationSnapshot(db: Queryable, id: string): Promise<Record<string, unknown> | null> {
  return sqlOne(
    db,
    `SELECT status, timelog_domain AS "timelogDomain", timelog_account_name AS "timelogAccountName", to_char(sync_from, 'YYYY-MM-DD') AS "syncFrom",
             poll_interval_minutes AS "pollIntervalMinutes" FROM company WHERE id = $1`,
    [id],
  );
}

export async function recordWebhookSubscriptions(db: Repositories, subscriptions: Pick<ForecastWebhookSubscriptionRecord, 'companyId' | 'subscriptionId' | 'objectType' | 'eventType'>[]): Promise<void> {
  await db.getRepository(ForecastWebhookSubscriptionRecord).insert(subscriptions);
}

export async function listWebhookSubscriptions(db: Repositories, companyId: string): Promise<ForecastWebhookSubscriptionRecord[]> {
  return db.getRepository(ForecastWebhookSubscriptionRecord).findBy({ companyId });
}

export async function forgetWebhookSubscriptions(db: Repositories, companyId: string): Promise<void> {
  await db.getRepository(ForecastWebhookSubscriptionRecord).delete({ companyId });
}
