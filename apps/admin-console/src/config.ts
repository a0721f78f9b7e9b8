import { z } from 'zod';
import { httpPort, loadConfigOrExit } from '@timelog-sync/config';

export const AdminConsoleConfigSchema = z.object({
  PORT: httpPort(3007),
  HTTP_HOST: z.string().default('127.0.0.1'),
  /** The mapping service's admin API; the browser reaches it through this app's `/api` so it stays same-origin. */
  MAPPING_SERVICE_URL: z.string().url().default('http://127.0.0.1:3003'),
  /** Enables operator sign-in (the company list); only its hash is kept. Unset: the console serves company admins only. */
  OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Largest `/api` request body; larger ones are refused while they stream in, before anything is forwarded. */
  API_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(100 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AdminConsoleConfig = z.infer<typeof AdminConsoleConfigSchema>;

export const loadAdminConsoleConfig = () => loadConfigOrExit(AdminConsoleConfigSchema);
