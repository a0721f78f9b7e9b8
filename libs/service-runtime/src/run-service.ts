import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Cron } from 'croner';
import { pruneProcessedEvents } from '@timelog-sync/persistence';
import { CONSUMER_GROUPS, ConsumerGroupName, dlqEntryV1 } from '@timelog-sync/contracts';
import { KafkaEventServer, KafkaSecurity, OutboxRelay, PassThroughRpcFilter } from '@timelog-sync/messaging';
import { createHttpLogger, createLogger, httpMetrics, initialiseCounter, metricsRegistry, NestPinoLogger, registerSecret, syncMetrics } from '@timelog-sync/observability';
import { registerFleetGauges } from './fleet-gauges';
import { ReadinessChecks } from './health.controller';
import { connectInfrastructure, Infrastructure, InfrastructureOptions } from './infrastructure';
import { HttpLimits, HttpLimitsModule } from './http-limits';
import { ClientErrorFilter } from './client-error-filter';
import { DirectRoute, directRouteMiddleware } from './direct-route';

export interface ServiceDefinition extends InfrastructureOptions {
  port: number;
  host: string;
  /** The app's root module, given the connected infrastructure. */
  module: (infrastructure: Infrastructure) => DynamicModule;
  /** Consumer group; when set, the app's @EventPattern handlers consume through the inbox. */
  consumerGroup?: ConsumerGroupName;
  /** Topics consumed in chunks, one transaction each (see KafkaEventServerOptions.chunkedTopics). */
  chunkedTopics?: string[];
  /** The one service that exports the system-wide gauges (per company, per consumer group); see registerFleetGauges. */
  exportsFleetGauges?: boolean;
  /** Chaos testing: see KafkaEventServerOptions.commitDelayMs. */
  commitDelayMs?: number;
  /** Services that write to the outbox also relay it (one relay holds the lock at a time). */
  relayOutbox: boolean;
  /** Body size and rate limits on every HTTP route. */
  httpLimits: HttpLimits;
  retention: { processedEventDays: number; outboxHours: number };
  /** Routes answered ahead of the framework stack (see DirectRoute), built from the app's providers. */
  directRoutes?: (app: INestApplication) => DirectRoute[];
  /** Serve /metrics here instead of on the API port (an interface only Prometheus reaches). */
  metrics?: { port: number; host: string };
}

