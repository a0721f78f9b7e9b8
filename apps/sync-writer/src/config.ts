import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const SyncWriterConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3004),
});

export type SyncWriterConfig = z.infer<typeof SyncWriterConfigSchema>;

export const loadSyncWriterConfig = () => loadConfigOrExit(SyncWriterConfigSchema);
