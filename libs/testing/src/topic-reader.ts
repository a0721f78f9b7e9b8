import { Consumer, Kafka, KafkaMessage } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  partition: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  message: KafkaMessage;
}

/** Reads topics from the beginning into memory with a throw-away consumer group, for assertions. */
export class TopicReader {
  readonly messages: ReadMessage[] = [];
  private consumer?: Consumer;

  constructor(private readonly kafka: Kafka) {}

  async start(topics: string[]): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: `test-reader-${Date.now()}-${Math.random()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({
          topic,
          partition,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          message,
        });
      },
    });
    return this;
  }

  find(predicate: (message: ReadMessage) => boolean): ReadMessage[] {
    return this.messages.filter(predicate);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
