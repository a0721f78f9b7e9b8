import { DataSource } from 'typeorm';
import { Admin, Kafka } from 'kafkajs';
import { pingDatabase } from '@timelog-sync/persistence';

export type DependencyStatus = 'up' | 'down';

export const withTimeout = <T>(work: Promise<T>, ms: number) =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export async function postgresStatus(dataSource: DataSource): Promise<DependencyStatus> {
  try {
    await withTimeout(pingDatabase(dataSource), 2000);
    return 'up';
  } catch {
    return 'down';
  }
}

/** Asks the cluster for its metadata through a long-lived admin client; a stopped broker answers nothing within 2 s. */
export class KafkaStatusProbe {
  private admin?: Admin;

  constructor(private readonly kafka: Kafka) {}

  async status(): Promise<DependencyStatus> {
    try {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await withTimeout(
        this.admin.connect().then(() => this.admin!.describeCluster()),
        2000,
      );
      return 'up';
    } catch {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
      return 'down';
    }
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
