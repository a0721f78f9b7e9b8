import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const MappingServiceConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3003),
});

export type MappingServiceConfig = z.infer<typeof MappingServiceConfigSchema>;

export const loadMappingServiceConfig = () => loadConfigOrExit(MappingServiceConfigSchema);
