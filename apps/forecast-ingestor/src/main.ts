import './tracing';
import 'reflect-metadata';
import { runService } from '@timelog-sync/service-runtime';
import { loadForecastIngestorConfig } from './config';
import { ForecastIngestorModule } from './app.module';

async function main() {
  const config = loadForecastIngestorConfig();
  const service = await runService({
    serviceName: 'forecast-ingestor',
    databaseUrl: config.DATABASE_URL,
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaNamespace: config.KAFKA_NAMESPACE,
    port: config.PORT,
    host: config.HTTP_HOST,
    module: (infrastructure) => ForecastIngestorModule.register(infrastructure, config),
    consumerGroup: 'forecast-ingestor',
    relayOutbox: true,
    commitDelayMs: config.FAULT_COMMIT_DELAY_MS,
  });
  process.once('SIGTERM', () => void service.stop().then(() => process.exit(0)));
  process.once('SIGINT', () => void service.stop().then(() => process.exit(0)));
}

void main();
