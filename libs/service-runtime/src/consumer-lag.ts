import { Admin, Kafka } from 'kafkajs';
import { KafkaNamespace } from '@timelog-sync/messaging';
import { withTimeout } from './dependency-health';

export interface PartitionLag {
  /** Logical topic name, the same in every environment. */
  topic: string;
  partition: number;
  lag: number;
}

export interface ConsumerGroupSubscription {
  kafka: Kafka;
  namespace: KafkaNamespace;
  /** Logical consumer group. */
  group: string;
  /** Logical topics the group consumes; read on each call since Nest binds handlers after start-up. */
  topics: () => string[];
}

/**
 * A consumer group's lag per partition: log end offset minus the committed offset. A partition the group
 * never committed counts from the log start, as the consumers read from the beginning. One long-lived admin
 * client; a broker that does not answer within 2 s fails the read instead of holding the scrape.
 */
export class ConsumerLagReader {
  private admin?: Admin;

  constructor(private readonly subscription: ConsumerGroupSubscription) {}

  async read(): Promise<PartitionLag[]> {
    try {
      this.admin ??= this.subscription.kafka.admin({ retry: { retries: 0 } });
      return await withTimeout(this.admin.connect().then(() => this.lags(this.admin!)), 2000);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async lags(admin: Admin): Promise<PartitionLag[]> {
    const { namespace, group, topics } = this.subscription;
    const logicalTopics = topics();
    if (logicalTopics.length === 0) return [];
    const [committed, ends] = await Promise.all([
      admin.fetchOffsets({ groupId: namespace.group(group), topics: logicalTopics.map((topic) => namespace.topic(topic)) }),
      Promise.all(logicalTopics.map((topic) => admin.fetchTopicOffsets(namespace.topic(topic)))),
    ]);
    return logicalTopics.flatMap((topic, index) => {
      const committedByPartition = new Map(
        (committed.find((entry) => entry.topic === namespace.topic(topic))?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]),
      );
      return ends[index].map(({ partition, high, low }) => {
        const position = committedByPartition.get(partition) ?? -1;
        return { topic, partition, lag: Math.max(0, Number(high) - (position >= 0 ? position : Number(low))) };
      });
    });
  }
}
