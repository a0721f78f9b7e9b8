import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Controller, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { KEYS, SyncCommandV1, TOPICS, toWireHeaders } from '@timelog-sync/contracts';
import { connectAndMigrate, enqueueEvent, OutboxMessage } from '@timelog-sync/persistence';
import { pollUntil, testEnvironment, TopicReader, uniqueSuffix } from '@timelog-sync/testing';
import { createKafka, ensureTopics } from './kafka';
import { OUTBOX_RELAY_GROUP, OutboxRelay, RELAY_LOCK_KEY } from './outbox-relay';
import { KAFKA_SESSION_TIMEOUT_MS, KafkaEventServer } from './kafka-event-server';
import { EventContext } from './event-context';
import { PassThroughRpcFilter } from './pass-through-rpc-filter';

// The handler's observable effect: one row per handling, in the handler's transaction. No unique key on
// purpose, so a double handling would show as two rows.
@Controller()
@UseFilters(PassThroughRpcFilter)
class CommandEffectController {
  @EventPattern(TOPICS.syncCommands)
  async record(@Payload() command: SyncCommandV1, @Ctx() ctx: EventContext) {
    // A handler waiting on a slow vendor: longer than the consumer's session timeout.
    if (ctx.companyId.endsWith('-slow')) await new Promise((resolve) => setTimeout(resolve, KAFKA_SESSION_TIMEOUT_MS + 3000));
    await ctx.manager.query('INSERT INTO test_command_effect (command_id, company_id) VALUES ($1, $2)', [command.commandId, ctx.companyId]);
  }
}

@Module({ controllers: [CommandEffectController] })
class ConsumerTestModule {}

