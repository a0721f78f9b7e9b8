import { InboundWebhook } from '../../entities';
import { Queryable, sqlExec, sqlRows } from '../sql';

/** A stored webhook delivery (inbound_webhook) is read as its entity. */
export type InboundWebhookRow = InboundWebhook;

/** One delivery as received, before its company is known (only its token's hash is). */
export interface WebhookDelivery {
  tokenHash: string;
  objectType: string;
  contentHash: string;
  body: string;
  reason: string | null;
  traceparent: string | null;
}

/**
 * Stores deliveries for the active companies their token hashes name, in one statement, deduplicated on content
 * against deliveries not read yet (see the `inbound_webhook_unread` migration: one like an already-read delivery may
 * announce a later edit in the same second); per delivery (in order): whether its token is known and whether this
 * statement stored it.
 */
export function storeWebhookDeliveries(db: Queryable, deliveries: WebhookDelivery[]): Promise<{ n: string; known: boolean; inserted: boolean }[]> {
  const column = <K extends keyof WebhookDelivery>(key: K) => deliveries.map((delivery) => delivery[key]);
  return sqlRows(
    db,
    `WITH delivery AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
         AS d(token_hash, object_type, content_hash, body, reason, traceparent, n)
     ), addressed AS (
       SELECT delivery.*, company.id AS company_id FROM delivery JOIN company ON company.webhook_token_hash = delivery.token_hash AND company.status = 'active'
     ), stored AS (
       INSERT INTO inbound_webhook (company_id, object_type, content_hash, body, status, reason, traceparent, handled_at)
       SELECT company_id, object_type, content_hash, body, CASE WHEN reason IS NULL THEN 'pending' ELSE 'rejected' END, reason, traceparent,
              CASE WHEN reason IS NOT NULL THEN now() END
       FROM addressed ORDER BY n
       ON CONFLICT (company_id, content_hash) WHERE attempts = 0 AND status IN ('pending', 'rejected') DO NOTHING RETURNING company_id, content_hash
     )
     SELECT delivery.n, addressed.company_id IS NOT NULL AS known,
            EXISTS (SELECT 1 FROM stored WHERE stored.company_id = addressed.company_id AND stored.content_hash = delivery.content_hash) AS inserted
     FROM delivery LEFT JOIN addressed USING (n) ORDER BY delivery.n`,
    [column('tokenHash'), column('objectType'), column('contentHash'), column('body'), column('reason'), column('traceparent')],
  );
}

/** A claimed delivery as the processor handles it. */
export type ClaimedWebhookRow = { id: string; company_id: string; object_type: string; body: string; traceparent: string | null; attempts: number; received_at: Date };

/**
 * Leases up to `batchSize` due deliveries (the ingestor's hot path, one statement): each company's first
 * `perCompanyFirst` rows come first, companies in `skipCompanyIds` are not claimed.
 */
export function claimDueWebhooks(db: Queryable, batchSize: number, leaseSeconds: number, skipCompanyIds: string[], perCompanyFirst: number): Promise<ClaimedWebhookRow[]> {
  return sqlRows(
    db,
    `UPDATE inbound_webhook SET next_attempt_at = now() + make_interval(secs => $2), attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM inbound_webhook WHERE status = 'pending' AND next_attempt_at <= now() AND id IN (
         SELECT id FROM (
           SELECT id, row_number() OVER (PARTITION BY company_id ORDER BY id) AS nth FROM inbound_webhook
           WHERE status = 'pending' AND next_attempt_at <= now() AND company_id <> ALL($3::text[])) due
         ORDER BY nth > $4, id LIMIT $1)
       FOR UPDATE SKIP LOCKED)
     RETURNING id, company_id, object_type, body, traceparent, attempts, received_at`,
    [batchSize, leaseSeconds, skipCompanyIds, perCompanyFirst],
  );
}

/** In the transaction of the events they produced. */
export async function markWebhooksHandled(db: Queryable, ids: string[]): Promise<void> {
  await sqlExec(db, `UPDATE inbound_webhook SET status = 'handled', handled_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
}

export async function finishWebhook(db: Queryable, id: string, status: 'dropped' | 'rejected', reason: string): Promise<void> {
  await sqlExec(db, `UPDATE inbound_webhook SET status = $2, reason = $3, handled_at = now() WHERE id = $1`, [id, status, reason]);
}

export async function retryWebhookLater(db: Queryable, id: string, delaySeconds: number, reason: string): Promise<void> {
  await sqlExec(db, `UPDATE inbound_webhook SET next_attempt_at = now() + make_interval(secs => $2), reason = $3 WHERE id = $1`, [id, delaySeconds, reason]);
}
