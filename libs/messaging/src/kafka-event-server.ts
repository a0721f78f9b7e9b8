import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { lastValueFrom } from 'rxjs';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { decodeEventValue, DlqEntryV1, fromWireHeaders, TopicName } from '@timelog-sync/contracts';
import { readableCause } from '@timelog-sync/domain';
import { markProcessed, markProcessedMany } from '@timelog-sync/persistence';
import { EventContext } from './event-context';
import { FailedMessage, recordDeadLetter } from './dead-letters';
import { KafkaNamespace } from './kafka-namespace';
import { TurnCoalescer } from './turn-coalescer';

export interface KafkaEventServerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  groupId: string;
  namespace?: KafkaNamespace;
  /** Attempts for errors that may pass on their own (network, 5xx, DB hiccups) before dead-lettering. */
  maxAttempts?: number;
  initialRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * Topics whose messages are handled as chunks (up to `maxChunkMessages` of a fetched batch): one transaction and
   * one inbox insert per chunk, the handlers of different keys side by side in it (one key's messages in order), so
   * their vendor calls share batches (InsertWork of many units). If any handler of a chunk fails, the chunk rolls
   * back and each message is handled alone as on any other topic (retries, dead letter); what the failed chunk
   * already wrote outside is repeated idempotently (deterministic GUIDs, intent rows).
   */
  chunkedTopics?: string[];
  /**
   * Default 100. Every handler of a chunk is in flight at once, all on the chunk's one database connection, so a
   * larger chunk buys no speed, only memory: at 500 the writer's heap reached its 128 MB cap in a backlog (RSS ~200 MB);
   * at 100 (with six partitions at once) InsertWork batches still carry dozens of units.
   */
  maxChunkMessages?: number;
  /**
   * Chaos testing only: hold each handler's transaction open this long after the handler's external calls,
   * so a test can kill the process between the external effect and the commit.
   */
  commitDelayMs?: number;
  /** Called once per outcome, for metrics. */
  onOutcome?: (topic: string, outcome: 'handled' | 'duplicate' | 'dead-lettered') => void;
  /** Called once per message sent to the DLQ, for metrics. */
  onDeadLetter?: (topic: string, causeCode: DeadLetterCause) => void;
  /** Called when this consumer joins its group (at start and after any rebalance) or sees the group rebalancing. */
  onGroupChange?: (change: 'joined' | 'rebalancing') => void;
}

/**
 * A member that sends no heartbeat for this long is removed from the group; vendor calls inside a handler must time
 * out well before it (handlers also heartbeat while they work).
 */
export const KAFKA_SESSION_TIMEOUT_MS = 6000;
const HEARTBEAT_INTERVAL_MS = 1000;

type DeadLetterCause = DlqEntryV1['causeCode'];
/** Consecutive messages of one partition. */
type PartitionChunk = { partition: number; messages: KafkaMessage[] };

/** Errors may declare themselves permanent (`retryable === false`), e.g. a validation refusal. */
const isRetryable = (error: unknown) => !(error && typeof error === 'object' && (error as { retryable?: unknown }).retryable === false);

const tracer = trace.getTracer('kafka-event-server');

