import './tracing';
import 'reflect-metadata';
import { startService } from '@timelog-sync/service-runtime';
import { loadForecastIngestorConfig } from './config';
import { ForecastIngestorModule } from './app.module';
import { InboundWebhooks } from '@timelog-sync/forecast-ingestion';
import { webhookRoute } from './webhook-route';
import { IngestionWorkers } from './ingestion-workers';

const config = loadForecastIngestorConfig();
startService('forecast-ingestor', config, {
  module: (infrastructure) => ForecastIngestorModule.register(infrastructure, config),
  relayOutbox: true,
  consumerGroup: 'forecast-ingestor',
  directRoutes: (app) => [webhookRoute(app.get(InboundWebhooks), app.get(IngestionWorkers), config)],
});
