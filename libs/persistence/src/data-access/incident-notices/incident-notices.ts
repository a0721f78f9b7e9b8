import { Queryable, sqlExec, sqlRows } from '../sql';

/** One incident of a company: a vendor's (from company_health) or the pipeline's own; told once opened, once recovered. */
export interface IncidentNoticeRow {
  id: string;
  company_id: string;
  vendor: string;
  condition: string;
  reason: string;
  opened_at: Date;
  recovered_at: Date | null;
  opened_notice_sent_at: Date | null;
  recovery_notice_sent_at: Date | null;
}

/**
 * The pipeline's own incident sources, counted per company. Parked items waiting for a pause the admins set do not
 * count.
 */
const PIPELINE_COUNTS = {
  'parked-items': `SELECT company_id, count(*)::int AS n FROM parked_event WHERE resolved_at IS NULL AND coalesce(waiting_for, '') NOT LIKE 'pause:%' GROUP BY company_id`,
  'dead-letters': `SELECT company_id, count(*)::int AS n FROM dead_letter WHERE replayed_at IS NULL AND company_id IS NOT NULL GROUP BY company_id`,
} as const;
export type PipelineIncidentSource = keyof typeof PIPELINE_COUNTS;

/** Opens an incident for every company_health row without one: refused credentials at once, an outage after `downAfterMs`. */
export async function openVendorIncidents(db: Queryable, downAfterMs: number): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO incident_notice (company_id, vendor, condition, reason)
       SELECT h.company_id, h.vendor, h.condition, h.reason FROM company_health h
       WHERE (h.condition = 'credentials-refused' OR h.since < now() - make_interval(secs => $1::int / 1000.0))
       ON CONFLICT (company_id, vendor) WHERE recovered_at IS NULL DO NOTHING`,
    [downAfterMs],
  );
}

/** Recovers the vendor incidents (every source but `pipelineSources`) whose company_health row is gone. */
export async function recoverVendorIncidents(db: Queryable, pipelineSources: readonly string[]): Promise<void> {
  await sqlExec(
    db,
    `UPDATE incident_notice n SET recovered_at = now() WHERE recovered_at IS NULL AND n.vendor <> ALL($1)
         AND NOT EXISTS (SELECT 1 FROM company_health h WHERE h.company_id = n.company_id AND h.vendor = n.vendor)`,
    [pipelineSources],
  );
}

/** Opens an incident of `source` for every active company whose count is at or over `threshold`. */
export async function openPipelineIncidents(db: Queryable, source: PipelineIncidentSource, condition: string, unit: string, threshold: number): Promise<void> {
  await sqlExec(
    db,
    `WITH counts AS (${PIPELINE_COUNTS[source]})
         INSERT INTO incident_notice (company_id, vendor, condition, reason)
         SELECT k.company_id, $1, $2, k.n::text || $3::text FROM counts k JOIN company c ON c.id = k.company_id AND c.status = 'active' WHERE k.n >= $4
         ON CONFLICT (company_id, vendor) WHERE recovered_at IS NULL DO NOTHING`,
    [source, condition, unit, threshold],
  );
}

/** Recovers the incidents of `source` whose count fell to half the threshold or below (no flapping at the threshold). */
export async function recoverPipelineIncidents(db: Queryable, source: PipelineIncidentSource, threshold: number): Promise<void> {
  await sqlExec(
    db,
    `WITH counts AS (${PIPELINE_COUNTS[source]})
         UPDATE incident_notice n SET recovered_at = now() WHERE n.recovered_at IS NULL AND n.vendor = $1
           AND coalesce((SELECT k.n FROM counts k WHERE k.company_id = n.company_id), 0) <= $2::int / 2`,
    [source, threshold],
  );
}

export type UnsentNotice = Pick<IncidentNoticeRow, 'id' | 'company_id' | 'vendor' | 'condition' | 'reason'> & { kind: 'incident' | 'recovery' };

/**
 * Notices not yet told, each locked for the caller's transaction (other replicas skip it); a recovery only once its
 * opening was told.
 */
export async function lockUnsentNotices(db: Queryable): Promise<UnsentNotice[]> {
  return sqlRows(
    db,
    `SELECT id, company_id, vendor, condition, reason, CASE WHEN opened_notice_sent_at IS NULL THEN 'incident' ELSE 'recovery' END AS kind
         FROM incident_notice
         WHERE (opened_notice_sent_at IS NULL AND recovered_at IS NULL) OR (opened_notice_sent_at IS NOT NULL AND recovered_at IS NOT NULL AND recovery_notice_sent_at IS NULL)
         ORDER BY id FOR UPDATE SKIP LOCKED`,
  );
}

export async function markNoticeSent(db: Queryable, id: string, kind: UnsentNotice['kind']): Promise<void> {
  const sent = kind === 'incident' ? 'opened_notice_sent_at' : 'recovery_notice_sent_at';
  await sqlExec(db, `UPDATE incident_notice SET ${sent} = now() WHERE id = $1`, [id]);
}
