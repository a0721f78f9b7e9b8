import { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaEventServer, OutboxRelay, PassThroughRpcFilter } from '@timelog-sync/messaging';
import { connectInfrastructure, Infrastructure, InfrastructureOptions } from './infrastructure';

export interface ServiceDefinition extends InfrastructureOptions {
  port: number;
  host: string;
  /** The app's root module, given the connected infrastructure. */
  module: (infrastructure: Infrastructure) => DynamicModule;
  /** Consumer group; when set, the app's @EventPattern handlers consume through the inbox. */
  consumerGroup?: string;
  /** Services that write to the outbox also relay it (one relay holds the lock at a time). */
  relayOutbox: boolean;
  logger?: LoggerService;
}

export interface RunningService {
  app: INestApplication;
  infrastructure: Infrastructure;
  stop(): Promise<void>;
}

/** The common start-up of a pipeline service: infrastructure, HTTP, Kafka consumer, outbox relay, clean stop on SIGTERM. */
export async function runService(definition: ServiceDefinition): Promise<RunningService> {
  const infrastructure = await connectInfrastructure(definition);
  const app = await NestFactory.create(definition.module(infrastructure), { logger: definition.logger, bufferLogs: !!definition.logger });
  app.enableShutdownHooks();
  if (definition.consumerGroup) {
    const consumer = app.connectMicroservice({
      strategy: new KafkaEventServer({ kafka: infrastructure.kafka, dataSource: infrastructure.dataSource, groupId: definition.consumerGroup, partitionsConsumedConcurrently: 6 }),
    });
    consumer.useGlobalFilters(new PassThroughRpcFilter());
    await app.startAllMicroservices();
  }
  const relay = definition.relayOutbox ? new OutboxRelay(infrastructure.dataSource, infrastructure.kafka) : undefined;
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
