import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaEventServer, KafkaSecurity, OutboxRelay, PassThroughRpcFilter } from '@timelog-sync/messaging';
import { createHttpLogger, createLogger, NestPinoLogger, registerGaugeCollector, registerSecret, syncMetrics } from '@timelog-sync/observability';
import { cachedRead } from './cached-read';
import { ConsumerLagReader } from './consumer-lag';
import { registerDatabaseGauges } from './database-gauges';
import { ReadinessChecks } from './health.controller';
import { connectInfrastructure, Infrastructure, InfrastructureOptions } from './infrastructure';

export interface ServiceDefinition extends InfrastructureOptions {
  port: number;
  host: string;
  /** The app's root module, given the connected infrastructure. */
  module: (infrastructure: Infrastructure) => DynamicModule;
  /** Consumer group; when set, the app's @EventPattern handlers consume through the inbox. */
  consumerGroup?: string;
  /** Chaos testing: see KafkaEventServerOptions.commitDelayMs. */
  commitDelayMs?: number;
  /** Services that write to the outbox also relay it (one relay holds the lock at a time). */
  relayOutbox: boolean;
}

/** The variables every pipeline service reads (`commonEnv` plus PORT), as parsed by its config schema. */
export interface CommonServiceConfig {
  DATABASE_URL: string;
  KAFKA_BROKERS: string[];
  KAFKA_NAMESPACE: string;
  HTTP_HOST: string;
  PORT: number;
  FAULT_COMMIT_DELAY_MS: number;
  DATABASE_MIGRATE_ON_START: boolean;
  KAFKA_CREATE_TOPICS: boolean;
  KAFKA_TOPIC_REPLICATION_FACTOR: number;
  KAFKA_TOPIC_MIN_PARTITIONS: number;
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/** The client's TLS and SASL settings; a mechanism without its credentials is a configuration error (exit 78). */
function kafkaSecurity(config: CommonServiceConfig): KafkaSecurity {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  if (password) registerSecret(password);
  if (!mechanism) return { ssl: config.KAFKA_SSL, caFile: config.KAFKA_SSL_CA_FILE };
  if (!username || !password) {
    process.stderr.write('Invalid configuration:\n  - KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD\n');
    process.exit(78);
  }
  return { ssl: config.KAFKA_SSL, caFile: config.KAFKA_SSL_CA_FILE, sasl: { mechanism, username, password } };
}

export interface RunningService {
  app: INestApplication;
  infrastructure: Infrastructure;
  stop(): Promise<void>;
}

/** The common start-up of a pipeline service: infrastructure, HTTP, Kafka consumer, outbox relay, clean stop on SIGTERM. */
export async function runService(definition: ServiceDefinition): Promise<RunningService> {
  const logger = createLogger(definition.serviceName);
  const infrastructure = await connectInfrastructure(definition);
  // rawBody: the ingestor stores webhook bodies exactly as received.
  const app = await NestFactory.create(definition.module(infrastructure), { bufferLogs: true, rawBody: true });
  app.useLogger(new NestPinoLogger(logger));
  app.use(createHttpLogger(logger));
  app.enableShutdownHooks();
  const stopDatabaseGauges = registerDatabaseGauges(infrastructure.dataSource, definition.serviceName);
  const lag = definition.consumerGroup ? await startConsumer(app, infrastructure, definition.consumerGroup, definition.commitDelayMs) : undefined;
  const relay = definition.relayOutbox
    ? new OutboxRelay(infrastructure.dataSource, infrastructure.kafka, { namespace: infrastructure.namespace, onPublished: (rows) => syncMetrics.outboxPublished.inc(rows) })
    : undefined;
  await relay?.start();
  await app.listen(definition.port, definition.host);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopDatabaseGauges();
      await lag?.stop();
      await relay?.stop();
      await app.close();
      await infrastructure.dataSource.destroy();
    })());
  return { app, infrastructure, stop };
}

/**
 * What each app's main.ts calls: runs the service from its validated config, stops it cleanly on SIGTERM/SIGINT,
 * and exits non-zero with the reason when it cannot start.
 */
export function startService(
  serviceName: string,
  config: CommonServiceConfig,
  wiring: Pick<ServiceDefinition, 'module' | 'consumerGroup' | 'relayOutbox'>,
): void {
  runService({
    serviceName,
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    port: config.PORT,
    host: config.HTTP_HOST,
    commitDelayMs: config.FAULT_COMMIT_DELAY_MS,
    kafkaSecurity: kafkaSecurity(config),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    createTopics: config.KAFKA_CREATE_TOPICS ? { replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR, minPartitions: config.KAFKA_TOPIC_MIN_PARTITIONS } : undefined,
    ...wiring,
  }).then(
    (service) => {
      const stop = () => void service.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error) => {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', service: serviceName, msg: 'could not start', error: error instanceof Error ? error.message : String(error) })}\n`);
      process.exit(1);
    },
  );
}

/** Consumes the app's @EventPattern handlers through the inbox and reports the group's lag; returns how to stop the lag gauge. */
async function startConsumer(app: INestApplication, infrastructure: Infrastructure, group: string, commitDelayMs: number | undefined) {
  const server = new KafkaEventServer({
    kafka: infrastructure.kafka,
    dataSource: infrastructure.dataSource,
    namespace: infrastructure.namespace,
    groupId: group,
    partitionsConsumedConcurrently: 6,
    commitDelayMs,
    onOutcome: (topic, outcome) => syncMetrics.eventsProcessed.inc({ topic, outcome }),
    onDeadLetter: (topic, causeCode) => syncMetrics.dlqMessages.inc({ topic, reason: causeCode }),
  });
  app.connectMicroservice({ strategy: server }).useGlobalFilters(new PassThroughRpcFilter());
  await app.startAllMicroservices();
  app.get(ReadinessChecks).add('consumerGroup', () => server.isGroupMember());

  const reader = new ConsumerLagReader({ kafka: infrastructure.kafka, namespace: infrastructure.namespace, group, topics: () => server.subscribedTopics() });
  // Lag is cluster-side state: a few seconds of staleness is fine and keeps frequent scrapes off the broker.
  const lags = cachedRead(5000, () => reader.read());
  const stopCollector = registerGaugeCollector('consumerLag', async (gauge) => {
    const current = await lags();
    gauge.reset();
    for (const { topic, partition, lag } of current) gauge.set({ group, topic, partition: String(partition) }, lag);
  });
  return {
    async stop() {
      stopCollector();
      await reader.close();
    },
  };
}
