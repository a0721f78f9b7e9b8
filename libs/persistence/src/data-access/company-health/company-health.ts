import type { EntityManager } from 'typeorm';
import { Queryable, sqlExec } from '../sql';

/** company_health: a vendor API's condition for a company while it is not ok. */
export interface CompanyHealthRow {
  company_id: string;
  vendor: 'forecast' | 'timelog' | 'timelog-reporting';
  condition: 'credentials-refused' | 'vendor-down';
  reason: string;
  since: Date;
}

/** Health changes appear in the company's activity log beside the sync actions. */
const ACTIVITY_ENTRY = `INSERT INTO sync_action (company_id, direction, entity_kind, action, reason, before, after)`;
const conditionOf = (condition: string) => `jsonb_build_object('vendor', $2::text, 'condition', coalesce(${condition}, 'ok'))`;

/**
 * In the caller's transaction: the vendor's condition changes (refused credentials are not overwritten by an
 * outage), with its activity entry, and the company's summary follows.
 */
export async function recordHealthCondition(manager: EntityManager, companyId: string, vendor: CompanyHealthRow['vendor'], condition: CompanyHealthRow['condition'], reason: string): Promise<void> {
  await sqlExec(
    manager,
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
  await summariseHealth(manager, companyId);
}

/**
 * A successful call clears the vendor's condition (with its activity entry) and the summary follows, in one statement
 * of its own: every polled company's every cycle runs it, and a transaction around it cost three more round trips.
 * The summary reads the rows as they were before the delete (one statement, one snapshot), so it leaves out this vendor's.
 */
export async function clearHealthCondition(db: Queryable, companyId: string, vendor: CompanyHealthRow['vendor']): Promise<void> {
  await sqlExec(
    db,
    `WITH cleared AS (DELETE FROM company_health WHERE company_id = $1 AND vendor = $2 RETURNING condition),
     logged AS (
       ${ACTIVITY_ENTRY} SELECT $1, 'health', 'company', 'health-changed', 'a call to ' || $2 || ' succeeded',
         ${conditionOf('cleared.condition')}, ${conditionOf('NULL')} FROM cleared)
     ${summaryUpdate('vendor <> $2')}`,
    [companyId, vendor],
  );
}

/** `company.health`, as the admin screens show it: refused credentials first, then an outage, else ok. */
const summaryUpdate = (rowsKept: string) => `UPDATE company c SET health = s.health, health_reason = s.reason
     FROM (SELECT CASE WHEN bool_or(condition = 'credentials-refused') THEN 'credentials-failing' WHEN count(*) > 0 THEN 'unavailable' ELSE 'ok' END AS health,
             string_agg(vendor || ': ' || reason, '; ' ORDER BY vendor) AS reason
           FROM company_health WHERE company_id = $1 AND ${rowsKept}) s
     WHERE c.id = $1 AND (c.health, c.health_reason) IS DISTINCT FROM (s.health, s.reason)`;

async function summariseHealth(manager: EntityManager, companyId: string): Promise<void> {
  await sqlExec(manager, summaryUpdate('true'), [companyId]);
}
