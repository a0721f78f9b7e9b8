import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { parseForecastWebhook } from '@timelog-sync/domain';
import { tokenHash } from '@timelog-sync/company-directory';
import { syncMetrics } from '@timelog-sync/observability';
import { storeWebhookDeliveries, WebhookDelivery } from '@timelog-sync/persistence';

// Our tokens are 43 base64url characters (newAccessToken); anything else is answered without a hash or a query.
const PLAUSIBLE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `token` has the shape of a webhook token we issue (it may still be unknown). */
export const isPlausibleWebhookToken = (token: string): boolean => PLAUSIBLE_TOKEN.test(token);

export type WebhookObjectType = 'task' | 'time-registration';

type StoreOutcome = 'accepted' | 'duplicate' | 'unknown-token';

type Delivery = WebhookDelivery & { objectType: WebhookObjectType };

interface Storing {
  delivery: Delivery;
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: unknown) => void;
}

const MAX_STORE_BATCH = 200;
const MAX_STORES_IN_FLIGHT = 3;
/**
 * How long a delivery waits for others to share its statement. Forecast sends a busy company's webhooks a few
 * milliseconds apart, so without it nearly every one took a statement of its own (1,215 statements for 2,000 webhooks at
 * 200/s), each costing more CPU than the delivery itself; a full batch does not wait.
 */
const STORE_LINGER_MS = 10;

export type ReceiveOutcome = { outcome: 'accepted' | 'duplicate' | 'unknown-token' } | { outcome: 'rejected'; reason: string };

/**
 * The request side of Forecast webhooks: find the company by its URL token, validate, store deduplicated on
 * content and answer at once. Forecast gives up after five failed deliveries, so nothing slow happens here.
 */
export class InboundWebhooks {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the delivery for the active company whose URL carries `token` (only its hash is compared), with the
   * deliveries that arrived at the same moment, in one statement that also tells unknown tokens and duplicates apart.
   */
  async receive(token: string, objectType: WebhookObjectType, delivery: { rawBody: string; body: unknown }, traceparent: string | undefined): Promise<ReceiveOutcome> {
    if (!isPlausibleWebhookToken(token)) return this.unknownToken();
    // The body as the HTTP layer parsed it is checked; the raw text is what is stored (and hashed).
    const parsed = parseForecastWebhook(delivery.body);
    const reason = parsed.ok ? null : parsed.reason;
    const { rawBody } = delivery;
    const contentHash = createHash('sha256').update(`${objectType}\n${rawBody}`).digest('hex');
    const stored = await this.store({ tokenHash: tokenHash(token), objectType, contentHash, body: rawBody, reason, traceparent: traceparent ?? null });
    if (stored === 'unknown-token') return this.unknownToken();
    if (reason) {
      syncMetrics.webhooks.inc({ outcome: 'rejected', reason: 'invalid-payload' });
      return { outcome: 'rejected', reason };
    }
    syncMetrics.webhooks.inc({ outcome: stored === 'duplicate' ? 'deduplicated' : 'received', reason: objectType });
    return { outcome: stored };
  }

  private readonly waiting: Storing[] = [];
  private inFlight = 0;
  private lingering: NodeJS.Timeout | null = null;

  /**
   * Deliveries arriving within STORE_LINGER_MS are stored in one statement (one commit instead of one per webhook: at
   * hundreds a second the commits were what filled the pool); at most MAX_STORES_IN_FLIGHT statements run at once.
   */
  private store(delivery: Delivery): Promise<StoreOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      if (this.waiting.length >= MAX_STORE_BATCH) this.flush();
      else this.lingering ??= setTimeout(() => this.flush(), STORE_LINGER_MS);
    });
  }

  private flush(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    while (this.inFlight < MAX_STORES_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_STORE_BATCH);
      this.inFlight += 1;
      this.storeAll(batch.map((one) => one.delivery))
        .then((outcomes) => batch.forEach((one, index) => one.resolve(outcomes[index])), (error) => batch.forEach((one) => one.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.flush();
        });
    }
  }

  private async storeAll(deliveries: Delivery[]): Promise<StoreOutcome[]> {
    const rows = await storeWebhookDeliveries(this.dataSource, deliveries);
    // The same delivery twice in one statement is stored once: the later copy is the duplicate.
    const seen = new Set<string>();
    return rows.map((row, index) => {
      if (!row.known) return 'unknown-token';
      const identity = `${deliveries[index].tokenHash}:${deliveries[index].contentHash}`;
      const first = !seen.has(identity);
      seen.add(identity);
      return row.inserted && first ? 'accepted' : 'duplicate';
    });
  }

  private unknownToken(): ReceiveOutcome {
    syncMetrics.webhooks.inc({ outcome: 'rejected', reason: 'unknown-token' });
    return { outcome: 'unknown-token' };
  }
}
