import { readFileSync } from 'node:fs';
import { Kafka, KafkaConfig, logLevel, LogEntry } from 'kafkajs';
import { TOPIC_SPECS, TopicSpec } from '@timelog-sync/contracts';
import { KafkaNamespace } from './kafka-namespace';
import { stopIdleRequestQueueLoop } from './request-queue-idle-loop';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** Where kafkajs' own warnings go; defaults to stderr as one JSON line. */
  log?: (level: 'error' | 'warn', message: string, extra: Record<string, unknown>) => void;
  security?: KafkaSecurity;
}

/** TLS and SASL towards a managed or Strimzi cluster; none for the local broker. */
export interface KafkaSecurity {
  ssl?: boolean;
  /** PEM file of the brokers' CA; without it Node's trusted CAs apply. */
  caFile?: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

function clientSecurity(security: KafkaSecurity = {}): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const ssl = security.caFile ? { ca: [readFileSync(security.caFile, 'utf8')] } : security.ssl;
  // kafkajs' SASL type is a union per mechanism; ours carries the same three fields for each.
  return { ssl, sasl: security.sasl as KafkaConfig['sasl'] };
}

export function createKafka(options: KafkaOptions): Kafka {
  // We always pass an explicit partitioner; the v2 migration notice is noise.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  stopIdleRequestQueueLoop();
  const log =
    options.log ??
    ((level, message, extra) => process.stderr.write(`${JSON.stringify({ level, msg: `kafkajs: ${message}`, ...extra })}\n`));
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...clientSecurity(options.security),
    connectionTimeout: 3000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...extra } = entry;
        log(level === logLevel.ERROR ? 'error' : 'warn', message, extra);
      },
  });
}

/** How services create topics when they may (dev and tests; production declares them). */
export interface TopicCreation {
  replicationFactor: number;
  /** Every topic gets at least this many partitions (its spec's count otherwise). */
  minPartitions: number;
}

/** Creates missing topics with their partition count and cleanup policy; existing ones are left alone. */
export async function ensureTopics(
  kafka: Kafka,
  namespace = new KafkaNamespace(),
  specs: readonly TopicSpec[] = TOPIC_SPECS,
  creation: TopicCreation = { replicationFactor: 1, minPartitions: 1 },
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(namespace.topic(spec.name)));
    if (missing.length === 0) return;
    await admin
      .createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: namespace.topic(spec.name),
          numPartitions: Math.max(spec.partitions, creation.minPartitions),
          replicationFactor: creation.replicationFactor,
          configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      })
      .catch((error: { type?: string }) => {
        if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error; // another service created it first
      });
  } finally {
    await admin.disconnect();
  }
}
