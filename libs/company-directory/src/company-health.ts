import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { refusesCredentials, signalsVendorDown, Vendor } from '@timelog-sync/domain';

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
      await manager.query(
        `WITH previous AS (SELECT condition FROM company_health WHERE company_id = $1 AND vendor = $2),
         changed AS (
           INSERT INTO company_health (company_id, vendor, condition, reason) VALUES ($1, $2, $3, $4)
           ON CONFLICT (company_id, vendor) DO UPDATE SET condition = EXCLUDED.condition, reason = EXCLUDED.reason, since = now()
           WHERE company_health.condition <> EXCLUDED.condition AND company_health.condition <> 'credentials-refused'
           RETURNING condition, reason)
         ${ACTIVITY_ENTRY} SELECT $1, 'health', 'company', 'health-changed', changed.reason,
           ${conditionOf('(SELECT condition FROM previous)')}, ${conditionOf('changed.condition')} FROM changed`,
        [companyId, vendor, condition, reason],
      );
      await summarise(manager, companyId);
    });
  }

  /**
   * `force` skips this process's memory of a recent success: another process may have recorded a failure since
   * (an activation's live check must clear a refusal at once, or the banner and the owners' notice stay).
   */
  async recordSuccess(companyId: string, vendor: HealthSubject, { force = false } = {}): Promise<void> {
    const key = `${companyId}:${vendor}`;
    if (!force && Date.now() - (this.knownOk.get(key) ?? 0) < KNOWN_OK_MS) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `WITH cleared AS (DELETE FROM company_health WHERE company_id = $1 AND vendor = $2 RETURNING condition)
         ${ACTIVITY_ENTRY} SELECT $1, 'health', 'company', 'health-changed', 'a call to ' || $2 || ' succeeded',
           ${conditionOf('cleared.condition')}, ${conditionOf('NULL')} FROM cleared`,
        [companyId, vendor],
      );
      await summarise(manager, companyId);
    });
    this.knownOk.set(key, Date.now());
  }
}

/** Health changes appear in the company's activity log beside the sync actions. */
const ACTIVITY_ENTRY = `INSERT INTO sync_action (company_id, direction, entity_kind, action, reason, before, after)`;
const conditionOf = (condition: string) => `jsonb_build_object('vendor', $2::text, 'condition', coalesce(${condition}, 'ok'))`;

/** `company.health`, as the admin screens show it: refused credentials first, then an outage, else ok. */
async function summarise(manager: EntityManager, companyId: string): Promise<void> {
  await manager.query(
    `UPDATE company c SET health = s.health, health_reason = s.reason
     FROM (SELECT CASE WHEN bool_or(condition = 'credentials-refused') THEN 'credentials-failing' WHEN count(*) > 0 THEN 'unavailable' ELSE 'ok' END AS health,
             string_agg(vendor || ': ' || reason, '; ' ORDER BY vendor) AS reason
           FROM company_health WHERE company_id = $1) s
     WHERE c.id = $1 AND (c.health, c.health_reason) IS DISTINCT FROM (s.health, s.reason)`,
    [companyId],
  );
}
