import { DataSource } from 'typeorm';
import { CompanyConnections, CompanyUnavailableError } from '@timelog-sync/company-directory';
import { connectAndMigrate, recreateTestDatabase } from '@timelog-sync/persistence';
import { testDatabaseUrl } from '@timelog-sync/testing';
import { TaskProjects } from '@timelog-sync/forecast-client';
import { WebhookProcessor } from './webhook-processor';

// Which stored webhooks one batch takes (real PostgreSQL): claiming counts an attempt. Every company is
// unavailable here, so each claimed row settles at once without a Forecast call.
describe('webhook batches are shared fairly between companies', () => {
  let dataSource: DataSource;
  let paused: string[] = [];
  // A company called 'slow' gets its connection only when the test says so: a Forecast that answers slowly.
  let answerSlow!: () => void;
  let slowAnswered: Promise<void>;
  const connections = {
    get: async (companyId: string) => {
      if (companyId === 'slow') await slowAnswered;
      throw new CompanyUnavailableError(companyId, 'not set up in this test');
    },
    pausedCompanyIds: () => paused,
  } as unknown as CompanyConnections;

  beforeAll(async () => {
    const url = testDatabaseUrl('timelog_sync_test_fair_claims');
    await recreateTestDatabase(url);
    dataSource = await connectAndMigrate({ url });
  });
  afterAll(() => dataSource?.destroy());
  beforeEach(async () => {
    paused = [];
    slowAnswered = new Promise((resolve) => (answerSlow = resolve));
    await dataSource.query('DELETE FROM inbound_webhook');
  });

  const store = (companyId: string, count: number) =>
    dataSource.query(
      `INSERT INTO inbound_webhook (company_id, object_type, content_hash, body)
       SELECT $1, 'task', md5($1 || n), json_build_object('timestamp', '2026-01-01T00:00:00Z', 'event', 'task_updated', 'object', json_build_object('id', n))::text
       FROM generate_series(1, $2) AS n`,
      [companyId, count],
    );
  const claimedPerCompany = async () =>
    Object.fromEntries(
      ((await dataSource.query(`SELECT company_id, count(*)::int AS n FROM inbound_webhook WHERE attempts > 0 GROUP BY company_id`)) as { company_id: string; n: number }[]).map(
        (row) => [row.company_id, row.n],
      ),
    );

  it("gives a quiet company's webhooks a place in the next batch even behind another company's flood, which fills the rest", async () => {
    await store('flooding', 100);
    await store('quiet', 3);
    expect(await new WebhookProcessor(dataSource, connections, new TaskProjects(), { batchSize: 20 }).processDue()).toBe(20);
    expect(await claimedPerCompany()).toEqual({ flooding: 17, quiet: 3 });
  });

  it('leaves the webhooks of a company Forecast asked to wait pending, without an attempt', async () => {
    await store('rate-limited', 4);
    await store('healthy', 2);
    paused = ['rate-limited'];
    await new WebhookProcessor(dataSource, connections, new TaskProjects(), { batchSize: 20 }).processDue();
    expect(await claimedPerCompany()).toEqual({ healthy: 2 });
    const [waiting] = await dataSource.query(`SELECT count(*)::int AS n, max(attempts) AS attempts FROM inbound_webhook WHERE company_id = 'rate-limited' AND status = 'pending'`);
    expect(waiting).toEqual({ n: 4, attempts: 0 });
  });

  it("goes on with the other companies while one company's Forecast is slow, and finishes that company later", async () => {
    const processor = new WebhookProcessor(dataSource, connections, new TaskProjects(), { batchSize: 20 });
    await store('slow', 2);
    await store('quick', 2);
    expect(await processor.processDue()).toBe(4);
    const settled = async () => (await dataSource.query(`SELECT company_id, status FROM inbound_webhook WHERE status <> 'pending' ORDER BY company_id`)).map((row: { company_id: string }) => row.company_id);
    expect(await settled()).toEqual(['quick', 'quick']);
    // The next batch serves a newcomer, and leaves the slow company's new webhook until its first ones are done.
    await store('slow-newcomer', 1);
    await dataSource.query(`INSERT INTO inbound_webhook (company_id, object_type, content_hash, body) VALUES ('slow', 'task', 'later', '{"timestamp":"2026-01-01T00:00:00Z","event":"task_updated","object":{"id":1}}')`);
    expect(await processor.processDue()).toBe(1);
    expect(await settled()).toEqual(['quick', 'quick', 'slow-newcomer']);
    answerSlow();
    await processor.drain();
    expect(await settled()).toEqual(['quick', 'quick', 'slow', 'slow', 'slow-newcomer']);
    expect(await processor.processDue()).toBe(1);
  });
});
