import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaEventServer, OutboxRelay, PassThroughRpcFilter } from '@timelog-sync/messaging';
import { createHttpLogger, createLogger, NestPinoLogger, syncMetrics } from '@timelog-sync/observability';
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
  if (definition.consumerGroup) {
    const consumer = app.connectMicroservice({
      strategy: new KafkaEventServer({
        kafka: infrastructure.kafka,
        dataSource: infrastructure.dataSource,
        namespace: infrastructure.namespace,
        groupId: definition.consumerGroup,
        partitionsConsumedConcurrently: 6,
        commitDelayMs: definition.commitDelayMs,
        onOutcome: (topic, outcome) => syncMetrics.eventsProcessed.inc({ topic, outcome }),
      }),
    });
    consumer.useGlobalFilters(new PassThroughRpcFilter());
    await app.startAllMicroservices();
  }
  const relay = definition.relayOutbox ? new OutboxRelay(infrastructure.dataSource, infrastructure.kafka, { namespace: infrastructure.namespace }) : undefined;
  await relay?.start();
  await app.listen(definition.port, definition.host);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await relay?.stop();
      await app.close();
      await infrastructure.dataSource.destroy();
    })());
  return { app, infrastructure, stop };
}
