import { DataSource } from 'typeorm';
import { CompanyConnections, tokenHash } from '@timelog-sync/company-directory';
import { TimeRegistration } from '@timelog-sync/domain';
import { connectAndMigrate, recreateTestDatabase } from '@timelog-sync/persistence';
import { testDatabaseUrl } from '@timelog-sync/testing';
import { TaskProjects } from '@timelog-sync/forecast-client';
import { WebhookProcessor } from './webhook-processor';
import { InboundWebhooks } from './inbound-webhooks';

// A burst of registration webhooks is served by one Forecast list read (real PostgreSQL, a Forecast fake that
// answers `updated_after` as Forecast does: only what changed after the given moment).
describe('a burst of registration webhooks', () => {
  const COMPANY = 'bursty';
  const PROJECT = 77;
  let dataSource: DataSource;
  const registrations: TimeRegistration[] = [];
  const calls = { list: 0, single: 0 };
  const forecast = {
    timeRegistrationsPage: async (filter: { updatedAfter: { since: Date; overlapMs: number } }, _page: number, only?: ReadonlySet<number>) => {
      calls.list += 1;
      const after = filter.updatedAfter.since.getTime() - filter.updatedAfter.overlapMs;
      const changed = registrations.filter((registration) => Date.parse(registration.updatedAt as string) > after && (!only || only.has(registration.id)));
      return { registrations: changed, lastId: changed.at(-1)?.id ?? null, totalObjectCount: changed.length, pageSize: 1000, last: true };
    },
    getTimeRegistration: async (id: number) => {
      calls.single += 1;
      return registrations.find((registration) => registration.id === id);
    },
  };
  const connections = { get: async () => ({ forecast }), pausedCompanyIds: () => [] } as unknown as CompanyConnections;

  beforeAll(async () => {
    const url = testDatabaseUrl('timelog_sync_test_burst_reads');
    await recreateTestDatabase(url);
    dataSource = await connectAndMigrate({ url });
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url) VALUES ($1, $1, 'active', repeat('0', 64), 'http://127.0.0.1:9')`, [COMPANY]);
    await dataSource.query(`INSERT INTO project_link (company_id, forecast_project_id, timelog_project_id, sync_from) VALUES ($1, $2, 1, '2026-01-01')`, [COMPANY, PROJECT]);
  });
  afterAll(() => dataSource?.destroy());

  it('is read with one list call even when its webhooks arrive well after the changes (Forecast sends them late under load)', async () => {
    const changedAt = Date.now() - 30_000;
    for (let id = 1; id <= 20; id += 1) {
      const updatedAt = new Date(changedAt + id * 10).toISOString();
      registrations.push({
        id, personId: 5, target: { kind: 'task', taskId: 9, projectId: PROJECT }, roleId: null, phaseId: null, minutes: 30, billableMinutes: 30,
        date: '2026-11-02', notes: null, approvalStatus: null, createdBy: null, updatedBy: null, createdAt: updatedAt, updatedAt,
      });
      // Received now, half a minute after the change its timestamp names.
      await dataSource.query(
        `INSERT INTO inbound_webhook (company_id, object_type, content_hash, body) VALUES ($1, 'time-registration', md5($2), $3)`,
        [COMPANY, String(id), JSON.stringify({ timestamp: updatedAt, event: 'time_registration_created', object: { id } })],
      );
    }

    expect(await new WebhookProcessor(dataSource, connections, new TaskProjects()).processDue()).toBe(20);

    expect(calls).toEqual({ list: 1, single: 0 });
    const [{ events }] = await dataSource.query(`SELECT count(*)::int AS events FROM outbox_message WHERE headers->>'tenant-id' = $1`, [COMPANY]);
    expect(events).toBe(20);
  });

  it("is stored with few statements when its webhooks come one at a time, a moment apart, and every one is answered", async () => {
    const token = 's'.repeat(43);
    await dataSource.query(`UPDATE company SET webhook_token_hash = $2 WHERE id = $1`, [COMPANY, tokenHash(token)]);
    const inbound = new InboundWebhooks(dataSource);
    const query = jest.spyOn(dataSource, 'query');
    const answers: Promise<unknown>[] = [];
    for (let id = 201; id <= 210; id += 1) {
      const body = JSON.stringify({ timestamp: new Date().toISOString(), event: 'time_registration_created', object: { id }, person: { id: 5 } });
      answers.push(inbound.receive(token, 'time-registration', { rawBody: body, body: JSON.parse(body) }, undefined));
      // The next request comes in a later turn of the event loop, as Forecast's do.
      await new Promise(setImmediate);
    }
    const outcomes = await Promise.all(answers);
    const statements = query.mock.calls.filter(([sql]) => /^WITH delivery/.test(sql.trim())).length;
    query.mockRestore();
    // The next test processes what is due: these are removed first.
    const stored = `FROM inbound_webhook WHERE company_id = $1 AND (body::jsonb->'object'->>'id')::int BETWEEN 201 AND 210`;
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n ${stored}`, [COMPANY]);
    await dataSource.query(`DELETE ${stored}`, [COMPANY]);
    expect(outcomes).toEqual(Array(10).fill({ outcome: 'accepted' }));
    expect(n).toBe(10);
    expect(statements).toBeLessThanOrEqual(2);
  });

  it('stores a delivery like one already read again (Forecast sends the same body for a second edit in the same second), and drops one like an unread one', async () => {
    const token = 'w'.repeat(43);
    await dataSource.query(`UPDATE company SET webhook_token_hash = $2 WHERE id = $1`, [COMPANY, tokenHash(token)]);
    const second = Math.floor(Date.now() / 1000) * 1000;
    const registration: TimeRegistration = {
      id: 100, personId: 5, target: { kind: 'task', taskId: 9, projectId: PROJECT }, roleId: null, phaseId: null, minutes: 30, billableMinutes: 30,
      date: '2026-11-02', notes: 'first edit', approvalStatus: null, createdBy: null, updatedBy: null, createdAt: new Date(second).toISOString(), updatedAt: new Date(second + 100).toISOString(),
    };
    registrations.push(registration);
    const body = JSON.stringify({ timestamp: new Date(second).toISOString().replace('.000', ''), event: 'time_registration_updated', object: { id: 100 }, person: { id: 5 }, fields_changed: ['notes'] });
    const inbound = new InboundWebhooks(dataSource);
    const deliver = () => inbound.receive(token, 'time-registration', { rawBody: body, body: JSON.parse(body) }, undefined);
    const processor = new WebhookProcessor(dataSource, connections, new TaskProjects());
    const notesSent = async () =>
      (await dataSource.query(`SELECT value::jsonb->'registration'->>'note' AS note FROM outbox_message WHERE message_key = $1 ORDER BY id`, [`${COMPANY}:time-registration:100`])).map((row: { note: string }) => row.note);

    expect(await deliver()).toEqual({ outcome: 'accepted' });
    // Not read yet: its read will see whatever the copy announces.
    expect(await deliver()).toEqual({ outcome: 'duplicate' });
    expect(await processor.processDue()).toBe(1);
    expect(await notesSent()).toEqual(['first edit']);

    // The second edit, in the same second: the same body again, after the first was read.
    Object.assign(registration, { notes: 'second edit', updatedAt: new Date(second + 900).toISOString() });
    expect(await deliver()).toEqual({ outcome: 'accepted' });
    expect(await processor.processDue()).toBe(1);
    expect(await notesSent()).toEqual(['first edit', 'second edit']);
  });
});
