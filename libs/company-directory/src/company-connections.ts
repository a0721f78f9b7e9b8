import { DataSource } from 'typeorm';
import { PinningLruCache } from '@timelog-sync/util';
import { activeCompanyIds, Company, companyById } from '@timelog-sync/persistence';
import { createTimeLogClient, TimeLogClient } from '@timelog-sync/timelog-client';
import { createForecastClient, ForecastClient } from '@timelog-sync/forecast-client';
import type { Vendor } from '@timelog-sync/domain';
import { CredentialVault } from './credential-vault';
import { CompanyHealth, healthSubjectOf } from './company-health';

/** An active company with ready clients for both sides. */
export interface CompanyConnection {
  company: Company;
  forecast: ForecastClient;
  timelog: TimeLogClient;
}

/**
 * For services that must not wait on one company: calls time out after `timeoutMs`, a company whose call timed out
 * or that got a Retry-After is paused (its calls refused at once, see VendorPause), and only a short Retry-After is
 * waited out in-process, so the caller defers that company's work and serves the others.
 */
export interface DeferringCalls {
  timeoutMs: number;
  pauseAfterTimeoutSeconds: number;
}

const SHORT_RETRY_AFTER_SECONDS = 2;

export class CompanyUnavailableError extends Error {
  readonly retryable = false;

  constructor(companyId: string, reason: string) {
    super(`company ${companyId} cannot sync: ${reason}`);
    this.name = 'CompanyUnavailableError';
  }
}

const CONNECTIONS_KEPT = 1_000;

interface CachedConnection {
  updatedAt: number;
  checkedAt: number;
  connection: CompanyConnection;
}

const isPaused = (connection: CompanyConnection) => connection.forecast.pausedUntil() !== null || connection.timelog.pausedUntil() !== null;

/**
 * Clients per company, built once and kept while the company row is unchanged: the Forecast client's
 * per-company concurrency cap and the TimeLog token cache only work if the same instance is reused.
 */
export class CompanyConnections {
  /**
   * Bounded: a poller that walks ten thousand companies keeps the clients of the most recent ones, not all (a dropped
   * one is rebuilt from the company row and the vault on next use; its tokens stay in the TimeLog client's own cache).
   * A client that a vendor asked to wait is kept aside instead of dropped, so the wait is kept.
   */
  private readonly cache = new PinningLruCache<CachedConnection>({ max: CONNECTIONS_KEPT, pinned: (entry) => isPaused(entry.connection) });
  private readonly health: CompanyHealth;

  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: CredentialVault,
    /** How long a cached company row is trusted before it is re-read (activation changes, deactivation). */
    private readonly recheckMs = 5_000,
    /** Unset: the clients' defaults (waits for Retry-After up to two minutes, long timeouts). */
    private readonly deferring?: DeferringCalls,
  ) {
    this.health = new CompanyHealth(dataSource);
  }

  /**
   * `current`: the version of the company row the caller has just read (the poller's claim); a connection built from
   * that version is used without reading the row again.
   */
  async get(companyId: string, current?: { updatedAt: Date }): Promise<CompanyConnection> {
    const cached = this.cache.get(companyId);
    if (cached && (Date.now() - cached.checkedAt < this.recheckMs || cached.updatedAt === current?.updatedAt.getTime())) return cached.connection;
    // The handlers of a chunk ask at the same moment: one check serves them all, not one pooled connection each.
    const checking = this.checking.get(companyId) ?? this.check(companyId).finally(() => this.checking.delete(companyId));
    this.checking.set(companyId, checking);
    return checking;
  }

  private readonly checking = new Map<string, Promise<CompanyConnection>>();

  private async check(companyId: string): Promise<CompanyConnection> {
    const cached = this.cache.get(companyId);
    const company = await companyById(this.dataSource, companyId);
    if (!company || company.status !== 'active' || !company.timelogDomain || !company.timelogAccountName) {
      this.cache.delete(companyId);
      throw new CompanyUnavailableError(companyId, company ? 'the TimeLog integration is not active' : 'unknown company');
    }
    if (cached && cached.updatedAt === company.updatedAt.getTime()) {
      cached.checkedAt = Date.now();
      cached.connection.company = company;
      return cached.connection;
    }
    const credentials = await this.vault.load(this.dataSource, companyId);
    if (!credentials) throw new CompanyUnavailableError(companyId, 'no credentials stored');
    const connection: CompanyConnection = {
      company,
      forecast: this.watched(
        companyId,
        'forecast',
        createForecastClient(
          { baseUrl: company.forecastBaseUrl, apiKey: credentials.forecastApiKey },
          this.deferring && { timeoutMs: this.deferring.timeoutMs, pauseAfterTimeoutSeconds: this.deferring.pauseAfterTimeoutSeconds, retry: { maxRetryAfterSeconds: SHORT_RETRY_AFTER_SECONDS } },
        ),
      ),
      timelog: this.watched(companyId, 'timelog', createTimeLogClient({ domain: company.timelogDomain, accountName: company.timelogAccountName, ...credentials.timelog }, this.deferring)),
    };
    this.cache.set(companyId, { updatedAt: company.updatedAt.getTime(), checkedAt: Date.now(), connection });
    return connection;
  }

  /** Companies whose calls to `vendor` this process currently refuses (back-pressure): their work waits. */
  pausedCompanyIds(vendor: Vendor): string[] {
    return this.cache.entries().filter(([, { connection }]) => connection[vendor].pausedUntil() !== null).map(([companyId]) => companyId);
  }

  /**
   * The client with every call's outcome reported to the company's health, so each service that talks to a vendor
   * (writer, poller, ingestor) marks and clears it the same way.
   */
  private watched<T extends object>(companyId: string, vendor: Vendor, client: T): T {
    const health = this.health;
    return new Proxy(client, {
      get(target, property) {
        const member: unknown = Reflect.get(target, property, target);
        if (typeof member !== 'function') return member;
        const subject = healthSubjectOf(vendor, String(property));
        return (...args: unknown[]) => {
          const result: unknown = member.apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            async (value) => {
              await health.observe(companyId, subject, { ok: true });
              return value;
            },
            async (error) => {
              await health.observe(companyId, subject, { ok: false, error });
              throw error;
            },
          );
        };
      },
    });
  }

  activeCompanyIds(): Promise<string[]> {
    return activeCompanyIds(this.dataSource);
  }
}
