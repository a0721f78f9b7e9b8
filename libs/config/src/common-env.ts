import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Variables every pipeline service reads. */
export const commonEnv = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
    .default('postgres://postgres@127.0.0.1:5432/timelog_sync'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'each broker must be host:port')).min(1)),
  /** Prefix for topics and consumer groups when environments share a cluster (tests run several systems at once). */
  KAFKA_NAMESPACE: z.string().regex(/^[a-z0-9-]*$/, 'lower-case letters, digits and -').default(''),
  HTTP_HOST: z.string().default('127.0.0.1'),
  /** When set, GET /metrics is served only on this port (of METRICS_HOST), apart from the API's port. */
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Chaos testing: delay every consumer commit (see KafkaEventServer). Never set in production. */
  FAULT_COMMIT_DELAY_MS: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const httpPort = (fallback: number) => port.default(fallback);

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');
