import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { connectAndMigrate, createDataSource, ensureDatabaseExists } from '@timelog-sync/persistence';
import { createKafka, ensureTopics, KafkaNamespace, KafkaSecurity, TopicCreation } from '@timelog-sync/messaging';

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
  kafkaSecurity?: KafkaSecurity;
  /** Production: false (the migration Job migrates before a roll-out). */
  migrateOnStart?: boolean;
  /** Dev and tests only; production declares its topics. */
  createTopics?: TopicCreation;
}

/** Connects to PostgreSQL and Kafka; in dev and tests also creates the database, migrates it and creates topics. */
export async function connectInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const database = { url: options.databaseUrl, applicationName: options.serviceName, poolSize: options.poolSize };
  const migrateOnStart = options.migrateOnStart ?? true;
  if (migrateOnStart) await ensureDatabaseExists(options.databaseUrl);
  const dataSource = migrateOnStart ? await connectAndMigrate(database) : await createDataSource(database).initialize();
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: options.serviceName, security: options.kafkaSecurity });
  const namespace = new KafkaNamespace(options.kafkaNamespace);
  if (options.createTopics) await ensureTopics(kafka, namespace, undefined, options.createTopics);
  return { serviceName: options.serviceName, dataSource, kafka, namespace };
}
