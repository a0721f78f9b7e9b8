import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { refusesCredentials, signalsVendorDown, Vendor } from '@timelog-sync/domain';
import { clearHealthCondition, recordHealthCondition } from '@timelog-sync/persistence';

export type HealthCondition = 'credentials-refused' | 'vendor-down';

/**
 * What health is kept for: each vendor API with its own credentials. TimeLog's Reporting API has an ID and password
 * of its own, so a success of the transactional API must not clear its refusal (or the alert would flap).
 */
export const HEALTH_SUBJECTS = ['forecast', 'timelog', 'timelog-reporting'] as const;
export type HealthSubject = (typeof HEALTH_SUBJECTS)[number];

/** TimeLog names its Reporting API operations `…Raw` (GetWorkUnitsRaw, …); the client's methods keep those names. */
const TIMELOG_REPORTING_METHOD = /Raw(Paged)?$|^validateReportingCredentials$/;

/** The health subject a call of the client's `method` speaks for. */
export const healthSubjectOf = (vendor: Vendor, method: string): HealthSubject =>
  vendor === 'timelog' && TIMELOG_REPORTING_METHOD.test(method) ? 'timelog-reporting' : vendor;

/** A success is written only when this process has not seen the vendor succeed for the company this recently. */
const KNOWN_OK_MS = 30_000;

/**
 * Each company's health per vendor API (HEALTH_SUBJECTS), a small state machine: ok -> vendor-down or
 * credentials-refused (refused wins over down: an outage says nothing about the credentials) -> ok only on a
 * successful call to the same API, so an event that needs no call (an echo) can never clear it. Every change is an
 * entry in the activity log.
 */
export class CompanyHealth {
  private readonly logger = new Logger(CompanyHealth.name);
  private readonly knownOk = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /** Records what a vendor call's outcome says about the company; never throws (health must not fail the call). */
  async observe(companyId: string, vendor: HealthSubject, outcome: { ok: true } | { ok: false; error: unknown }): Promise<void> {
    try {
      if (outcome.ok) await this.recordSuccess(companyId, vendor);
      else if (refusesCredentials(outcome.error)) await this.recordFailure(companyId, vendor, 'credentials-refused', outcome.error.message);
      else if (signalsVendorDown(outcome.error)) await this.recordFailure(companyId, vendor, 'vendor-down', outcome.error.message);
    } catch (error) {
      this.logger.warn(`recording ${vendor} health of ${companyId} failed: ${String(error)}`);
    }
  }

  async recordFailure(companyId: string, vendor: HealthSubject, condition: HealthCondition, reason: string): Promise<void> {
    this.knownOk.delete(`${companyId}:${vendor}`);
    await this.dataSource.transaction(async (manager) => {
      await recordHealthCondition(manager, companyId, vendor, condition, reason);
    });
  }

  /**
   * `force` skips this process's memory of a recent success: another process may have recorded a failure since
   * (an activation's live check must clear a refusal at once, or the banner and the owners' notice stay).
   */
  async recordSuccess(companyId: string, vendor: HealthSubject, { force = false } = {}): Promise<void> {
    const key = `${companyId}:${vendor}`;
    if (!force && Date.now() - (this.knownOk.get(key) ?? 0) < KNOWN_OK_MS) return;
    await clearHealthCondition(this.dataSource, companyId, vendor);
    this.knownOk.set(key, Date.now());
  }
}
