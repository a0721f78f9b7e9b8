// First import of main.ts: tracing must hook into http, pg and kafkajs before they load.
import { startTracing } from '@timelog-sync/observability';

startTracing({ serviceName: 'mapping-service' });
