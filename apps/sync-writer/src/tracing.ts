// First import of main.ts: tracing must hook into http, pg and kafkajs before they load.
import { exitOnConfigError } from '@timelog-sync/config';
import { startTracing } from '@timelog-sync/observability';

// A bad OTEL_* variable is named and the app exits 78, as for every other setting.
exitOnConfigError(() => startTracing({ serviceName: 'sync-writer' }));
