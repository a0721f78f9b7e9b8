import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { createKafka, ensureTopics } from '@timelog-sync/messaging';

export interface Infrastructure {
  serviceName: string;
  dataSource: DataSource;
  kafka: Kafka;
}

export interface InfrastructureOptions {
  serviceName: string;
  databaseUrl: string;
  kafkaBrokers: string[];
  poolSize?: number;
}

/** Connects to PostgreSQL (creating the database and migrating) and Kafka (creating topics). */
export async function connectInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  await ensureDatabaseExists(options.databaseUrl);
  const dataSource = await connectAndMigrate({ url: options.databaseUrl, applicationName: options.serviceName, poolSize: options.poolSize });
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: options.serviceName });
  await ensureTopics(kafka);
  return { serviceName: options.serviceName, dataSource, kafka };
}
