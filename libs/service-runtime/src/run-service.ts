import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaEventServer, OutboxRelay, PassThroughRpcFilter } from '@timelog-sync/messaging';
import { createHttpLogger, createLogger, NestPinoLogger, registerGaugeCollector, syncMetrics } from '@timelog-sync/observability';
import { cachedRead } from './cached-read';
import { ConsumerLagReader } from './consumer-lag';
import { registerDatabaseGauges } from './database-gauges';
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
  const relay = definition.relayOutbox ? new OutboxRelay(infrastructure.dataSource, infrastructure.kafka, { namespace: infrastructure.namespace }) : undefined;
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
  // The filter must be in place before Nest registers the listeners, or Nest ignores it (with a warning) and turns
  // every handler error into a plain { message: 'Internal server error' } object: no retryable/permanent
  // distinction, and dead letters whose cause read "[object Object]". So: defer, filter, then register as Nest would.
  const microservice = app.connectMicroservice({ strategy: server }, { deferInitialization: true }) as ReturnType<INestApplication['connectMicroservice']> & {
    registerListeners(): void;
    setIsInitialized(initialized: boolean): void;
    setIsInitHookCalled(called: boolean): void;
  };
  microservice.useGlobalFilters(new PassThroughRpcFilter());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
  await app.startAllMicroservices();

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
