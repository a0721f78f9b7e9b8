import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CompressionTypes, Kafka, Partitioners, Producer } from 'kafkajs';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { BackgroundLoop, Rest } from '@timelog-sync/util';
import { claimUnpublished, listenForOutboxRows, markPublished, PendingOutboxRow, purgePublished, releaseSessionLock, removeOutboxMessage, setAsideUnpublishable, trySessionLock } from '@timelog-sync/persistence';
import { KafkaNamespace } from './kafka-namespace';

export interface OutboxRelayOptions {
  namespace?: KafkaNamespace;
  batchSize?: number;
  /**
   * Rest when the outbox is empty. A commit that adds rows wakes the relay at once (LISTEN/NOTIFY), so this only
   * bounds how late a lost notification (a dropped connection) is made up for.
   */
  idleDelayMs?: number;
  /** Published rows are deleted after this long. */
  retentionHours?: number;
  /** Counts what this instance published (one relay per database holds the lock at a time). */
  onPublished?: (rows: number) => void;
  /** Test seam: runs after Kafka acknowledged a batch and before the rows are marked. */
  afterPublish?: (ids: string[]) => Promise<void>;
}

// One relay at a time per database keeps per-key order across service instances.
export const RELAY_LOCK_KEY = 774_120_002;
/** Dead letters the relay sets aside are told apart from consumers' by this group. */
export const OUTBOX_RELAY_GROUP = 'outbox-relay';
const tracer = trace.getTracer('outbox-relay');

/**
 * Publishes committed outbox rows to Kafka with an idempotent producer, then marks them.
 * A crash between the two republishes the batch on restart; consumers dedupe on event-id.
 */
export class OutboxRelay {
  private readonly producer: Producer;
  private lockRunner?: QueryRunner;
  private stopListening?: () => Promise<void>;
  private readonly loop = new BackgroundLoop({ round: () => this.relayRound(), onError: (error) => this.relayFailed(error) });
  private lastCleanup = 0;
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    kafka: Kafka,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The idempotent producer keeps its sequence numbers only while it keeps retrying the same batch.
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5000 },
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.dropLock();
    await this.producer.disconnect();
  }

  /** Wakes the loop early (e.g. right after a commit that added rows). */
  nudge(): void {
    this.loop.nudge();
  }

  /** Publishes up to one batch; returns how many rows it published. */
  async publishOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await claimUnpublished(manager, this.batchSize);
      if (rows.length === 0) return 0;
      const refused = await this.sendSettingAsideRefused(rows);
      const ids = rows.filter((row) => !refused.has(row)).map((row) => row.id);
      await this.options.afterPublish?.(ids);
      await markPublished(manager, ids);
      for (const [row, cause] of refused) await this.deadLetter(manager, row, cause);
      return rows.length;
    });
  }

  /**
   * Sends the batch. When the broker refuses a message itself (too large, invalid record: retrying cannot
   * help), the rows are sent one by one so only the refused ones are set aside and the others go through now.
   * An unavailable broker is no refusal: the whole batch stays, to be sent again.
   */
  private async sendSettingAsideRefused(rows: PendingOutboxRow[]): Promise<Map<PendingOutboxRow, string>> {
    const refused = new Map<PendingOutboxRow, string>();
    try {
      await this.send(rows);
    } catch (error) {
      if (!refusesMessage(error)) throw error;
      for (const row of rows) {
        try {
          await this.send([row]);
        } catch (alone) {
          if (!refusesMessage(alone)) throw alone;
          refused.set(row, `Kafka refused the message: ${(alone as Error).message}`);
        }
      }
    }
    return refused;
  }

  /** Kept whole in dead_letter (the admin's dead-letter list) and removed from the outbox; never published to the DLQ, which would refuse it too. */
  private async deadLetter(manager: EntityManager, row: PendingOutboxRow, cause: string): Promise<void> {
    await setAsideUnpublishable(manager, {
      producer: OUTBOX_RELAY_GROUP,
      ref: `outbox:${row.id}`,
      companyId: row.headers['tenant-id'] || null,
      topic: row.topic,
      key: row.message_key,
      value: row.value,
      headers: row.headers,
      causeCode: 'permanent-failure',
      cause,
    });
    await removeOutboxMessage(manager, row.id);
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'outbox row refused by Kafka; dead-lettered', outbox_id: row.id, topic: row.topic, cause })}\n`);
  }

  private async send(rows: PendingOutboxRow[]): Promise<void> {
    const byTopic = new Map<string, PendingOutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    await tracer.startActiveSpan('outbox publish', { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.batch.message_count': rows.length } }, async (span) => {
      try {
        await this.producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: [...byTopic].map(([topic, topicRows]) => ({
            topic: (this.options.namespace ?? new KafkaNamespace()).topic(topic),
            messages: topicRows.map((row) => ({ key: row.message_key, value: row.value, headers: this.withProducerSpanLink(row.headers) })),
          })),
        });
      } finally {
        span.end();
      }
    });
  }

  /** Keeps the trace of the change that wrote the row (its traceparent), so one trace spans ingest to write. */
  private withProducerSpanLink(headers: Record<string, string>): Record<string, string> {
    if (headers.traceparent) return headers;
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return { ...headers, ...carrier };
  }

  /** One batch while this replica holds the relay lock; a second's rest while another one does. */
  private async relayRound(): Promise<Rest> {
    if (!(await this.holdsLock())) return 1000;
    const published = await this.publishOnce();
    if (published > 0) this.options.onPublished?.(published);
    await this.cleanupPublished();
    // Only a full batch suggests more are waiting. Rows that commit while a round is sent notify, and the loop keeps a
    // nudge that comes during a round, so the rest after it ends at once; going again regardless found nothing in most
    // rounds (three statements each: about half of the relay's statements at 200 changes a second).
    return published >= this.batchSize ? 0 : (this.options.idleDelayMs ?? 1000);
  }

  private async relayFailed(error: unknown): Promise<Rest> {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'outbox relay failed; retrying', error: String(error) })}\n`);
    await this.dropLock();
    return 1000;
  }

  /**
   * The lock's connection ended (PostgreSQL restarted or killed it): the lock went with it. `dropLock` forgets the
   * runner at once, so the next round takes the lock again on a new connection.
   */
  private lockLost(): void {
    void this.dropLock();
    this.loop.nudge();
  }

  private async holdsLock(): Promise<boolean> {
    if (this.lockRunner) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    if (await trySessionLock(runner, RELAY_LOCK_KEY)) {
      this.lockRunner = runner;
      this.stopListening = await listenForOutboxRows(runner, () => this.loop.nudge(), () => this.lockLost());
      return true;
    }
    await runner.release();
    return false;
  }

  private async dropLock(): Promise<void> {
    const runner = this.lockRunner;
    const stopListening = this.stopListening;
    this.lockRunner = undefined;
    this.stopListening = undefined;
    await stopListening?.().catch(() => undefined);
    if (runner) await releaseSessionLock(runner, RELAY_LOCK_KEY).catch(() => undefined);
    await runner?.release().catch(() => undefined);
  }

  private async cleanupPublished(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await purgePublished(this.dataSource, this.options.retentionHours ?? 24);
  }
}

/** A broker's refusal of the message itself (a protocol error it marks not retriable), anywhere in the error's causes. */
function refusesMessage(error: unknown): boolean {
  for (let current = error as { name?: string; retriable?: boolean; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (current.name === 'KafkaJSProtocolError' && current.retriable === false) return true;
  }
  return false;
}
