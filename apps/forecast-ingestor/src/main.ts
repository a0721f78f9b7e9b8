import './tracing';
import 'reflect-metadata';
import { startService } from '@timelog-sync/service-runtime';
import { loadForecastIngestorConfig } from './config';
import { ForecastIngestorModule } from './app.module';
import { perWebhookToken } from './webhook-rate-limit';

const config = loadForecastIngestorConfig();
startService('forecast-ingestor', config, {
  module: (infrastructure) => ForecastIngestorModule.register(infrastructure, config),
  relayOutbox: true,
  consumerGroup: 'forecast-ingestor',
  throttlers: [perWebhookToken(config)],
});
