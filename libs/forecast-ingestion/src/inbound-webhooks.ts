import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseForecastWebhook } from '@timelog-sync/domain';
import { tokenHash } from '@timelog-sync/company-directory';
import { syncMetrics } from '@timelog-sync/observability';

// Our tokens are 43 base64url characters (newAccessToken); anything else is answered without a hash or a query.
const PLAUSIBLE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `token` has the shape of a webhook token we issue (it may still be unknown). */
export const isPlausibleWebhookToken = (token: string): boolean => PLAUSIBLE_TOKEN.test(token);

export type WebhookObjectType = 'task' | 'time-registration';

export type ReceiveOutcome = { outcome: 'accepted' | 'duplicate' | 'unknown-token' } | { outcome: 'rejected'; reason: string };

/**
 * The request side of Forecast webhooks: find the company by its URL token, validate, store deduplicated on
 * content and answer at once. Forecast gives up after five failed deliveries, so nothing slow happens here.
 */
export class InboundWebhooks {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the delivery for the active company whose URL carries `token` (only its hash is compared), in one
   * statement on the hot path; only a delivery that stored nothing asks which of unknown token or duplicate it was.
   */
  async receive(token: string, objectType: WebhookObjectType, rawBody: string, traceparent: string | undefined): Promise<ReceiveOutcome> {
    if (!isPlausibleWebhookToken(token)) return this.unknownToken();
    let reason: string | null = null;
    try {
      const parsed = parseForecastWebhook(JSON.parse(rawBody));
      if (!parsed.ok) reason = parsed.reason;
    } catch {
      reason = 'body is not valid JSON';
    }
    const contentHash = createHash('sha256').update(`${objectType}\n${rawBody}`).digest('hex');
    const webhookTokenHash = tokenHash(token);
    const inserted = await this.dataSource.query(
      `INSERT INTO inbound_webhook (company_id, object_type, content_hash, body, status, reason, traceparent, handled_at)
       SELECT id, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'rejected' THEN now() END FROM company WHERE webhook_token_hash = $1 AND status = 'active'
       ON CONFLICT (company_id, content_hash) DO NOTHING RETURNING id`,
      [webhookTokenHash, objectType, contentHash, rawBody, reason ? 'rejected' : 'pending', reason, traceparent ?? null],
    );
    if (inserted.length === 0) {
      const [company] = await this.dataSource.query(`SELECT 1 FROM company WHERE webhook_token_hash = $1 AND status = 'active'`, [webhookTokenHash]);
      if (!company) return this.unknownToken();
    }
    if (reason) {
      syncMetrics.webhooks.inc({ outcome: 'rejected', reason: 'invalid-payload' });
      return { outcome: 'rejected', reason };
    }
    const outcome = inserted.length === 0 ? 'duplicate' : 'accepted';
    syncMetrics.webhooks.inc({ outcome: outcome === 'duplicate' ? 'deduplicated' : 'received', reason: objectType });
    return { outcome };
  }

  private unknownToken(): ReceiveOutcome {
    syncMetrics.webhooks.inc({ outcome: 'rejected', reason: 'unknown-token' });
    return { outcome: 'unknown-token' };
  }
}