describe('outbox relay + inbox consumer on real Kafka and PostgreSQL', () => {
  let dataSource: DataSource;
  let kafka: Kafka;
  let reader: TopicReader;
  let consumerApp: Awaited<ReturnType<typeof NestFactory.createMicroservice>>;
  const company = `co-${uniqueSuffix()}`;
  const groupChanges: string[] = [];

  const commandFor = (commandId: string): SyncCommandV1 => ({
    command: 'retry-parked',
    commandId,
    companyId: company,
    requestedAt: new Date().toISOString(),
  });
  const effects = async (commandId: string) =>
    Number((await dataSource.query('SELECT count(*)::int AS n FROM test_command_effect WHERE command_id = $1', [commandId]))[0].n);
  const commitStateChangeWithEvent = (commandId: string) =>
    dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO test_state_change (command_id) VALUES ($1)', [commandId]);
      return enqueueEvent(manager, { topic: TOPICS.syncCommands, key: KEYS.command(company, commandId), tenantId: company, value: commandFor(commandId) });
    });

  /** Publishes a fresh command through the relay and waits until the consumer has handled it. */
  const relayMarkerUntilHandled = async () => {
    const markerId = randomUUID();
    await commitStateChangeWithEvent(markerId);
    const relay = new OutboxRelay(dataSource, kafka);
    await relay.start();
    try {
      await pollUntil(async () => (await effects(markerId)) === 1, { description: 'marker handled' });
    } finally {
      await relay.stop();
    }
  };

  beforeAll(async () => {
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
    await dataSource.query('CREATE TABLE IF NOT EXISTS test_command_effect (command_id text, company_id text)');
    await dataSource.query('CREATE TABLE IF NOT EXISTS test_state_change (command_id text)');
    kafka = createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'messaging-int-test' });
    await ensureTopics(kafka);
    reader = await new TopicReader(kafka).start([TOPICS.syncCommands, TOPICS.syncDlq]);
    consumerApp = await NestFactory.createMicroservice(ConsumerTestModule, {
      strategy: new KafkaEventServer({
        kafka,
        dataSource,
        groupId: `test-consumer-${company}`,
        maxAttempts: 2,
        initialRetryDelayMs: 50,
        onGroupChange: (change) => groupChanges.push(change),
      }),
      logger: false,
    });
    await consumerApp.listen();
  });

  afterAll(async () => {
    await consumerApp?.close();
    await reader?.stop();
    await dataSource?.destroy();
  });

  it('commits a state change and its outbox row together, publishes it, and the consumer handles it once', async () => {
    const commandId = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query('INSERT INTO test_state_change (command_id) VALUES ($1)', [commandId]);
        await enqueueEvent(manager, { topic: TOPICS.syncCommands, key: KEYS.command(company, commandId), tenantId: company, value: commandFor(commandId) });
        throw new Error('roll back both');
      }),
    ).rejects.toThrow('roll back both');
    const rolledBack = await dataSource.query('SELECT count(*)::int AS n FROM outbox_message WHERE message_key = $1', [KEYS.command(company, commandId)]);
    expect(rolledBack[0].n).toBe(0);

    const eventId = await commitStateChangeWithEvent(commandId);
    const relay = new OutboxRelay(dataSource, kafka);
    await relay.start();
    try {
      await pollUntil(async () => (await effects(commandId)) === 1, { description: 'consumer effect' });
      const published = await pollUntil(
        async () => (await dataSource.query('SELECT published_at FROM outbox_message WHERE headers->>$1 = $2', ['event-id', eventId]))[0]?.published_at,
        { description: 'row marked published' },
      );
      expect(published).toBeInstanceOf(Date);
    } finally {
      await relay.stop();
    }
    expect(reader.find((m) => m.headers['event-id'] === eventId)).toHaveLength(1);
  });

  it('publishes a row as soon as its transaction commits, not when the resting relay polls again, also after its lock connection was killed', async () => {
    // Resting longer than the deadlines below: only the commit's notification can wake it in time.
    const relay = new OutboxRelay(dataSource, kafka, { idleDelayMs: 120_000 });
    const unpublished = async () => Number((await dataSource.query('SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL'))[0].n);
    const lockHolder = async (): Promise<number | undefined> =>
      (await dataSource.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`, [RELAY_LOCK_KEY]))[0]?.pid;
    await relay.start();
    try {
      await pollUntil(async () => (await lockHolder()) !== undefined && (await unpublished()) === 0, { description: 'relay holds the lock, outbox empty' });
      const first = randomUUID();
      await commitStateChangeWithEvent(first);
      await pollUntil(async () => (await effects(first)) === 1, { description: 'handled after the commit woke the relay', timeoutMs: 15_000 });

      const killed = await lockHolder();
      await dataSource.query('SELECT pg_terminate_backend($1)', [killed]);
      await pollUntil(async () => ![undefined, killed].includes(await lockHolder()), { description: 'lock taken again on a new connection', timeoutMs: 15_000 });
      const second = randomUUID();
      await commitStateChangeWithEvent(second);
      await pollUntil(async () => (await effects(second)) === 1, { description: 'handled after the commit woke the relay again', timeoutMs: 15_000 });
    } finally {
      await relay.stop();
    }
  });

  it('publishes each commit in one round and then waits for the next commit, not claiming an empty outbox again', async () => {
    // A relay on a data source of its own, so its rounds (one transaction each) are told apart from the consumer's.
    const relaySource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
    const relay = new OutboxRelay(relaySource, kafka, { idleDelayMs: 120_000 });
    const rounds = jest.spyOn(relaySource, 'transaction');
    await relay.start();
    try {
      // Warmed up: a first event published and handled (the consumer may still be joining its group).
      const warmUp = randomUUID();
      await commitStateChangeWithEvent(warmUp);
      await pollUntil(async () => (await effects(warmUp)) === 1, { description: 'first event handled' });
      await pollUntil(async () => Number((await dataSource.query('SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL'))[0].n) === 0, { description: 'outbox empty' });
      for (const _ of [1, 2]) {
        rounds.mockClear();
        const commandId = randomUUID();
        await commitStateChangeWithEvent(commandId);
        await pollUntil(async () => (await effects(commandId)) === 1, { description: 'handled after the commit woke the relay' });
        expect(rounds).toHaveBeenCalledTimes(1);
      }
    } finally {
      await relay.stop();
      await relaySource.destroy();
    }
  });

  it('sets aside a message Kafka refuses (too large) as a dead letter with its cause, and publishes the rows around it at once', async () => {
    const [before, after] = [randomUUID(), randomUUID()];
    await commitStateChangeWithEvent(before);
    const refusedEventId = randomUUID();
    const [{ id: refusedId }] = (
      await dataSource.getRepository(OutboxMessage).insert({
        topic: TOPICS.syncCommands,
        messageKey: KEYS.command(company, refusedEventId),
        // Over the broker's message.max.bytes (1 MB by default).
        value: JSON.stringify({ ...commandFor(refusedEventId), padding: 'x'.repeat(1_500_000) }),
        headers: toWireHeaders({ eventId: refusedEventId, tenantId: company, schemaVersion: 1 }),
      })
    ).identifiers;
    await commitStateChangeWithEvent(after);
    const relay = new OutboxRelay(dataSource, kafka);
    await relay.start();
    try {
      await pollUntil(async () => (await effects(before)) === 1 && (await effects(after)) === 1, { description: 'the rows around the refused one handled' });
      const [deadLetter] = await pollUntil(
        async () => {
          const rows = await dataSource.query(`SELECT * FROM dead_letter WHERE consumer_group = $1 AND kafka_offset = $2`, [OUTBOX_RELAY_GROUP, `outbox:${refusedId}`]);
          return rows.length > 0 && rows;
        },
        { description: 'refused row dead-lettered' },
      );
      expect(deadLetter).toMatchObject({ company_id: company, topic: TOPICS.syncCommands, cause_code: 'permanent-failure', cause: expect.stringContaining('larger than the max message size') });
      expect(await dataSource.query(`SELECT 1 FROM outbox_message WHERE id = $1`, [refusedId])).toEqual([]);
    } finally {
      await relay.stop();
    }
  });

  it('handles the same message delivered twice only once', async () => {
    const commandId = randomUUID();
    const eventId = randomUUID();
    const producer = kafka.producer();
    await producer.connect();
    const message = {
      key: KEYS.command(company, commandId),
      value: JSON.stringify(commandFor(commandId)),
      headers: toWireHeaders({ eventId, tenantId: company, schemaVersion: 1 }),
    };
    await producer.send({ topic: TOPICS.syncCommands, messages: [message] });
    await producer.send({ topic: TOPICS.syncCommands, messages: [message] });
    await producer.disconnect();
    await pollUntil(() => reader.find((m) => m.headers['event-id'] === eventId).length === 2, { description: 'both copies on the topic' });
    await pollUntil(async () => (await effects(commandId)) === 1, { description: 'first copy handled' });
    // The second copy sits behind the first in the same partition: once the inbox shows the event and a later
    // marker message is handled, the duplicate has been consumed.
    await relayMarkerUntilHandled();
    expect(await effects(commandId)).toBe(1);
  });

  it('republishes after a relay killed between publishing and marking, and the consumer still handles once', async () => {
    const commandId = randomUUID();
    const eventId = await commitStateChangeWithEvent(commandId);
    const child = spawn(process.execPath, ['-r', './tools/register.js', 'libs/messaging/src/fixtures/relay-then-die.ts'], {
      env: { ...process.env, DATABASE_URL: testEnvironment.databaseUrl, KAFKA_BROKERS: testEnvironment.kafkaBrokers.join(',') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    expect(exit.signal).toBe('SIGKILL');
    await pollUntil(() => reader.find((m) => m.headers['event-id'] === eventId).length === 1, { description: 'published by the killed relay' });
    const unmarked = await dataSource.query('SELECT published_at FROM outbox_message WHERE headers->>$1 = $2', ['event-id', eventId]);
    expect(unmarked[0].published_at).toBeNull();

    const relay = new OutboxRelay(dataSource, kafka);
    await relay.start();
    try {
      await pollUntil(() => reader.find((m) => m.headers['event-id'] === eventId).length === 2, { description: 'republished on restart' });
      await pollUntil(async () => (await effects(commandId)) === 1, { description: 'handled' });
      const markerId = randomUUID();
      await commitStateChangeWithEvent(markerId);
      await pollUntil(async () => (await effects(markerId)) === 1, { description: 'marker handled' });
    } finally {
      await relay.stop();
    }
    expect(await effects(commandId)).toBe(1);
  });

  it('stays in its group while a handler works longer than the session timeout (it heartbeats meanwhile)', async () => {
    await pollUntil(() => groupChanges.includes('joined'), { description: 'consumer joined its group' });
    const before = [...groupChanges];
    const slowCompany = `${company}-slow`;
    const commandId = randomUUID();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.syncCommands,
      messages: [{ key: KEYS.command(slowCompany, commandId), value: JSON.stringify({ ...commandFor(commandId), companyId: slowCompany }), headers: toWireHeaders({ eventId: randomUUID(), tenantId: slowCompany, schemaVersion: 1 }) }],
    });
    await producer.disconnect();
    await pollUntil(async () => (await effects(commandId)) === 1, { description: 'slow command handled', timeoutMs: 30_000 });
    // A member kicked for a missed session would have re-joined (and handled the command a second time).
    await relayMarkerUntilHandled();
    expect(groupChanges).toEqual(before);
    expect(await effects(commandId)).toBe(1);
  });

  it('sends an invalid event to the DLQ topic with its cause', async () => {
    const eventId = randomUUID();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.syncCommands,
      messages: [{ key: `${company}:bad`, value: JSON.stringify({ command: 'backfill', companyId: company }), headers: toWireHeaders({ eventId, tenantId: company, schemaVersion: 1 }) }],
    });
    await producer.disconnect();
    const relay = new OutboxRelay(dataSource, kafka);
    await relay.start();
    try {
      const [entry] = await pollUntil(
        () => {
          const found = reader.find((m) => m.topic === TOPICS.syncDlq && JSON.parse(m.value ?? '{}').originalHeaders?.['event-id'] === eventId);
          return found.length ? found : undefined;
        },
        { description: 'DLQ entry' },
      );
      const dlq = JSON.parse(entry.value as string);
      expect(dlq.causeCode).toBe('invalid-message');
      expect(dlq.cause).toContain('schema violation');
      expect(dlq.cause).toContain('commandId');
      expect(dlq.originalTopic).toBe(TOPICS.syncCommands);
      expect(JSON.parse(dlq.originalValue)).toEqual({ command: 'backfill', companyId: company });
    } finally {
      await relay.stop();
    }
  });
});
