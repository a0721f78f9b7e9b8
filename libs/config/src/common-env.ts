import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

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
  /** Largest HTTP request body any endpoint reads (webhooks and admin calls are a few KB). */
  HTTP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Requests one source address may make per window, on every route but /health and /metrics (then 429). */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(3000),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Inbox records (processed event ids) kept this long; keep it above the topics' retention. */
  PROCESSED_EVENT_RETENTION_DAYS: z.coerce.number().min(0.001).default(14),
  /** Published outbox rows kept this long (for diagnosis) before they are deleted. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().min(0.001).default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Dev and tests: every service migrates at start-up (under a lock). Production runs the migration Job instead (false). */
  DATABASE_MIGRATE_ON_START: booleanFlag(true),
  /** Dev and tests: services create missing topics. Production declares its topics (deploy/k8s KafkaTopic) and sets false. */
  KAFKA_CREATE_TOPICS: booleanFlag(true),
  KAFKA_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  /** Raises every topic to at least this many partitions: the most instances of one consumer group that do work. */
  KAFKA_TOPIC_MIN_PARTITIONS: z.coerce.number().int().min(1).default(1),
  KAFKA_SSL: booleanFlag(false),
  /** PEM file of the CA that signed the brokers' certificates (default: Node's trusted CAs). */
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
};

export const httpPort = (fallback: number) => port.default(fallback);

/**
 * How a service that must not wait on one slow company calls vendors: each call's timeout (at most `maxTimeoutMs`,
 * e.g. below a Kafka session timeout) and how long a company whose call timed out is then deferred.
 */
export const vendorCallEnv = (timeoutMs: number, maxTimeoutMs = 120_000) => ({
  VENDOR_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(maxTimeoutMs).default(timeoutMs),
  VENDOR_PAUSE_AFTER_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(30),
});
