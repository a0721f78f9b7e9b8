import { DataSource } from 'typeorm';
import { registerGaugeCollector } from '@timelog-sync/observability';
import { cachedRead } from './cached-read';

/** Scrapes within this window share one query. */
const READ_CACHE_MS = 2000;

interface OutboxState {
  backlog: number;
  oldest_age: number;
}

interface CompanyRow {
  id: string;
  status: string;
  health: string;
  poll_interval_minutes: number;
  parked: boolean;
}

/**
 * Gauges read from the shared database at scrape time: outbox backlog and oldest-row age, DLQ size, and each
 * company's state and poll interval. Every service reports them (labelled with itself), so they stay visible
 * while any one service is down; dashboards and alerts take the max across services. Returns the unregister function.
 */
export function registerDatabaseGauges(dataSource: DataSource, serviceName: string): () => void {
  const outbox = cachedRead(READ_CACHE_MS, async (): Promise<OutboxState> => {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS backlog, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_age
       FROM outbox_message WHERE published_at IS NULL`,
    );
    return row;
  });
  const companies = cachedRead(
    READ_CACHE_MS,
    (): Promise<CompanyRow[]> =>
      dataSource.query(
        `SELECT c.id, c.status, c.health, c.poll_interval_minutes,
           EXISTS (SELECT 1 FROM parked_event p WHERE p.company_id = c.id AND p.resolved_at IS NULL) AS parked
         FROM company c`,
      ),
  );
  const removers = [
    registerGaugeCollector('outboxBacklog', async (gauge) => gauge.set({ service: serviceName }, (await outbox()).backlog)),
    registerGaugeCollector('outboxOldestAge', async (gauge) => gauge.set({ service: serviceName }, (await outbox()).oldest_age)),
    registerGaugeCollector('dlqSize', async (gauge) => {
      const rows: { topic: string; size: number }[] = await dataSource.query(
        `SELECT topic, count(*)::int AS size FROM dead_letter WHERE replayed_at IS NULL GROUP BY topic`,
      );
      gauge.reset();
      for (const { topic, size } of rows) gauge.set({ topic }, size);
    }),
    registerGaugeCollector('companyState', async (gauge) => {
      const rows = await companies();
      gauge.reset();
      for (const row of rows) {
        const states = { active: row.status === 'active', parked: row.parked, credentials_failing: row.health === 'credentials-failing', unavailable: row.health === 'unavailable' };
        for (const [state, holds] of Object.entries(states)) gauge.set({ company: row.id, state }, holds ? 1 : 0);
      }
    }),
    registerGaugeCollector('pollInterval', async (gauge) => {
      const rows = await companies();
      gauge.reset();
      for (const row of rows) if (row.status === 'active') gauge.set({ company: row.id }, row.poll_interval_minutes * 60);
    }),
  ];
  return () => removers.forEach((remove) => remove());
}
