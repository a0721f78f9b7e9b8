import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CONSUMER_GROUPS, ConsumerGroupName, dlqEntryV1 } from '@timelog-sync/contracts';
import { KafkaEventServer, OutboxRelay, PassThroughRpcFilter } from '@timelog-sync/messaging';
import { createHttpLogger, createLogger, httpMetrics, initialiseCounter, NestPinoLogger, syncMetrics } from '@timelog-sync/observability';
import { registerFleetGauges } from './fleet-gauges';
import { connectInfrastructure, Infrastructure, InfrastructureOptions } from './infrastructure';

export interface ServiceDefinition extends InfrastructureOptions {
  port: number;
  host: string;
  /** The app's root module, given the connected infrastructure. */
  module: (infrastructure: Infrastructure) => DynamicModule;
  /** Consumer group; when set, the app's @EventPattern handlers consume through the inbox. */
  consumerGroup?: ConsumerGroupName;
  /** The one service that exports the system-wide gauges (per company, per consumer group); see registerFleetGauges. */
  exportsFleetGauges?: boolean;
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
  app.use(httpMetrics());
  app.enableShutdownHooks();
  const stopFleetGauges = definition.exportsFleetGauges ? registerFleetGauges(infrastructure) : undefined;
  if (definition.consumerGroup) await startConsumer(app, infrastructure, definition.consumerGroup, definition.commitDelayMs);
  const relay = definition.relayOutbox ? new OutboxRelay(infrastructure.dataSource, infrastructure.kafka, { namespace: infrastructure.namespace }) : undefined;
  await relay?.start();
  await app.listen(definition.port, definition.host);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopFleetGauges?.();
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
  wiring: Pick<ServiceDefinition, 'module' | 'consumerGroup' | 'relayOutbox' | 'exportsFleetGauges'>,
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

/**
 * Consumes the app's @EventPattern handlers through the inbox. The handlers must be exactly the group's topics in
 * CONSUMER_GROUPS, which the lag exporter reads; the group's counters start at 0 per topic.
 */
async function startConsumer(app: INestApplication, infrastructure: Infrastructure, group: ConsumerGroupName, commitDelayMs: number | undefined) {
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

  const declared: readonly string[] = CONSUMER_GROUPS[group];
  const subscribed = server.subscribedTopics();
  if (subscribed.length !== declared.length || subscribed.some((topic) => !declared.includes(topic))) {
    throw new Error(`consumer group ${group} handles [${subscribed.join(', ')}] but CONSUMER_GROUPS declares [${declared.join(', ')}]`);
  }
  initialiseCounter(syncMetrics.eventsProcessed, declared.flatMap((topic) => (['handled', 'duplicate', 'dead-lettered'] as const).map((outcome) => ({ topic, outcome }))));
  initialiseCounter(syncMetrics.dlqMessages, declared.flatMap((topic) => dlqEntryV1.shape.causeCode.options.map((reason) => ({ topic, reason }))));
}