/** The variables every pipeline service reads (`commonEnv` plus PORT), as parsed by its config schema. */
export interface CommonServiceConfig {
  DATABASE_URL: string;
  KAFKA_BROKERS: string[];
  KAFKA_NAMESPACE: string;
  HTTP_HOST: string;
  PORT: number;
  METRICS_PORT?: number;
  METRICS_HOST: string;
  FAULT_COMMIT_DELAY_MS: number;
  HTTP_BODY_LIMIT_BYTES: number;
  RATE_LIMIT_PER_ADDRESS: number;
  RATE_LIMIT_WINDOW_SECONDS: number;
  PROCESSED_EVENT_RETENTION_DAYS: number;
  OUTBOX_RETENTION_HOURS: number;
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
  @Module({ imports: [definition.module(infrastructure), HttpLimitsModule.forRoot(definition.httpLimits)] })
  class ServiceModule {}
  // rawBody: the ingestor stores webhook bodies exactly as received. The body parsers are ours, to set their limit.
  const app = await NestFactory.create<NestExpressApplication>(ServiceModule, { bufferLogs: true, rawBody: true, bodyParser: false });
  app.useLogger(new NestPinoLogger(logger));
  for (const route of definition.directRoutes?.(app) ?? []) app.use(route.prefix, ...directRouteMiddleware(route, definition.httpLimits, logger));
  app.use(createHttpLogger(logger));
  app.useBodyParser('json', { limit: definition.httpLimits.bodyLimitBytes });
  app.useBodyParser('urlencoded', { limit: definition.httpLimits.bodyLimitBytes, extended: false });
  app.useGlobalFilters(new ClientErrorFilter(app.getHttpAdapter()));
  app.use(httpMetrics());
  // No enableShutdownHooks: `stop` below is the one way down (relay, app, database, in that order), on SIGTERM and
  // SIGINT only. Nest's hooks also answered SIGUSR2 (the heap-snapshot signal an SRE sends) and SIGHUP by closing
  // the app and leaving the process half-stopped, and raced `stop` on SIGTERM.
  const metricsServer = definition.metrics ? await serveMetricsApart(app, definition.metrics) : undefined;
  const stopFleetGauges = definition.exportsFleetGauges ? registerFleetGauges(infrastructure) : undefined;
  if (definition.consumerGroup) await startConsumer(app, infrastructure, definition.consumerGroup, definition.commitDelayMs, definition.chunkedTopics);
  const relay = definition.relayOutbox
    ? new OutboxRelay(infrastructure.dataSource, infrastructure.kafka, {
        namespace: infrastructure.namespace,
        retentionHours: definition.retention.outboxHours,
        onPublished: (rows) => syncMetrics.outboxPublished.inc(rows),
      })
    : undefined;
  const { consumerGroup } = definition;
  // The inbox grows by one row per consumed event; each service prunes its own group's rows, hourly.
  const inboxPrune = consumerGroup
    ? new Cron('23 * * * *', { protect: true, catch: true }, () => pruneProcessedEvents(infrastructure.dataSource, consumerGroup, definition.retention.processedEventDays))
    : undefined;
  await relay?.start();
  await app.listen(definition.port, definition.host);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopFleetGauges?.();
      inboxPrune?.stop();
      await relay?.stop();
      await app.close();
      await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
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
  wiring: Pick<ServiceDefinition, 'module' | 'consumerGroup' | 'chunkedTopics' | 'relayOutbox' | 'exportsFleetGauges' | 'directRoutes'> & { throttlers?: HttpLimits['throttlers'] },
): void {
  const { throttlers, ...rest } = wiring;
  runService({
    serviceName,
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    port: config.PORT,
    host: config.HTTP_HOST,
    commitDelayMs: config.FAULT_COMMIT_DELAY_MS,
    httpLimits: {
      bodyLimitBytes: config.HTTP_BODY_LIMIT_BYTES,
      perAddress: { limit: config.RATE_LIMIT_PER_ADDRESS, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS },
      throttlers,
    },
    retention: { processedEventDays: config.PROCESSED_EVENT_RETENTION_DAYS, outboxHours: config.OUTBOX_RETENTION_HOURS },
    metrics: config.METRICS_PORT === undefined ? undefined : { port: config.METRICS_PORT, host: config.METRICS_HOST },
    kafkaSecurity: kafkaSecurity(config),
    migrateOnStart: config.DATABASE_MIGRATE_ON_START,
    createTopics: config.KAFKA_CREATE_TOPICS ? { replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR, minPartitions: config.KAFKA_TOPIC_MIN_PARTITIONS } : undefined,
    ...rest,
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

/** GET /metrics on its own port; the API port answers 404 for it, so tenants' network paths never see it. */
async function serveMetricsApart(app: INestApplication, { port, host }: { port: number; host: string }): Promise<Server> {
  app.use('/metrics', (_request: unknown, response: { status(code: number): { end(): void } }) => response.status(404).end());
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metricsRegistry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

/**
 * Consumes the app's @EventPattern handlers through the inbox. The handlers must be exactly the group's topics in
 * CONSUMER_GROUPS, which the lag exporter reads; the group's counters start at 0 per topic.
 */
async function startConsumer(app: INestApplication, infrastructure: Infrastructure, group: ConsumerGroupName, commitDelayMs: number | undefined, chunkedTopics: string[] | undefined) {
  const server = new KafkaEventServer({
    kafka: infrastructure.kafka,
    dataSource: infrastructure.dataSource,
    namespace: infrastructure.namespace,
    groupId: group,
    partitionsConsumedConcurrently: 6,
    chunkedTopics,
    commitDelayMs,
    onOutcome: (topic, outcome) => syncMetrics.eventsProcessed.inc({ topic, outcome }),
    onDeadLetter: (topic, causeCode) => syncMetrics.dlqMessages.inc({ topic, reason: causeCode }),
    onGroupChange: (change) => syncMetrics.consumerRebalances.inc({ group, change }),
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
  app.get(ReadinessChecks).add('consumerGroup', () => server.isGroupMember());

  const declared: readonly string[] = CONSUMER_GROUPS[group];
  const subscribed = server.subscribedTopics();
  if (subscribed.length !== declared.length || subscribed.some((topic) => !declared.includes(topic))) {
    throw new Error(`consumer group ${group} handles [${subscribed.join(', ')}] but CONSUMER_GROUPS declares [${declared.join(', ')}]`);
  }
  initialiseCounter(syncMetrics.eventsProcessed, declared.flatMap((topic) => (['handled', 'duplicate', 'dead-lettered'] as const).map((outcome) => ({ topic, outcome }))));
  initialiseCounter(syncMetrics.dlqMessages, declared.flatMap((topic) => dlqEntryV1.shape.causeCode.options.map((reason) => ({ topic, reason }))));
}
