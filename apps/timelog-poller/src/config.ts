import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const TimelogPollerConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3002),
});

export type TimelogPollerConfig = z.infer<typeof TimelogPollerConfigSchema>;

export const loadTimelogPollerConfig = () => loadConfigOrExit(TimelogPollerConfigSchema);
