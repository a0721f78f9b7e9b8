import { randomUUID } from 'node:crypto';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { KEYS, SyncCommandV1, TOPICS, toWireHeaders } from '@timelog-sync/contracts';
import { connectAndMigrate } from '@timelog-sync/persistence';
import { pollUntil, testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { createKafka, ensureTopics } from './kafka';
import { KafkaEventServer } from './kafka-event-server';
import { KafkaNamespace } from './kafka-namespace';
import { EventContext } from './event-context';
import { PassThroughRpcFilter } from './pass-through-rpc-filter';

/** Commands with this id are refused for good, as a vendor refuses an item: its chunk must not hold the others. */
const POISON = new Set<string>();

// Each handling records its partition and its transaction.
@Controller()
@UseFilters(PassThroughRpcFilter)
class ChunkedEffectController {
  @EventPattern(TOPICS.syncCommands)
  async record(@Payload() command: SyncCommandV1, @Ctx() ctx: EventContext) {
    await ctx.manager.query('INSERT INTO test_chunked_effect (command_id, kafka_partition, tx) VALUES ($1, $2, txid_current())', [command.commandId, ctx.partition]);
    if (POISON.has(command.commandId)) throw Object.assign(new Error(`command ${command.commandId} refused`), { retryable: false });
  }
}

@Module({ controllers: [ChunkedEffectController] })
class ChunkedConsumerModule {}

describe('chunked topics on real Kafka and PostgreSQL: the partitions of one fetch share a transaction', () => {
  let dataSource: DataSource;
  let kafka: Kafka;
  const namespace = new KafkaNamespace(`chunks-${uniqueSuffix()}`);
  const company = `co-${uniqueSuffix()}`;

  beforeAll(async () => {
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
    await dataSource.query('CREATE TABLE IF NOT EXISTS test_chunked_effect (command_id text, kafka_partition int, tx bigint)');
    kafka = createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'chunked-int-test' });
    await ensureTopics(kafka, namespace);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** Publishes the commands before the consumer starts, so its first fetch brings every partition's messages at once. */
  async function publish(ids: string[]) {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: namespace.topic(TOPICS.syncCommands),
      messages: ids.map((commandId) => ({
        key: KEYS.command(company, commandId),
        value: JSON.stringify({ command: 'retry-parked', commandId, companyId: company, requestedAt: new Date().toISOString() } satisfies SyncCommandV1),
        headers: toWireHeaders({ eventId: randomUUID(), tenantId: company, schemaVersion: 1 }),
      })),
    });
    await producer.disconnect();
  }

  async function consume(groupId: string) {
    const app = await NestFactory.createMicroservice(ChunkedConsumerModule, {
      strategy: new KafkaEventServer({ kafka, dataSource, namespace, groupId, chunkedTopics: [TOPICS.syncCommands], partitionsConsumedConcurrently: 3, maxAttempts: 2, initialRetryDelayMs: 50 }),
      logger: false,
    });
    await app.listen();
    return app;
  }

  it('handles messages of several partitions in one transaction, each once', async () => {
    const ids = Array.from({ length: 60 }, () => randomUUID());
    await publish(ids);
    const app = await consume('test-chunked');
    try {
      const rows = await pollUntil(
        async () => {
          const found: { command_id: string; kafka_partition: number; tx: string }[] = await dataSource.query('SELECT command_id, kafka_partition, tx FROM test_chunked_effect WHERE command_id = ANY($1)', [ids]);
          return found.length >= ids.length && found;
        },
        { description: 'every command handled', timeoutMs: 30_000 },
      );
      expect(rows.map((row) => row.command_id).sort()).toEqual([...ids].sort());
      const partitionsPerTransaction = new Map<string, Set<number>>();
      for (const row of rows) partitionsPerTransaction.set(row.tx, (partitionsPerTransaction.get(row.tx) ?? new Set()).add(row.kafka_partition));
      expect(new Set(rows.map((row) => row.kafka_partition)).size).toBeGreaterThan(1);
      expect(Math.max(...[...partitionsPerTransaction.values()].map((partitions) => partitions.size))).toBeGreaterThan(1);
    } finally {
      await app.close();
    }
  });

  it('a message refused for good fails alone: the rest of its chunk commits, it is dead-lettered with its cause', async () => {
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const poison = ids[7];
    POISON.add(poison);
    await publish(ids);
    const app = await consume('test-chunked-poison');
    try {
      const letters = await pollUntil(
        async () => {
          const found: { cause_code: string; cause: string }[] = await dataSource.query(
            `SELECT cause_code, cause FROM dead_letter WHERE consumer_group = $1 AND value LIKE '%' || $2 || '%'`,
            ['test-chunked-poison', poison],
          );
          return found.length > 0 && found;
        },
        { description: 'the refused command dead-lettered', timeoutMs: 30_000 },
      );
      expect(letters).toEqual([{ cause_code: 'permanent-failure', cause: expect.stringContaining(`command ${poison} refused`) }]);
      // Committed: every other command once (the rest of the topic moves on beside the dead letter); the refused
      // one's write rolled back with each of its attempts.
      const committed = await pollUntil(
        async () => {
          const found: { command_id: string }[] = await dataSource.query('SELECT command_id FROM test_chunked_effect WHERE command_id = ANY($1)', [ids]);
          return found.length >= ids.length - 1 && found;
        },
        { description: 'every other command handled', timeoutMs: 30_000 },
      );
      expect(committed.map((row) => row.command_id).sort()).toEqual(ids.filter((id) => id !== poison).sort());
    } finally {
      await app.close();
    }
  });
});
