import { Admin, Kafka } from 'kafkajs';
import { KafkaNamespace } from '@timelog-sync/messaging';
import { withTimeout } from './dependency-health';

export interface PartitionLag {
  /** Logical consumer group and topic, the same in every environment. */
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface ConsumerGroupsOptions {
  kafka: Kafka;
  namespace: KafkaNamespace;
  /** Logical consumer groups and the logical topics each consumes. */
  groups: Readonly<Record<string, readonly string[]>>;
}

/**
 * Each consumer group's lag per partition, from the broker's view: log end offset minus the group's committed
 * offset. It needs no running consumer, so a dead group shows as lag that grows with every new message. A partition
 * the group never committed counts from the log start, as the consumers read from the beginning. One long-lived
 * admin client; a broker that does not answer within 2 s fails the read instead of holding the scrape.
 */
export class ConsumerLagReader {
  private admin?: Admin;

  constructor(private readonly options: ConsumerGroupsOptions) {}

  async read(): Promise<PartitionLag[]> {
    try {
      this.admin ??= this.options.kafka.admin({ retry: { retries: 0 } });
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
    const { namespace, groups } = this.options;
    const topics = [...new Set(Object.values(groups).flat())];
    const ends = new Map(await Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(namespace.topic(topic))] as const)));
    const perGroup = await Promise.all(
      Object.entries(groups).map(async ([group, groupTopics]) => {
        const committed = await admin.fetchOffsets({ groupId: namespace.group(group), topics: groupTopics.map((topic) => namespace.topic(topic)) });
        return groupTopics.flatMap((topic) => {
          const committedByPartition = new Map(
            (committed.find((entry) => entry.topic === namespace.topic(topic))?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]),
          );
          return (ends.get(topic) ?? []).map(({ partition, high, low }) => {
            const position = committedByPartition.get(partition) ?? -1;
            return { group, topic, partition, lag: Math.max(0, Number(high) - (position >= 0 ? position : Number(low))) };
          });
        });
      }),
    );
    return perGroup.flat();
  }
}
