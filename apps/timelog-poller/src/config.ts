import { z } from 'zod';
import { booleanFlag, commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const TimelogPollerConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3002),
  CREDENTIAL_KEYS: z.string().min(1),
  CREDENTIAL_KEY_CURRENT: z.coerce.number().int().positive().optional(),
  /** Opens POST /companies/:companyId/poll-now for operators and tests. */
  OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /** How often the scheduler looks for due companies (each company has its own poll interval). */
  POLL_SCAN_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(5),
  /** Companies polled at once by this instance. */
  POLL_CONCURRENCY: z.coerce.number().int().min(1).default(20),
  RECONCILIATION_ENABLED: booleanFlag(true),
  RECONCILIATION_CRON: z.string().min(1).default('0 3 * * *'),
  /** How many days back the reconciliation re-reads. */
  RECONCILIATION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
});

export type TimelogPollerConfig = z.infer<typeof TimelogPollerConfigSchema>;

export const loadTimelogPollerConfig = () => loadConfigOrExit(TimelogPollerConfigSchema);
