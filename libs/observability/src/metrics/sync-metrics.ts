import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from './metrics-registry';

// Labels are bounded: company ids, vendors, operations, topics and reasons; never entity ids.
const registers = [metricsRegistry];

type GaugeCollector = (gauge: Gauge<string>) => Promise<void> | void;
const gaugeCollectors = new Map<Gauge<string>, GaugeCollector[]>();

const collectorErrors = new Counter({
  name: 'timelog_sync_metric_collector_errors_total',
  help: 'Scrape-time gauge collectors that threw, by metric',
  labelNames: ['metric'] as const,
  registers,
});

/**
 * A gauge whose value an app reads at scrape time (from PostgreSQL or Kafka) through registerGaugeCollector().
 * Its collector-error series starts at 0, so the first failed read shows as an increase.
 */
function collectedGauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  collectorErrors.inc({ metric: name }, 0);
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers,
    async collect() {
      for (const collect of gaugeCollectors.get(this as Gauge<string>) ?? []) {
        try {
          await collect(this as Gauge<string>);
        } catch {
          // A failing source must not break the whole scrape, nor leave a stale value (an old 0 would hide a
          // backlog): the gauge's series go away and the error counter says why.
          (this as Gauge<string>).reset();
          collectorErrors.inc({ metric: name });
        }
      }
    },
  });
}

const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const syncMetrics = {
  consumerLag: collectedGauge(
    'timelog_sync_consumer_lag',
    'Messages between the committed offset and the log end, per consumer group and partition',
    ['group', 'topic', 'partition'] as const,
  ),
  pollAge: collectedGauge(
    'timelog_sync_poll_age_seconds',
    'Seconds since the last successful poll of a company (vendor: forecast safety net or timelog change log)',
    ['company', 'vendor'] as const,
  ),
  pollInterval: collectedGauge(
    'timelog_sync_poll_interval_seconds',
    'Configured TimeLog poll interval of each active company; alerts compare poll age with it',
    ['company'] as const,
  ),
  pollDuration: new Histogram({
    name: 'timelog_sync_poll_duration_seconds',
    help: 'Duration of one company poll',
    labelNames: ['vendor', 'outcome'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  outboxBacklog: collectedGauge('timelog_sync_outbox_backlog', 'Outbox rows not yet published', ['service'] as const),
  outboxOldestAge: collectedGauge(
    'timelog_sync_outbox_oldest_age_seconds',
    'Age of the oldest unpublished outbox row, 0 when empty',
    ['service'] as const,
  ),
  outboxPublished: new Counter({
    name: 'timelog_sync_outbox_published_total',
    help: 'Outbox rows this instance published to Kafka (only the instance holding the relay lock publishes)',
    registers,
  }),
  webhooks: new Counter({
    name: 'timelog_sync_webhooks_total',
    help: 'Inbound Forecast webhooks by outcome (received, deduplicated, rejected) and reason',
    labelNames: ['outcome', 'reason'] as const,
    registers,
  }),
  parked: collectedGauge('timelog_sync_parked', 'Events currently parked, per active company', ['company'] as const),
  reconciliationDifferences: collectedGauge(
    'timelog_sync_reconciliation_differences',
    'Differences between Forecast and TimeLog found by the last nightly reconciliation of each active company (0 before its first)',
    ['company'] as const,
  ),
  parkedByReason: collectedGauge('timelog_sync_parked_by_reason', 'Events currently parked across companies, by reason', ['reason'] as const),
  eventsParked: new Counter({
    name: 'timelog_sync_events_parked_total',
    help: 'Events parked since start, by reason',
    labelNames: ['reason'] as const,
    registers,
  }),
  dlqMessages: new Counter({
    name: 'timelog_sync_dlq_messages_total',
    help: 'Messages sent to the dead-letter topic, by source topic and reason',
    labelNames: ['topic', 'reason'] as const,
    registers,
  }),
  dlqSize: collectedGauge('timelog_sync_dlq_size', 'Messages held in the dead-letter topic', ['topic'] as const),
  echoDrops: new Counter({
    name: 'timelog_sync_echo_drops_total',
    help: 'Inbound changes dropped as echoes of our own writes, by direction',
    labelNames: ['direction'] as const,
    registers,
  }),
  conflicts: new Counter({
    name: 'timelog_sync_conflicts_total',
    help: 'Concurrent edits resolved by last-writer-wins, by winning side',
    labelNames: ['winner'] as const,
    registers,
  }),
  externalCallDuration: new Histogram({
    name: 'timelog_sync_external_call_seconds',
    help: 'Latency of Forecast and TimeLog calls',
    labelNames: ['vendor', 'operation'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  externalCallErrors: new Counter({
    name: 'timelog_sync_external_call_errors_total',
    help: 'Failed Forecast and TimeLog calls by failure class (retryable, permanent, unclassified)',
    labelNames: ['vendor', 'operation', 'class'] as const,
    registers,
  }),
  httpRequestDuration: new Histogram({
    name: 'timelog_sync_http_request_duration_seconds',
    help: 'HTTP requests served, by method, route template (never the raw path: it may hold a token) and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  }),
  companyHealth: collectedGauge(
    'timelog_sync_company_health',
    '1 while the vendor API (forecast, timelog, timelog-reporting) refuses the company\'s credentials (condition credentials_refused) or is down for it (vendor_down), else 0',
    ['company', 'vendor', 'condition'] as const,
  ),
  consumerRebalances: new Counter({
    name: 'timelog_sync_consumer_rebalances_total',
    help: 'Consumer-group changes seen by this process: joined (once at start, again after each rebalance) and rebalancing',
    labelNames: ['group', 'change'] as const,
    registers,
  }),
  eventsProcessed: new Counter({
    name: 'timelog_sync_events_processed_total',
    help: 'Consumed events by topic and outcome (handled, duplicate, dead-lettered)',
    labelNames: ['topic', 'outcome'] as const,
    registers,
  }),
};

export type SyncMetrics = typeof syncMetrics;

/**
 * Creates each labelled series at 0, so a counter has a sample before its first event: `increase()` then sees
 * the first event, and panels show 0 instead of "No data".
 */
export function initialiseCounter<L extends string>(counter: Counter<L>, labelSets: Partial<Record<L, string | number>>[]): void {
  for (const labels of labelSets) counter.inc(labels, 0);
}
type CollectedGaugeKey = {
  [K in keyof SyncMetrics]: SyncMetrics[K] extends Gauge<string> ? K : never;
}[keyof SyncMetrics];

/**
 * Sets a gauge from its source each time /metrics is scraped. Returns a function that removes the collector.
 * Collectors should reset() the gauge first when label sets can disappear (a company no longer parked).
 */
export function registerGaugeCollector<K extends CollectedGaugeKey>(
  key: K,
  collect: (gauge: SyncMetrics[K]) => Promise<void> | void,
): () => void {
  const gauge = syncMetrics[key] as Gauge<string>;
  const collector = collect as GaugeCollector;
  gaugeCollectors.set(gauge, [...(gaugeCollectors.get(gauge) ?? []), collector]);
  return () => gaugeCollectors.set(gauge, (gaugeCollectors.get(gauge) ?? []).filter((c) => c !== collector));
}
