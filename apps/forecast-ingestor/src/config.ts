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
  /** Deliveries one webhook URL (company) may make per RATE_LIMIT_WINDOW_SECONDS before 429 (Forecast retries later). */
  WEBHOOK_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(3000),
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
