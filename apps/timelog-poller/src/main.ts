import './tracing';
import 'reflect-metadata';
import { runService } from '@timelog-sync/service-runtime';
import { registerSecret } from '@timelog-sync/observability';
import { loadTimelogPollerConfig } from './config';
import { TimelogPollerModule } from './app.module';

async function main() {
  const config = loadTimelogPollerConfig();
  registerSecret(config.OPERATOR_TOKEN);
  const service = await runService({
    serviceName: 'timelog-poller',
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    port: config.PORT,
    host: config.HTTP_HOST,
    module: (infrastructure) => TimelogPollerModule.register(infrastructure, config),
    relayOutbox: true,
    commitDelayMs: config.FAULT_COMMIT_DELAY_MS,
  });
  process.once('SIGTERM', () => void service.stop().then(() => process.exit(0)));
  process.once('SIGINT', () => void service.stop().then(() => process.exit(0)));
}

void main();
