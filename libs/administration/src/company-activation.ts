import { DataSource } from 'typeorm';
import { ExternalCallError } from '@timelog-sync/domain';
import { Company, findCompany, forgetWebhookSubscriptions, listWebhookSubscriptions, markCompanyActive, markCompanyInactive, recordWebhookSubscriptions, schedulePollAfterActivation } from '@timelog-sync/persistence';
import { CompanyHealth, CredentialVault, HEALTH_SUBJECTS, newAccessToken, tokenHash } from '@timelog-sync/company-directory';
import { AdministrationError } from './administration-error';
import { ActivationRequest } from './activation-request';
import { AdminGatewayFactory, ForecastAdminGateway, TimeLogSiteSettings } from './gateways';
import { timelogOrigin, TimeLogDomainPolicy } from './timelog-domain-policy';

export const WEBHOOK_SUBSCRIPTIONS = [
  { type: 'TASK', event: 'CREATE', path: 'task' },
  { type: 'TASK', event: 'UPDATE', path: 'task' },
  { type: 'TASK', event: 'DELETE', path: 'task' },
  { type: 'TIME_REG', event: 'CREATE', path: 'time-registration' },
  { type: 'TIME_REG', event: 'UPDATE', path: 'time-registration' },
  { type: 'TIME_REG', event: 'DELETE', path: 'time-registration' },
] as const;

export interface CompanyActivationDependencies {
  dataSource: DataSource;
  vault: CredentialVault;
  gateways: AdminGatewayFactory;
  /** Public base URL of the forecast-ingestor, where Forecast posts webhooks. */
  webhookBaseUrl: string;
  /** Where a company's TimeLog may be: checked before anything connects to it. */
  timelogDomains: TimeLogDomainPolicy;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The seed article's "Activate TimeLog": check every credential live, then save, then subscribe to webhooks. */
export class CompanyActivation {
  private readonly health: CompanyHealth;

  constructor(private readonly deps: CompanyActivationDependencies) {
    this.health = new CompanyHealth(deps.dataSource);
  }

  async activate(companyId: string, request: ActivationRequest): Promise<{ status: 'active'; webhookSubscriptions: number }> {
    const company = await this.companyOrThrow(companyId);
    const domain = timelogOrigin(request.timelog.domain, this.deps.timelogDomains);
    if ('refused' in domain) {
      throw new AdministrationError(422, 'activation.domain_not_allowed', 'Activation refused: timelog.domain', { 'timelog.domain': domain.refused });
    }
    const site = { ...request.timelog, domain: domain.origin };
    const refused = await this.checkLive(site, company.forecastBaseUrl, request.forecast.apiKey);
    if (Object.keys(refused).length > 0) {
      throw new AdministrationError(422, 'activation.credentials_refused', `Activation refused: ${Object.keys(refused).join(', ')}`, refused);
    }
    const forecast = this.deps.gateways.forecast({ baseUrl: company.forecastBaseUrl, apiKey: request.forecast.apiKey });
    await this.removeSubscriptions(companyId, forecast);
    const token = newAccessToken();
    const subscriptions = await this.subscribe(forecast, token);
    try {
      await this.deps.dataSource.transaction(async (manager) => {
        await markCompanyActive(manager, companyId, {
          timelogDomain: site.domain,
          timelogAccountName: request.timelog.accountName,
          webhookTokenHash: tokenHash(token),
          syncFrom: request.syncFrom ?? company.syncFrom ?? today(),
          pollIntervalMinutes: request.pollIntervalMinutes ?? company.pollIntervalMinutes,
        });
        await this.deps.vault.store(manager, companyId, {
          timelog: {
            username: request.timelog.username,
            password: request.timelog.password,
            siteCode: request.timelog.siteCode,
            reportingUsername: request.timelog.reportingUsername,
            reportingPassword: request.timelog.reportingPassword,
          },
          forecastApiKey: request.forecast.apiKey,
        });
        await recordWebhookSubscriptions(manager, subscriptions.map((s) => ({ companyId, subscriptionId: s.id, objectType: s.type, eventType: s.event })));
        await schedulePollAfterActivation(manager, companyId);
      });
    } catch (error) {
      await Promise.allSettled(subscriptions.map((s) => forecast.deleteWebhookSubscription(s.id)));
      throw error;
    }
    // Both vendors (and TimeLog's Reporting API) just accepted the credentials live: that clears refusals and outages.
    for (const subject of HEALTH_SUBJECTS) await this.health.recordSuccess(companyId, subject, { force: true });
    return { status: 'active', webhookSubscriptions: subscriptions.length };
  }

