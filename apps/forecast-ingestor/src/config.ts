import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const ForecastIngestorConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3001),
});

export type ForecastIngestorConfig = z.infer<typeof ForecastIngestorConfigSchema>;

export const loadForecastIngestorConfig = () => loadConfigOrExit(ForecastIngestorConfigSchema);
