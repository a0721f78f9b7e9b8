import { CONSUMER_GROUPS } from '@timelog-sync/contracts';
import { HEALTH_SUBJECTS } from '@timelog-sync/company-directory';
import { PARK_REASON_CODES } from '@timelog-sync/domain';
import { activeCompanyFigures, deadLetterSizes, outboxBacklog, parkedByReason } from '@timelog-sync/persistence';
import { registerGaugeCollector } from '@timelog-sync/observability';
import { Infrastructure } from './infrastructure';
import { cachedRead } from './cached-read';
import { ConsumerLagReader } from './consumer-lag';

/** Scrapes within this window share one query. */
const READ_CACHE_MS = 2000;
/** Lag is cluster-side state: a few seconds of staleness keeps frequent scrapes off the broker. */
const LAG_CACHE_MS = 5000;
const HEALTH_CONDITIONS = { 'credentials-refused': 'credentials_refused', 'vendor-down': 'vendor_down' } as const;

/**
 * The system-wide gauges, read from PostgreSQL and the Kafka cluster at scrape time by ONE service (the mapping
 * service), so they stay correct while the service they describe is down: poll ages keep growing from the last
 * success stored in the database, a dead consumer group's lag grows from the broker's offsets, and each company's
 * series exist once instead of once per service. Series start at 0 (every topic, reason and active company), so
 * the first dead letter or parked event is an increase. Returns the unregister function.
 */
export function registerFleetGauges(infrastructure: Infrastructure): () => void {
  const { dataSource } = infrastructure;
  const outbox = cachedRead(READ_CACHE_MS, () => outboxBacklog(dataSource));
  const companies = cachedRead(READ_CACHE_MS, () => activeCompanyFigures(dataSource));
  const lagReader = new ConsumerLagReader({ kafka: infrastructure.kafka, namespace: infrastructure.namespace, groups: CONSUMER_GROUPS });
  const lags = cachedRead(LAG_CACHE_MS, () => lagReader.read());

  const removers = [
    registerGaugeCollector('outboxBacklog', async (gauge) => gauge.set((await outbox()).backlog)),
    registerGaugeCollector('outboxOldestAge', async (gauge) => gauge.set((await outbox()).oldest_age)),
    registerGaugeCollector('dlqSize', async (gauge) => {
      const rows = await deadLetterSizes(dataSource);
      const sizes = new Map(rows.map((row) => [row.topic, row.size]));
      gauge.reset();
      for (const topic of new Set([...Object.values(CONSUMER_GROUPS).flat(), ...sizes.keys()])) gauge.set({ topic }, sizes.get(topic) ?? 0);
    }),
    registerGaugeCollector('parkedByReason', async (gauge) => {
      const rows = await parkedByReason(dataSource);
      const counts = new Map(rows.map((row) => [row.reason_code, row.n]));
      gauge.reset();
      for (const reason of PARK_REASON_CODES) gauge.set({ reason }, counts.get(reason) ?? 0);
    }),
    registerGaugeCollector('parked', async (gauge) => {
      const rows = await companies();
      gauge.reset();
      for (const row of rows) gauge.set({ company: row.id }, row.parked);
    }),
    registerGaugeCollector('companyHealth', async (gauge) => {
      const rows = await companies();
      gauge.reset();
      for (const row of rows) {
        for (const vendor of HEALTH_SUBJECTS) {
          const current = row.health.find((entry) => entry.vendor === vendor)?.condition;
          for (const [condition, label] of Object.entries(HEALTH_CONDITIONS)) gauge.set({ company: row.id, vendor, condition: label }, current === condition ? 1 : 0);
        }
      }
    }),
    registerGaugeCollector('pollInterval', async (gauge) => {
      const rows = await companies();
      gauge.reset();
      for (const row of rows) gauge.set({ company: row.id }, row.poll_interval_minutes * 60);
    }),
    registerGaugeCollector('pollAge', async (gauge) => {
      const rows = await companies();
      gauge.reset();
      for (const row of rows) {
        gauge.set({ company: row.id, vendor: 'timelog' }, row.timelog_poll_age);
        if (row.forecast_poll_age !== null) gauge.set({ company: row.id, vendor: 'forecast' }, row.forecast_poll_age);
      }
    }),
    registerGaugeCollector('consumerLag', async (gauge) => {
      const current = await lags();
      gauge.reset();
      for (const { group, topic, partition, lag } of current) gauge.set({ group, topic, partition: String(partition) }, lag);
    }),
  ];
  return () => {
    removers.forEach((remove) => remove());
    void lagReader.close();
  };
}
