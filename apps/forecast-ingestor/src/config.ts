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
  /** For webhook processing and the safety-net poll, which serve every company in shared batches. */
  ...vendorCallEnv(10_000),
});

export type ForecastIngestorConfig = z.infer<typeof ForecastIngestorConfigSchema>;

export const loadForecastIngestorConfig = () => loadConfigOrExit(ForecastIngestorConfigSchema);
