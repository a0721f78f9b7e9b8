import './tracing';
import 'reflect-metadata';
import { runService } from '@timelog-sync/service-runtime';
import { registerSecret } from '@timelog-sync/observability';
import { loadMappingServiceConfig } from './config';
import { MappingServiceModule } from './app.module';

async function main() {
  const config = loadMappingServiceConfig();
  registerSecret(config.OPERATOR_TOKEN);
  const service = await runService({
    serviceName: 'mapping-service',
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    port: config.PORT,
    host: config.HTTP_HOST,
    module: (infrastructure) => MappingServiceModule.register(infrastructure, config),
    relayOutbox: true,
    commitDelayMs: config.FAULT_COMMIT_DELAY_MS,
  });
  process.once('SIGTERM', () => void service.stop().then(() => process.exit(0)));
  process.once('SIGINT', () => void service.stop().then(() => process.exit(0)));
}

void main();