/**
 * A Nest microservice transport over kafkajs that gives each `@EventPattern(topic)` handler a validated
 * payload and a transaction in which the event id is recorded (the inbox): a redelivered message is a
 * no-op, a failed one is retried with backoff and then dead-lettered with its cause. Nest's own Kafka
 * transport commits offsets on its own terms and cannot share the handler's transaction.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  /** Whether this instance is a member of its consumer group right now (readiness: a writer outside its group does nothing). */
  private member = false;
  private readonly namespace: KafkaNamespace;
  /** Per chunked topic: the chunks of partitions fetched together, handled as one (see `chunkedTopics`). */
  private readonly chunks = new Map<string, TurnCoalescer<PartitionChunk>>();
  private readonly maxChunkMessages: number;

  constructor(private readonly options: KafkaEventServerOptions) {
    super();
    this.namespace = options.namespace ?? new KafkaNamespace();
    this.maxChunkMessages = options.maxChunkMessages ?? 100;
    for (const topic of options.chunkedTopics ?? []) {
      this.chunks.set(topic, new TurnCoalescer(this.maxChunkMessages, (chunk) => chunk.messages.length, (chunks) => this.handleChunks(topic, chunks)));
    }
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const topics = [...this.messageHandlers.keys()].map((topic) => this.namespace.topic(topic));
      this.consumer = this.options.kafka.consumer({
        groupId: this.namespace.group(this.options.groupId),
        // A crashed member holds its partitions until its session times out: keep that short.
        sessionTimeout: KAFKA_SESSION_TIMEOUT_MS,
        heartbeatInterval: HEARTBEAT_INTERVAL_MS,
        allowAutoTopicCreation: false,
      });
      const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = this.consumer.events;
      this.consumer.on(GROUP_JOIN, () => {
        this.member = true;
        this.options.onGroupChange?.('joined');
      });
      this.consumer.on(REBALANCING, () => this.options.onGroupChange?.('rebalancing'));
      for (const left of [CRASH, STOP, DISCONNECT]) this.consumer.on(left, () => (this.member = false));
      await this.consumer.connect();
      await this.consumer.subscribe({ topics, fromBeginning: true });
      await this.consumer.run({
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.handleBatch(payload),
      });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
  }

  on(): never {
    throw new Error('KafkaEventServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** Joined its consumer group (and not crashed, stopped or disconnected since). */
  isGroupMember(): boolean {
    return this.member;
  }

  /** The logical topics the handlers consume, known once Nest has bound them; e.g. for a consumer-lag gauge. */
  subscribedTopics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  private async handleBatch(payload: EachBatchPayload) {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const topic = this.namespace.logicalTopic(batch.topic);
    const coalescer = this.chunks.get(topic);
    if (coalescer) {
      for (let start = 0; start < batch.messages.length; start += this.maxChunkMessages) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + this.maxChunkMessages);
        await whileHeartbeating(heartbeat, () => coalescer.submit({ partition: batch.partition, messages: chunk }));
        resolveOffset(chunk[chunk.length - 1].offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
      return;
    }
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      await whileHeartbeating(heartbeat, () => this.handleMessage(this.namespace.logicalTopic(batch.topic), batch.partition, message));
      resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * See `chunkedTopics`: the chunks of one or more partitions in one transaction. Messages that fail their schema,
   * and every message of a chunk that failed, go alone (each partition's in its order).
   */
  private async handleChunks(topic: string, chunks: PartitionChunk[]): Promise<void> {
    const entries = chunks.flatMap(({ partition, messages }) => messages.map((message) => ({ partition, message })));
    if (entries.length === 1) return this.handleMessage(topic, entries[0].partition, entries[0].message);
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const valid: { partition: number; message: KafkaMessage; headers: Exclude<ReturnType<typeof fromWireHeaders>, string>; value: unknown }[] = [];
    const alone: { partition: number; message: KafkaMessage }[] = [];
    for (const entry of entries) {
      const headers = fromWireHeaders(entry.message.headers as never);
      const decoded = typeof headers === 'string' ? undefined : decodeEventValue(topic as TopicName, headers.schemaVersion, entry.message.value);
      if (typeof headers === 'string' || !decoded?.ok) alone.push(entry);
      else valid.push({ ...entry, headers, value: decoded.value });
    }
    let outcomes: ('handled' | 'duplicate')[] = [];
    try {
      outcomes = await this.options.dataSource.transaction(async (manager) => {
        const fresh = await markProcessedMany(manager, this.options.groupId, valid.map(({ headers }) => headers.eventId));
        const byKey = new Map<string, number[]>();
        valid.forEach(({ message }, index) => {
          const key = message.key?.toString() ?? `#${index}`;
          byKey.set(key, [...(byKey.get(key) ?? []), index]);
        });
        const result = valid.map(() => 'duplicate' as 'handled' | 'duplicate');
        // All settled before the transaction ends: no handler may still be writing when it rolls back.
        const settled = await Promise.allSettled(
          [...byKey.values()].map(async (indexes) => {
            for (const index of indexes) {
              const { partition, message, headers, value } = valid[index];
              // A copy of an event (republished by the relay) counts once.
              if (!fresh.delete(headers.eventId)) continue;
              const eventContext = new EventContext(topic, partition, message.offset, message.key?.toString() ?? null, headers, manager, 1);
              await this.traced(topic, message, async () => {
                await lastValueFrom(this.transformToObservable(await handler(value, eventContext)), { defaultValue: undefined });
                return 'handled' as const;
              });
              result[index] = 'handled';
            }
          }),
        );
        const failure = settled.find((outcome) => outcome.status === 'rejected');
        if (failure) throw failure.reason;
        if (this.options.commitDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.commitDelayMs));
        return result;
      });
    } catch {
      for (const { partition, message } of entries) await this.handleMessage(topic, partition, message);
      return;
    }
    outcomes.forEach((outcome) => this.options.onOutcome?.(topic, outcome));
    for (const { partition, message } of alone) await this.handleMessage(topic, partition, message);
  }

  /** The consumer span of one message, a child of the producer's trace context from its headers. */
  private traced<T extends string>(topic: string, message: KafkaMessage, work: () => Promise<T>): Promise<T> {
    const rawHeaders = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? String(value[0]) : String(value ?? '')]));
    return tracer.startActiveSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.consumer.group.name': this.options.groupId, 'company.id': rawHeaders['tenant-id'] ?? '' },
      },
      propagation.extract(context.active(), rawHeaders),
      async (span) => {
        try {
          const outcome = await work();
          span.setAttribute('sync.outcome', outcome);
          return outcome;
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async handleMessage(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const rawHeaders = Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? String(value[0]) : String(value ?? '')]),
    );
    const failed: FailedMessage = {
      consumerGroup: this.options.groupId,
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? null,
      headers: rawHeaders,
      companyId: rawHeaders['tenant-id'] || null,
      eventId: rawHeaders['event-id'] || null,
    };
    const outcome = await this.traced(topic, message, () => this.dispatch(topic, partition, message, failed));
    this.options.onOutcome?.(topic, outcome);
  }

  private async dispatch(topic: string, partition: number, message: KafkaMessage, failed: FailedMessage) {
    const headers = fromWireHeaders(message.headers as never);
    if (typeof headers === 'string') {
      return this.deadLetter(failed, 'invalid-message', headers, 0);
    }
    const decoded = decodeEventValue(topic as TopicName, headers.schemaVersion, message.value);
    if (!decoded.ok) {
      return this.deadLetter(failed, 'invalid-message', decoded.reason, 0);
    }
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);

    let attempts = 0;
    const policy = retry(handleWhen(isRetryable), {
      maxAttempts: (this.options.maxAttempts ?? 5) - 1,
      backoff: new ExponentialBackoff({ initialDelay: this.options.initialRetryDelayMs ?? 200, maxDelay: this.options.maxRetryDelayMs ?? 5000 }),
    });
    try {
      return await policy.execute(async () => {
        attempts += 1;
        return this.options.dataSource.transaction(async (manager) => {
          if (!(await markProcessed(manager, this.options.groupId, headers.eventId))) return 'duplicate' as const;
          const eventContext = new EventContext(topic, partition, message.offset, failed.key, headers, manager, attempts);
          await lastValueFrom(this.transformToObservable(await handler(decoded.value, eventContext)), { defaultValue: undefined });
          if (this.options.commitDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.commitDelayMs));
          return 'handled' as const;
        });
      });
    } catch (error) {
      const causeCode = isRetryable(error) ? 'retries-exhausted' : 'permanent-failure';
      return this.deadLetter(failed, causeCode, readableCause(error), attempts);
    }
  }

  private async deadLetter(failed: FailedMessage, causeCode: DeadLetterCause, cause: string, attempts: number) {
    await recordDeadLetter(this.options.dataSource, failed, causeCode, cause, attempts);
    this.options.onDeadLetter?.(failed.topic, causeCode);
    return 'dead-lettered' as const;
  }
}

/**
 * kafkajs heartbeats only between messages; a handler that waits on a slow vendor (or retries with backoff) would
 * outlive the session and get this member kicked from the group, so it heartbeats while the handler runs. A failed
 * heartbeat here (the group is rebalancing) is left to the next one between messages, which kafkajs acts on.
 */
async function whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