  /**
   * Stops all sync for the company and removes its webhook subscriptions; links and history stay.
   * Sync stops first, whatever Forecast answers: without the token the ingestor refuses deliveries, and
   * the poller and writer leave inactive companies alone. Subscriptions Forecast did not remove stay
   * recorded, so deactivating again (or re-activating) retries them.
   */
  async deactivate(companyId: string): Promise<void> {
    const company = await this.companyOrThrow(companyId);
    await markCompanyInactive(this.deps.dataSource, companyId);
    const credentials = await this.deps.vault.load(this.deps.dataSource, companyId);
    if (!credentials) return;
    try {
      await this.removeSubscriptions(companyId, this.deps.gateways.forecast({ baseUrl: company.forecastBaseUrl, apiKey: credentials.forecastApiKey }));
    } catch (error) {
      throw new AdministrationError(
        502,
        'deactivation.webhooks_not_removed',
        `Sync is stopped, but Forecast did not remove the webhook subscriptions (${(error as Error).message}); deactivate again to retry`,
      );
    }
  }

  private async companyOrThrow(companyId: string): Promise<Company> {
    const company = await findCompany(this.deps.dataSource, companyId);
    if (!company) throw new AdministrationError(404, 'company.not_found', `Company ${companyId} does not exist`);
    return company;
  }

  /**
   * Names the field(s) that failed. The Reporting API is asked first: it tells whether the site exists
   * and, when it works, lets us tell a wrong username from a wrong password.
   */
  private async checkLive(site: TimeLogSiteSettings, forecastBaseUrl: string, forecastApiKey: string): Promise<Record<string, string>> {
    const refused: Record<string, string> = {};
    const timelog = this.deps.gateways.timelog(site);
    let reportingWorks = false;
    try {
      reportingWorks = await timelog.validateReporting();
      if (!reportingWorks) {
        const reason = 'TimeLog Reporting refused the site code, reporting username or reporting password';
        Object.assign(refused, { 'timelog.siteCode': reason, 'timelog.reportingUsername': reason, 'timelog.reportingPassword': reason });
      }
    } catch (error) {
      Object.assign(refused, siteProblem(error));
    }
    if (!refused['timelog.domain'] && !refused['timelog.accountName']) {
      try {
        await timelog.verifyLogin();
      } catch (error) {
        if (error instanceof ExternalCallError && error.retryable) {
          refused['timelog.domain'] = `TimeLog did not answer the login${failureCode(error)}`;
        } else if (reportingWorks) {
          const wanted = site.username.trim().toLowerCase();
          const users = await timelog.listUsers();
          const known = users.some((user) => [user.username, user.email, user.initials].some((name) => name?.toLowerCase() === wanted));
          if (known) refused['timelog.password'] = 'TimeLog refused the password for this user';
          else refused['timelog.username'] = 'TimeLog has no user with this username';
        } else {
          const reason = 'TimeLog refused the login (username or password)';
          Object.assign(refused, { 'timelog.username': reason, 'timelog.password': reason });
        }
      }
    }
    try {
      await this.deps.gateways.forecast({ baseUrl: forecastBaseUrl, apiKey: forecastApiKey }).listPersons();
    } catch (error) {
      refused['forecast.apiKey'] =
        error instanceof ExternalCallError && error.code === '401' ? 'Forecast refused the API key' : `Forecast could not be reached${failureCode(error)}`;
    }
    return refused;
  }

  private async subscribe(forecast: ForecastAdminGateway, token: string) {
    const created = [];
    try {
      for (const { type, event, path } of WEBHOOK_SUBSCRIPTIONS) {
        created.push(
          await forecast.createWebhookSubscription({
            name: `timelog-sync ${type} ${event}`,
            type,
            event,
            url: `${this.deps.webhookBaseUrl.replace(/\/+$/, '')}/webhooks/forecast/${token}/${path}`,
          }),
        );
      }
      return created;
    } catch (error) {
      await Promise.allSettled(created.map((s) => forecast.deleteWebhookSubscription(s.id)));
      throw new AdministrationError(502, 'activation.webhooks_failed', `Could not register Forecast webhooks: ${(error as Error).message}`);
    }
  }

  private async removeSubscriptions(companyId: string, forecast: ForecastAdminGateway): Promise<void> {
    const recorded = await listWebhookSubscriptions(this.deps.dataSource, companyId);
    for (const subscription of recorded) {
      await forecast.deleteWebhookSubscription(subscription.subscriptionId).catch((error: unknown) => {
        // Already gone in Forecast is the outcome we want.
        if (!(error instanceof ExternalCallError && error.code === '404')) throw error;
      });
    }
    await forgetWebhookSubscriptions(this.deps.dataSource, companyId);
  }
}

/** A failed Reporting call before any credential check: nobody answers (domain) or no such site (account name). */
function siteProblem(error: unknown): Record<string, string> {
  // The site path answers 404 when no site has this account name; transportFailure codes it `http-404`.
  if (error instanceof ExternalCallError && error.code === 'http-404') {
    return { 'timelog.accountName': 'No TimeLog site with this account name answers at this domain' };
  }
  return { 'timelog.domain': `No TimeLog site answers at this domain${failureCode(error)}` };
}

/**
 * Only the failure's code (e.g. ECONNREFUSED, http-502) reaches the admin: messages of network errors carry
 * addresses and ports, which must never be echoed to a tenant.
 */
const failureCode = (error: unknown): string => (error instanceof ExternalCallError && error.code ? ` (${error.code})` : '');
