import { DataSource } from 'typeorm';
import { testDatabaseUrl } from '@timelog-sync/testing';
import {
  connectAndMigrate, EntityLink, linkedForecastPersons, pairsByTimeLogRef, pausesHolding, readRegistrationContexts, recordWrittenPairs, recreateTestDatabase, settleParkedEvents,
} from '@timelog-sync/persistence';

// The writer's hot-path statements answer many events at once (real PostgreSQL): each answer must be the one of
// the event it stands for, in the order asked.
describe('hot-path statements for many events at once', () => {
  let dataSource: DataSource;
  const key = (registrationId: number, personId: number | null = null, projectId: number | null = null, content: { date: string; minutes: number; note: string } | null = null) =>
    ({ companyId: 'acme', registrationId, taskId: null, projectId, personId, messageKey: `acme:time-registration:${registrationId}`, content });

  beforeAll(async () => {
    const url = testDatabaseUrl('timelog_sync_test_hot_path');
    await recreateTestDatabase(url);
    dataSource = await connectAndMigrate({ url });
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url) VALUES ('acme', 'acme', 'active', repeat('0', 64), 'http://127.0.0.1:9')`);
    await dataSource.query(`INSERT INTO user_link (company_id, forecast_person_id, timelog_initials) VALUES ('acme', 7, 'ANN')`);
    await dataSource.query(`INSERT INTO project_link (company_id, forecast_project_id, timelog_project_id, sync_from) VALUES ('acme', 70, 900, '2026-01-01')`);
  });
  afterAll(() => dataSource?.destroy());

  it('records several writes in one statement and reads each registration its own context back', async () => {
    const write = (registrationId: number, minutes: number) => ({
      companyId: 'acme', registrationId, workGuid: `0000000${registrationId}-0000-4000-8000-000000000000`, hash: `h${minutes}`,
      content: { date: '2026-11-02', minutes, note: `n${registrationId}` }, before: null, forecastUpdatedAt: '2026-11-02T10:00:00.000Z', action: 'created' as const, reason: null, traceId: null,
    });
    await recordWrittenPairs(dataSource, [write(1, 30), write(3, 45)]);

    const [first, second, third] = await readRegistrationContexts(dataSource, [key(1, 7), key(2, null, 70), key(3)]);
    expect(first.pair).toMatchObject({ timelogRef: '00000001-0000-4000-8000-000000000000', syncedHash: 'h30', snapshot: { minutes: 30 } });
    expect(first.user_link).toEqual({ timelogInitials: 'ANN' });
    expect(first.project_link).toBeNull();
    expect(second.pair).toBeNull();
    expect(second.project_link).toEqual({ timelogProjectId: 900, syncFrom: '2026-01-01' });
    expect(third.pair).toMatchObject({ syncedHash: 'h45', snapshot: { minutes: 45 } });
    const audit = await dataSource.query(`SELECT forecast_id::int AS id, action FROM sync_action ORDER BY id`);
    expect(audit).toEqual([{ id: 1, action: 'created' }, { id: 3, action: 'created' }]);
  });

  it('tells a registration the create from TimeLog that sent its content and has no Forecast id yet, and only that one', async () => {
    const intent = (workGuid: string, forecastRegistrationId: number | null, attempts: object[], age = '0 minutes') =>
      dataSource.query(
        `INSERT INTO registration_create_intent (company_id, work_guid, origin, forecast_registration_id, attempts, created_at) VALUES ('acme', $1, 'timelog', $2, $3, now() - $4::interval)`,
        [workGuid, forecastRegistrationId, JSON.stringify(attempts), age],
      );
    const sent = { date: '2026-11-03', minutes: 459, note: 'note 1.17' };
    await intent('awaiting', null, [{ date: '2026-11-03', minutes: 30, note: 'earlier attempt' }, sent]);
    await intent('attached', 41, [{ ...sent, minutes: 60 }]);
    await intent('abandoned', null, [{ ...sent, minutes: 90 }], '16 minutes');
    const rows = await readRegistrationContexts(dataSource, [key(40, 7, null, sent), key(41, 7, null, { ...sent, minutes: 60 }), key(42, 7, null, { ...sent, note: 'other' }), key(43, 7, null, { ...sent, minutes: 90 }), key(44, 7)]);
    expect(rows.map((row) => row.create_awaiting_id)).toEqual(['awaiting', null, null, null, null]);
    expect(rows.map((row) => row.created_from_timelog)).toEqual([false, true, false, false, false]);
  });

  it("tells each event the pause that holds it: its project's, or none", async () => {
    await dataSource.query(`INSERT INTO sync_pause (company_id, forecast_project_id, paused_by) VALUES ('acme', 70, 'owner@acme.example')`);
    const holding = await pausesHolding(dataSource, [
      { companyId: 'acme', forecastProjectId: 71 },
      { companyId: 'acme', forecastProjectId: 70 },
      { companyId: 'other', forecastProjectId: 70 },
    ]);
    expect(holding).toEqual([null, { project: 70 }, null]);
  });

  it("reads each polled work its pair (as the entity read returns it) and its person's link, whatever the case of the initials", async () => {
    const guid = '00000001-0000-4000-8000-000000000000';
    const pairs = await pairsByTimeLogRef(dataSource, [
      { companyId: 'acme', kind: 'time-registration', timelogRef: '99999999-0000-4000-8000-000000000000' },
      { companyId: 'acme', kind: 'time-registration', timelogRef: guid },
      { companyId: 'other', kind: 'time-registration', timelogRef: guid },
      { companyId: 'acme', kind: 'task', timelogRef: guid },
    ]);
    expect(pairs).toEqual([null, await dataSource.getRepository(EntityLink).findOneBy({ companyId: 'acme', kind: 'time-registration', timelogRef: guid }), null, null]);
    expect(pairs[1]).toMatchObject({ forecastId: 1, syncedHash: 'h30', timelogChangedAt: expect.any(Date), forecastUpdatedAt: new Date('2026-11-02T10:00:00.000Z') });
    expect(
      await linkedForecastPersons(dataSource, [
        { companyId: 'acme', timelogInitials: 'bob' },
        { companyId: 'acme', timelogInitials: 'ann' },
        { companyId: 'other', timelogInitials: 'ANN' },
        { companyId: 'acme', timelogInitials: 'ANN' },
      ]),
    ).toEqual([null, 7, null, 7]);
  });

  it('settles what is parked under each key, except an event observed after the one that went through', async () => {
    const parkedFor = (messageKey: string, observedAt: string) =>
      dataSource.query(
        `INSERT INTO parked_event (company_id, topic, message_key, value, headers, reason_code, reason) VALUES ('acme', 'timelog.work.changed', $1, $2, '{}', 'person-not-linked', 'x')`,
        [messageKey, JSON.stringify({ observedAt })],
      );
    await parkedFor('acme:work:a', '2026-11-02T10:00:00.000Z');
    await parkedFor('acme:work:b', '2026-11-02T12:00:00.000Z');
    await parkedFor('acme:work:c', '2026-11-02T10:00:00.000Z');
    await settleParkedEvents(dataSource, [
      { companyId: 'acme', messageKey: 'acme:work:a', resolution: 'applied', observedAt: '2026-11-02T11:00:00.000Z' },
      { companyId: 'acme', messageKey: 'acme:work:b', resolution: 'applied', observedAt: '2026-11-02T11:00:00.000Z' },
      { companyId: 'other', messageKey: 'acme:work:c', resolution: 'applied', observedAt: null },
    ]);
    const rows = await dataSource.query(`SELECT message_key AS key, resolution FROM parked_event WHERE message_key LIKE 'acme:work:%' ORDER BY message_key`);
    expect(rows).toEqual([{ key: 'acme:work:a', resolution: 'applied' }, { key: 'acme:work:b', resolution: null }, { key: 'acme:work:c', resolution: null }]);
  });
});
