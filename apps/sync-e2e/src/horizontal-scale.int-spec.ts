import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { TOPICS } from '@timelog-sync/contracts';
import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { DemoCompany, httpJson, pollUntil, sampleTotal, scrapeMetrics, seedDemoCompany, uniqueSuffix } from '@timelog-sync/testing';
import { ForecastUser, OPERATOR_TOKEN, Pipeline, startPipeline, TimeLogSite } from './pipeline-fixture';

const SERVICES = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer'] as const;
type Service = (typeof SERVICES)[number];
const INSTANCES = [0, 1] as const;
const today = () => new Date().toISOString().slice(0, 10);

interface Company {
  demo: DemoCompany;
  forecast: ForecastUser;
  timelog: TimeLogSite;
  taskId: number;
  registrations: number[];
}

/**
 * Scale-out as production runs it: two instances of each of the four services (one database, one broker,
 * consumer groups over partitions, SKIP LOCKED and advisory locks), three companies.
 */
describe('two instances of every service on one broker and one database', () => {
  let pipeline: Pipeline;
  let db: Client;
  const companies: Company[] = [];
  const alive = new Set<string>();

  const metric = async (service: Service, instance: number, name: string, labels: Record<string, string> = {}) =>
    sampleTotal(await scrapeMetrics(pipeline.system.url(service, instance)), name, labels);
  const writerHandled = (instance: number) =>
    metric('sync-writer', instance, 'timelog_sync_events_processed_total', { topic: TOPICS.forecastTimeRegistrationChanged, outcome: 'handled' });
  /** Outbox rows each live instance has published (every service relays; one relay holds the lock at a time). */
  const published = async () =>
    Object.fromEntries(await Promise.all([...alive].map(async (key) => [key, await metric(key.split('#')[0] as Service, Number(key.split('#')[1]), 'timelog_sync_outbox_published_total')] as const)));
  const grew = (before: Record<string, number>, after: Record<string, number>) => Object.keys(after).filter((key) => after[key] > (before[key] ?? 0));

  async function burst(label: string, perCompany: number): Promise<void> {
    await Promise.all(
      companies.map(async (company) => {
        for (let i = 0; i < perCompany; i += 1) {
          const registration = await company.forecast.register(company.demo.people.ann, { task: company.taskId, time_registered: 5 + i, date: today(), notes: `${label} ${i}` });
          company.registrations.push(registration.id);
        }
      }),
    );
  }

  const synced = async (company: Company) => {
    const guids = new Set((await company.timelog.work()).map((work: { guid: string }) => work.guid.toLowerCase()));
    return company.registrations.filter((id) => guids.has(deterministicWorkGuid(company.demo.companyId, id))).length;
  };

  /** Every registration is in TimeLog exactly once under its GUID, nothing else is, and Forecast gained nothing back. */
  async function expectExactlyOnce(): Promise<void> {
    for (const company of companies) {
      await pollUntil(async () => (await synced(company)) === company.registrations.length, { timeoutMs: 90_000, description: `${company.demo.companyId}: every registration in TimeLog` });
      const work = await company.timelog.work();
      expect(work.map((unit: { guid: string }) => unit.guid.toLowerCase()).sort()).toEqual(company.registrations.map((id) => deterministicWorkGuid(company.demo.companyId, id)).sort());
      expect((await company.forecast.registrations()).map((registration) => registration.id).sort()).toEqual([...company.registrations].sort());
    }
  }

  beforeAll(async () => {
    // A one-second scan and one poll at a time per poller, so both pollers keep claiming companies.
    pipeline = await startPipeline(31900, { POLL_SCAN_INTERVAL_SECONDS: '1', POLL_CONCURRENCY: '1' });
    const { system } = pipeline;
    await Promise.all(SERVICES.map((service) => system.startService(service, {}, 1)));
    for (const service of SERVICES) for (const instance of INSTANCES) alive.add(`${service}#${instance}`);
    db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    const endpoints = { forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service', 1), operatorToken: OPERATOR_TOKEN };
    const demos = [pipeline.demo, ...(await Promise.all(['b', 'c'].map((name) => seedDemoCompany(endpoints, `scale${name}${uniqueSuffix()}`))))];
    for (const demo of demos) {
      const forecast = new ForecastUser(system.url('forecast-simulator'), demo.companyId);
      const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Scale-out', assigned_persons: [demo.people.ann] });
      companies.push({ demo, forecast, timelog: new TimeLogSite(system.url('timelog-simulator'), demo.timelogAccount), taskId: task.id, registrations: [] });
    }
    for (const company of companies) {
      await pollUntil(async () => (await company.timelog.tasks()).some((task: any) => task.externalKeys.some((key: any) => key.externalId === taskExternalKey(company.taskId))), {
        description: 'TimeLog task',
      });
    }
    // Both writers are members of the group (readiness includes it), so the partitions are split between them.
    await pollUntil(async () => (await Promise.all(INSTANCES.map((instance) => fetch(`${system.url('sync-writer', instance)}/health/ready`)))).every((response) => response.ok), {
      description: 'both writers in the consumer group',
    });
  });

  afterAll(async () => {
    await db?.end();
    await pipeline?.system.stop();
  });

  it('splits a burst across three companies between both writers, exactly once on both sides, published by one relay', async () => {
    const handledBefore = await Promise.all(INSTANCES.map(writerHandled));
    const publishedBefore = await published();
    await burst('split', 20);
    await expectExactlyOnce();
    // A writer counts an event once its transaction has committed, just after the TimeLog write the poll above saw.
    const handled = await pollUntil(
      async () => {
        const counts = (await Promise.all(INSTANCES.map(writerHandled))).map((count, instance) => count - handledBefore[instance]);
        return counts[0] + counts[1] >= 60 && counts;
      },
      { description: 'the 60 registration events counted as handled' },
    );
    expect(handled.every((count) => count > 0)).toBe(true);
    expect(grew(publishedBefore, await published())).toHaveLength(1);
  });

  it('finishes the burst on the other writer when one is SIGKILLed in the middle of it', async () => {
    const syncedBefore = await synced(companies[0]);
    await burst('before the kill', 10);
    await pollUntil(async () => (await synced(companies[0])) > syncedBefore, { description: 'the burst under way' });
    await pipeline.system.kill('sync-writer', 1);
    alive.delete('sync-writer#1');
    const survivorHandledAtKill = await writerHandled(0);
    // Sent after the kill: the keys spread over all six partitions, half of which the dead writer owned.
    await burst('after the kill', 10);
    await expectExactlyOnce();
    // Each of the 30 registrations sent after the kill is an event the survivor handled (what the dead writer had
    // taken but not committed comes on top); a takeover that left its partitions unread would have failed above.
    // Counted once each transaction commits, just after the TimeLog write seen above.
    await pollUntil(async () => (await writerHandled(0)) - survivorHandledAtKill >= 30, { description: 'the survivor counted the 30 events sent after the kill' });
  });

  it('never polls one company from both pollers at once: each poll-now is one poll by one of them', async () => {
    const ids = companies.map((company) => company.demo.companyId);
    const lastSuccess = async () =>
      new Map<string, number>((await db.query('SELECT company_id, last_success_at FROM timelog_poll_state WHERE company_id = ANY($1)', [ids])).rows.map((row) => [row.company_id, row.last_success_at?.getTime() ?? 0]));
    await pollUntil(async () => [...(await lastSuccess()).values()].filter(Boolean).length === ids.length, { description: 'first poll of every company' });
    const startedAt = new Date();
    const rounds = 3;
    for (let round = 0; round < rounds; round += 1) {
      const requestedAt = Date.now();
      await Promise.all(
        ids.map((id, index) =>
          httpJson('POST', `${pipeline.system.url('timelog-poller', index % 2)}/companies/${id}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` }),
        ),
      );
      await pollUntil(async () => [...(await lastSuccess()).values()].every((at) => at >= requestedAt), { description: `poll round ${round + 1}` });
    }
    // Each poll is one span on the instance that made it; the span files are written as spans end.
    const polls = INSTANCES.flatMap((instance) =>
      readFileSync(pipeline.system.spanFile('timelog-poller', instance), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .filter((span) => span.name === 'timelog change-log poll' && ids.includes(span.attributes['company.id']) && new Date(span.start) >= startedAt)
        .map((span) => ({ company: span.attributes['company.id'] as string, instance, start: Date.parse(span.start), end: Date.parse(span.end) })),
    );
    for (const id of ids) {
      const ofCompany = polls.filter((poll) => poll.company === id).sort((a, b) => a.start - b.start);
      expect({ id, polls: ofCompany.length }).toEqual({ id, polls: rounds });
      for (let i = 1; i < ofCompany.length; i += 1) expect(ofCompany[i].start).toBeGreaterThanOrEqual(ofCompany[i - 1].end);
    }
  });

  it('publishes the outbox from one relay at a time, and another takes over when it dies', async () => {
    const { demo } = companies[0];
    const admin = { authorization: `Bearer ${demo.adminKey}` };
    // Link changes go through the outbox (mapping.links.v1); whichever mapping service is alive takes them.
    const toggleCarl = async (link: boolean) => {
      const path = `${pipeline.system.url('mapping-service', alive.has('mapping-service#1') ? 1 : 0)}/companies/${demo.companyId}/people/${demo.people.carl}/link`;
      await (link ? httpJson('PUT', path, { timelogInitials: 'CD' }, admin) : httpJson('DELETE', path, undefined, admin));
      await pollUntil(async () => (await db.query('SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL')).rows[0].n === 0, { description: 'outbox drained' });
    };
    const before = await published();
    await toggleCarl(true);
    const holders = grew(before, await published());
    expect(holders).toHaveLength(1);
    const [service, instance] = holders[0].split('#');
    await pipeline.system.kill(service as Service, Number(instance));
    alive.delete(holders[0]);
    const afterKill = await published();
    await toggleCarl(false);
    const successors = grew(afterKill, await published());
    expect(successors).toHaveLength(1);
    expect(successors[0]).not.toBe(holders[0]);
  });
});
