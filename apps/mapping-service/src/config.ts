import { z } from 'zod';
import { commonEnv, httpPort, loadConfigOrExit } from '@timelog-sync/config';
import { TIMELOG_CLOUD_HOST_PATTERN } from '@timelog-sync/administration';

const list = (item: z.ZodString) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item));

export const MappingServiceConfigSchema = z.object({
  ...commonEnv,
  PORT: httpPort(3003),
  /** SREs' token for creating companies and the cross-company view. */
  OPERATOR_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /** `version:base64key` pairs (32-byte keys); the highest version seals, all open. */
  CREDENTIAL_KEYS: z.string().min(1),
  CREDENTIAL_KEY_CURRENT: z.coerce.number().int().positive().optional(),
  /** Where Forecast must post webhooks: the public URL of forecast-ingestor. */
  INGESTOR_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3001'),
  FORECAST_BASE_URL: z.string().url().default('https://api.forecast.it'),
  /** Hosts a company's TimeLog domain may have (https only), comma-separated; `*` stands for part of one label. */
  TIMELOG_HOST_PATTERNS: list(z.string().regex(/^[a-z0-9*.-]+$/, 'host patterns: lower-case letters, digits, ., - and *')).default(TIMELOG_CLOUD_HOST_PATTERN),
  /** Admin API requests per minute from one source address, and with one key (before authentication). */
  ADMIN_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(1200),
  ADMIN_RATE_LIMIT_PER_KEY: z.coerce.number().int().positive().default(600),
  /** Exact origins allowed besides the patterns, http included: only for simulators (npm run up, tests, benchmarks). */
  TIMELOG_EXTRA_ORIGINS: list(z.string().url('each must be an origin such as http://127.0.0.1:3006')).default(''),
  /** The nightly reconciliation report of every active company (drift metric); empty switches it off. */
  RECONCILIATION_REPORT_CRON: z.string().default('30 3 * * *'),
  RECONCILIATION_REPORT_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Named sign-in to the admin console (OpenID Connect); unset: only admin keys and the operator token open the API. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('timelog-sync-console'),
  OIDC_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The console's address as browsers reach it: the sign-in's redirect URI is `<it>/auth/callback`; https makes the cookie Secure. */
  CONSOLE_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3007'),
  ADMIN_SESSION_HOURS: z.coerce.number().int().min(1).max(24).default(8),
  /** Owners are e-mailed when their company's sync stops and recovers; unset: no e-mails (the console's banner still shows it). */
  SMTP_URL: z.string().url().optional(),
  NOTICE_FROM: z.string().default('TimeLog sync <no-reply@timelog-sync.invalid>'),
  /** Optional JSON webhook for the same notices (e.g. a chat's incoming webhook). */
  NOTICE_WEBHOOK_URL: z.string().url().optional(),
  INCIDENT_CHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** A vendor down for longer than this is an incident (refused credentials are one at once). */
  VENDOR_DOWN_NOTICE_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Open parked items of a company (not waiting for a pause) that make an incident; it recovers at half of it. */
  PARKED_NOTICE_THRESHOLD: z.coerce.number().int().min(1).default(50),
  /** Dead letters of a company not replayed that make an incident; it recovers at half of it (1: when none is left). */
  DEAD_LETTER_NOTICE_THRESHOLD: z.coerce.number().int().min(1).default(1),
});

export type MappingServiceConfig = z.infer<typeof MappingServiceConfigSchema>;

export function loadMappingServiceConfig(): MappingServiceConfig {
  const config = loadConfigOrExit(MappingServiceConfigSchema);
  if (config.OIDC_ISSUER && !config.OIDC_CLIENT_SECRET) {
    process.stderr.write('Invalid configuration:\n  OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set\n');
    process.exit(78);
  }
  return config;
}
