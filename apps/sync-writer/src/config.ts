import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit, vendorCallEnv } from '@timelog-sync/config';
import { KAFKA_SESSION_TIMEOUT_MS } from '@timelog-sync/messaging';

export const SyncWriterConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3004),
  CREDENTIAL_KEYS: z.string().min(1),
  CREDENTIAL_KEY_CURRENT: z.coerce.number().int().positive().optional(),
  /** The external system name configured in each TimeLog site for our task keys. */
  TIMELOG_EXTERNAL_SYSTEM: z.string().min(1).default('Forecast'),
  /** How often parked events with a retry time (closed weeks, outages) are sent round again. */
  PARKED_RETRY_SCAN_SECONDS: z.coerce.number().int().min(1).default(30),
  /** How often an idle writer looks for an admin's backfill run to work on (or one whose writer died). */
  BACKFILL_SCAN_SECONDS: z.coerce.number().int().min(1).default(2),
  /** A run whose writer made no checkpoint for this long (it died) is taken over by another. */
  BACKFILL_LEASE_SECONDS: z.coerce.number().int().min(1).default(60),
  /** When a registration parked for a closed TimeLog week is tried again. */
  TIMELOG_CLOSED_WEEK_RETRY_SECONDS: z.coerce.number().int().min(1).default(3600),
  /**
   * How long a company's first new work unit waits for others to share its InsertWork call (0: only those already
   * waiting). The handler holds its partition meanwhile, so it stays well below the consumer's session timeout.
   */
  TIMELOG_WORK_BATCH_LINGER_MS: z.coerce.number().int().min(0).max(5_000).default(0),
  /** Most work units in one InsertWork call; a full batch goes without waiting out the linger. */
  TIMELOG_WORK_BATCH_MAX_ITEMS: z.coerce.number().int().min(1).max(500).default(500),
  // Vendor calls run inside the consumer's handlers: each must end well within the Kafka session.
  ...vendorCallEnv(5000, KAFKA_SESSION_TIMEOUT_MS - 1000),
});

export type SyncWriterConfig = z.infer<typeof SyncWriterConfigSchema>;

export const loadSyncWriterConfig = () => loadConfigOrExit(SyncWriterConfigSchema);
