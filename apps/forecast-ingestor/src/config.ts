import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit, vendorCallEnv } from '@timelog-sync/config';

export const ForecastIngestorConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3001),
  CREDENTIAL_KEYS: z.string().min(1),
  CREDENTIAL_KEY_CURRENT: z.coerce.number().int().positive().optional(),
  /** The safety-net poll per company (design: every 5 minutes). */
  SAFETY_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Re-read this much before the cursor: Forecast compares whole seconds and clocks drift. */
  SAFETY_POLL_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(120),
  /**
   * Deliveries one webhook URL (company) may make per RATE_LIMIT_WINDOW_SECONDS before 429 (Forecast retries later):
   * 500/s, above the 200 changes/s one company is designed for (at 3,000 a minute a busy company was throttled to 50/s
   * and its changes waited for Forecast's retries).
   */
  WEBHOOK_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(30_000),
  /**
   * Forecast delivers every company's webhooks from its own few addresses, so a per-address limit throttles all of
   * them together: it only bounds a flood from elsewhere (unknown tokens are refused cheaply anyway).
   */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(120_000),
  /** A stored webhook whose object cannot be read is retried this often, then rejected with its cause. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** First retry delay of a failing webhook; doubles per attempt up to 15 minutes. */
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).default(2),
  /** Settled webhooks (handled, dropped, rejected) are deleted after this many days. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().min(0.001).default(14),
  /** For webhook processing and the safety-net poll, which serve every company in shared batches. */
  ...vendorCallEnv(10_000),
});

export type ForecastIngestorConfig = z.infer<typeof ForecastIngestorConfigSchema>;

export const loadForecastIngestorConfig = () => loadConfigOrExit(ForecastIngestorConfigSchema);
