import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { createKafka, ensureTopics, KafkaNamespace } from '@timelog-sync/messaging';

export interface Infrastructure {
  serviceName: string;
  dataSource: DataSource;
  kafka: Kafka;
  namespace: KafkaNamespace;
}

export interface InfrastructureOptions {
  serviceName: string;
  databaseUrl: string;
  kafkaBrokers: string[];
  /** Prefix of every topic and consumer group, for environments sharing one cluster; empty in production. */
  kafkaNamespace?: string;
  poolSize?: number;
}

/** Connects to PostgreSQL (creating the database and migrating) and Kafka (creating topics). */
export async function connectInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  await ensureDatabaseExists(options.databaseUrl);
  const dataSource = await connectAndMigrate({ url: options.databaseUrl, applicationName: options.serviceName, poolSize: options.poolSize });
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: options.serviceName });
  const namespace = new KafkaNamespace(options.kafkaNamespace);
  await ensureTopics(kafka, namespace);
  return { serviceName: options.serviceName, dataSource, kafka, namespace };
}
