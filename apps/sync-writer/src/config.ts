import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const SyncWriterConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3004),
  CREDENTIAL_KEYS: z.string().min(1),
  CREDENTIAL_KEY_CURRENT: z.coerce.number().int().positive().optional(),
  /** The external system name configured in each TimeLog site for our task keys. */
  TIMELOG_EXTERNAL_SYSTEM: z.string().min(1).default('Forecast'),
  /** How often parked events with a retry time (closed weeks, outages) are sent round again. */
  PARKED_RETRY_SCAN_SECONDS: z.coerce.number().int().min(1).default(30),
});

export type SyncWriterConfig = z.infer<typeof SyncWriterConfigSchema>;

export const loadSyncWriterConfig = () => loadConfigOrExit(SyncWriterConfigSchema);
