import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ForecastTimeRegistrationChangedV1, KEYS, TimelogWorkChangedV1, TOPICS, toWorkGuid } from '@timelog-sync/contracts';
import { deterministicWorkGuid } from '@timelog-sync/domain';
import { EventContext } from '@timelog-sync/messaging';
import { connectAndMigrate, ensureDatabaseExists } from '@timelog-sync/persistence';
import { testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { FakeForecast, fakeConnections, FakeTimeLog } from './testing/fakes';
import { RegistrationSync } from './registration-sync';
import { WorkSync } from './work-sync';
import { PostgresSyncStorage } from './postgres-sync-storage';

/**
 * The interleavings the chaos run found, replayed deterministically: the real handlers on real PostgreSQL, with
 * both vendors as in-memory fakes whose outages are switched on and off.
 */
const PERSON = 7;
const TASK = 11;
const PROJECT = 3;
const TIMELOG_TASK = 4711;

describe('registration/work pairs under faults (real PostgreSQL, fake vendors)', () => {
  let dataSource: DataSource;
  let forecast: FakeForecast;
  let timelog: FakeTimeLog;
  let companyId: string;
  let registrations: RegistrationSync;
  let works: WorkSync;

  beforeAll(async () => {
    await ensureDatabaseExists(testEnvironment.databaseUrl);
    dataSource = await connectAndMigrate({ url: testEnvironment.databaseUrl });
  });
  afterAll(() => dataSource?.destroy());

  beforeEach(async () => {
    companyId = `pairs-${uniqueSuffix()}`;
    forecast = new FakeForecast({ personId: PERSON, date: '2026-11-24', target: { kind: 'task', taskId: TASK, projectId: null } });
    timelog = new FakeTimeLog();
    // Every task is in the linked TimeLog project 90.
    timelog.defaultProjectId = 90;
    const connections = fakeConnections(companyId, forecast, timelog);
    registrations = new RegistrationSync(new PostgresSyncStorage(dataSource), connections);
    works = new WorkSync(new PostgresSyncStorage(dataSource), connections);
    await dataSource.query(`INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url, activated_at) VALUES ($1, $1, 'active', $2, 'http://127.0.0.1:1', now())`, [companyId, 'a'.repeat(64)]);
    await dataSource.query(`INSERT INTO project_link (company_id, forecast_project_id, timelog_project_id, sync_from) VALUES ($1, $2, 90, '2020-01-01')`, [companyId, PROJECT]);
    await dataSource.query(`INSERT INTO user_link (company_id, forecast_person_id, timelog_initials) VALUES ($1, $2, 'JD')`, [companyId, PERSON]);
    await dataSource.query(`INSERT INTO entity_link (company_id, kind, forecast_id, timelog_ref, origin) VALUES ($1, 'task', $2, $3, 'forecast')`, [companyId, TASK, String(TIMELOG_TASK)]);
  });

  /** Handles one event as the writer's consumer does: one transaction, `attempt` as the event server counts it. */
  async function deliver(topic: string, key: string, value: ForecastTimeRegistrationChangedV1 | TimelogWorkChangedV1, attempt = 1) {
    await dataSource.transaction(async (manager) => {
      const context = new EventContext(topic, 0, '0', key, { eventId: randomUUID(), tenantId: companyId, schemaVersion: 1 }, manager, attempt);
      if (topic === TOPICS.forecastTimeRegistrationChanged) await registrations.handle(value as ForecastTimeRegistrationChangedV1, context);
      else await works.handle(value as TimelogWorkChangedV1, context);
    });
  }
  const registrationEvent = (id: number, registration: { minutes: number; note: string; updatedAt: string; taskId?: number | null } | null, observedAt = new Date().toISOString()): ForecastTimeRegistrationChangedV1 => ({
    companyId, registrationId: id, change: registration ? 'upserted' : 'deleted', source: 'webhook', observedAt,
    registration: registration && { id, personId: PERSON, projectId: PROJECT, taskId: registration.taskId === undefined ? TASK : registration.taskId, nonProjectTimeId: null, date: '2026-11-24', minutes: registration.minutes, billableMinutes: null, note: registration.note, updatedAt: registration.updatedAt },
  });
  const fromForecast = (id: number, registration: { minutes: number; note: string; updatedAt: string; taskId?: number | null } | null, attempt = 1) =>
    deliver(TOPICS.forecastTimeRegistrationChanged, KEYS.timeRegistration(companyId, id), registrationEvent(id, registration), attempt);
  const workEvent = (guid: string, work: { minutes: number; note: string } | null, observedAt: string, actionDate = observedAt.slice(0, 19)): TimelogWorkChangedV1 => ({
    companyId, workGuid: toWorkGuid(guid), change: work ? 'upserted' : 'deleted', source: 'poll', actionDate, observedAt,
    work: work && { guid: toWorkGuid(guid), taskId: TIMELOG_TASK, employeeInitials: 'JD', date: '2026-11-24', minutes: work.minutes, description: work.note, isEditable: true },
  });
  const fromTimeLog = (event: TimelogWorkChangedV1, attempt = 1) => deliver(TOPICS.timelogWorkChanged, KEYS.work(companyId, event.workGuid), event, attempt);
  const pair = async (guid: string) =>
    (await dataSource.query(`SELECT forecast_deleted_at, timelog_deleted_at, deleted_at FROM entity_link WHERE company_id = $1 AND timelog_ref = $2`, [companyId, guid]))[0];
  const openParked = async () => (await dataSource.query(`SELECT message_key FROM parked_event WHERE company_id = $1 AND resolved_at IS NULL`, [companyId])).map((row: { message_key: string }) => row.message_key);

  it('a Forecast delete retried after a poll saw the registration gone still deletes the TimeLog work (no zombie)', async () => {
    forecast.put(501, 60, 'Review', '2026-11-24T09:00:00.000Z');
    await fromForecast(501, { minutes: 60, note: 'Review', updatedAt: '2026-11-24T09:00:00.000Z' });
    const guid = deterministicWorkGuid(companyId, 501);
    expect(timelog.works.get(guid)?.minutes).toBe(60);

    // The registration is deleted in Forecast while TimeLog is down: the delete is parked after its in-place attempts.
    forecast.registrations.delete(501);
    timelog.down = true;
    await fromForecast(501, null, 3);
    // A poll then brings an earlier TimeLog edit; it finds the registration gone, but TimeLog is still down.
    timelog.works.set(guid, { ...timelog.works.get(guid)!, minutes: 75 });
    await fromTimeLog(workEvent(guid, { minutes: 75, note: 'Review' }, new Date().toISOString()), 3);
    expect(await pair(guid)).toMatchObject({ forecast_deleted_at: expect.any(Date), timelog_deleted_at: null, deleted_at: null });

    // TimeLog is back; the parked Forecast delete is retried and deletes the work.
    timelog.down = false;
    await fromForecast(501, null);
    expect(timelog.works.has(guid)).toBe(false);
    expect(await pair(guid)).toMatchObject({ forecast_deleted_at: expect.any(Date), timelog_deleted_at: expect.any(Date), deleted_at: expect.any(Date) });
  });

  it('a TimeLog edit polled after the registration was deleted deletes the work itself: the deletion wins', async () => {
    forecast.put(502, 30, 'Plan', '2026-11-24T09:00:00.000Z');
    await fromForecast(502, { minutes: 30, note: 'Plan', updatedAt: '2026-11-24T09:00:00.000Z' });
    const guid = deterministicWorkGuid(companyId, 502);
    forecast.registrations.delete(502);
    await fromTimeLog(workEvent(guid, { minutes: 45, note: 'Plan' }, new Date().toISOString()));
    expect(timelog.works.has(guid)).toBe(false);
    expect(await pair(guid)).toMatchObject({ deleted_at: expect.any(Date) });
  });

  it('an old parked TimeLog event is settled by a newer one of the same work, and skipped if it comes back anyway', async () => {
    const guid = randomUUID();
    const older = workEvent(guid, { minutes: 30, note: 'Support' }, new Date(Date.now() - 60_000).toISOString());
    const newer = workEvent(guid, { minutes: 45, note: 'Support' }, new Date().toISOString());
    // Register the work as user-made TimeLog work on a task we created, so it maps to that Forecast task.
    timelog.works.set(guid, { guid, taskId: TIMELOG_TASK, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes: 45, description: 'Support' });
    forecast.down = true;
    await fromTimeLog(older, 3);
    expect(await openParked()).toEqual([KEYS.work(companyId, guid)]);
    forecast.down = false;
    await fromTimeLog(newer);
    expect(await openParked()).toEqual([]);
    // The old one was already on its way back (requeued before the newer one synced): it must not win.
    await fromTimeLog(older);
    expect([...forecast.registrations.values()].map((r) => r.minutes)).toEqual([45]);
  });

  it('an old parked Forecast event that comes back after a newer one synced does not overwrite the newer minutes', async () => {
    forecast.put(503, 20, 'Docs', '2026-11-24T09:00:00.000Z');
    await fromForecast(503, { minutes: 20, note: 'Docs', updatedAt: '2026-11-24T09:00:00.000Z' });
    await fromForecast(503, { minutes: 40, note: 'Docs', updatedAt: '2026-11-24T09:05:00.000Z' });
    await fromForecast(503, { minutes: 30, note: 'Docs', updatedAt: '2026-11-24T09:02:00.000Z' });
    expect(timelog.works.get(deterministicWorkGuid(companyId, 503))?.minutes).toBe(40);
  });

  /** The writer dies after its TimeLog call and before its commit: the transaction rolls back, TimeLog keeps the write. */
  async function fromForecastThenDie(id: number, registration: { minutes: number; note: string; updatedAt: string }) {
    await expect(
      dataSource.transaction(async (manager) => {
        const context = new EventContext(TOPICS.forecastTimeRegistrationChanged, 0, '0', KEYS.timeRegistration(companyId, id), { eventId: randomUUID(), tenantId: companyId, schemaVersion: 1 }, manager, 1);
        await registrations.handle(registrationEvent(id, registration), context);
        throw new Error('SIGKILL before commit');
      }),
    ).rejects.toThrow('SIGKILL');
  }

  it('a TimeLog edit made while the writer died between UpdateWork and its commit survives the retry (seed 4242)', async () => {
    forecast.put(506, 60, 'Build', '2026-11-24T08:00:00.000Z');
    await fromForecast(506, { minutes: 60, note: 'Build', updatedAt: '2026-11-24T08:00:00.000Z' });
    const guid = deterministicWorkGuid(companyId, 506);
    const editedAt = new Date(Date.now() - 60_000).toISOString();
    forecast.put(506, 90, 'Build', editedAt);
    await fromForecastThenDie(506, { minutes: 90, note: 'Build', updatedAt: editedAt });
    expect(timelog.works.get(guid)?.minutes).toBe(90);
    // The user sees 90 in TimeLog and corrects it to 45; then the writer retries the Forecast change.
    timelog.userEdit(guid, 45);
    await fromForecast(506, { minutes: 90, note: 'Build', updatedAt: editedAt });
    expect(timelog.works.get(guid)?.minutes).toBe(45);
    expect(forecast.registrations.get(506)?.minutes).toBe(45);
    // Both sides now agree with the pair: the poll of that TimeLog edit changes nothing.
    await fromTimeLog(workEvent(guid, { minutes: 45, note: 'Build' }, new Date().toISOString(), timelog.modifiedAt.get(guid)));
    expect([timelog.works.get(guid)?.minutes, forecast.registrations.get(506)?.minutes]).toEqual([45, 45]);
  });

  it('a TimeLog edit made while the writer died between InsertWork and its commit survives the retry', async () => {
    const createdAt = new Date(Date.now() - 60_000).toISOString();
    forecast.put(507, 30, 'Spec', createdAt);
    await fromForecastThenDie(507, { minutes: 30, note: 'Spec', updatedAt: createdAt });
    const guid = deterministicWorkGuid(companyId, 507);
    timelog.userEdit(guid, 35);
    await fromForecast(507, { minutes: 30, note: 'Spec', updatedAt: createdAt });
    expect(timelog.works.get(guid)?.minutes).toBe(35);
    expect(forecast.registrations.get(507)?.minutes).toBe(35);
  });

  it('a TimeLog edit older than the Forecast change still loses to it, its time read from Reporting', async () => {
    forecast.put(508, 60, 'Ops', '2026-11-24T08:00:00.000Z');
    await fromForecast(508, { minutes: 60, note: 'Ops', updatedAt: '2026-11-24T08:00:00.000Z' });
    const guid = deterministicWorkGuid(companyId, 508);
    timelog.userEdit(guid, 50);
    const editedAt = new Date(Date.now() + 60_000).toISOString();
    forecast.put(508, 120, 'Ops', editedAt);
    await fromForecast(508, { minutes: 120, note: 'Ops', updatedAt: editedAt });
    expect([timelog.works.get(guid)?.minutes, forecast.registrations.get(508)?.minutes]).toEqual([120, 120]);
  });

  /**
   * A TimeLog user's work, polled a minute after it was made: the writer's handler creates the registration in
   * Forecast (its id recorded, its marker set), then dies before it commits.
   */
  async function createdFromTimeLogThenDie(minutes: number, note: string) {
    const guid = randomUUID();
    timelog.works.set(guid, { guid, taskId: TIMELOG_TASK, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes, description: note });
    const polled = workEvent(guid, { minutes, note }, new Date(Date.now() - 60_000).toISOString());
    await expect(
      dataSource.transaction(async (manager) => {
        await works.handle(polled, new EventContext(TOPICS.timelogWorkChanged, 0, '0', KEYS.work(companyId, guid), { eventId: randomUUID(), tenantId: companyId, schemaVersion: 1 }, manager, 1));
        throw new Error('SIGKILL before commit');
      }),
    ).rejects.toThrow('SIGKILL');
    return { guid, polled };
  }

  it('a Forecast registration created from TimeLog work by an attempt that died is reused after the work was edited, not created again (seed 4242, 30 min)', async () => {
    const { guid } = await createdFromTimeLogThenDie(381, 'note 1.179');
    expect(forecast.registrations.size).toBe(1);
    // Meanwhile the user edits the work in TimeLog; the retry carries the new content.
    timelog.works.set(guid, { ...timelog.works.get(guid)!, minutes: 417, description: 'note 1.197' });
    await fromTimeLog(workEvent(guid, { minutes: 417, note: 'note 1.197' }, new Date().toISOString()));
    expect([...forecast.registrations.values()].map((r) => [r.minutes, r.notes])).toEqual([[417, 'note 1.197']]);
  });

  it("keeps a person's Forecast edit of a registration made by an attempt that died before its commit, and writes it to TimeLog (chaos seed 135484830)", async () => {
    const { guid, polled } = await createdFromTimeLogThenDie(27, 'note 2.16');
    // The person sees it in Forecast and edits it; then the work event is retried.
    const [created] = [...forecast.registrations.values()];
    forecast.put(created.id, 390, 'note 2.18', new Date().toISOString());
    await fromTimeLog(polled, 2);
    expect([...forecast.registrations.values()].map((r) => [r.id, r.minutes, r.notes])).toEqual([[created.id, 390, 'note 2.18']]);
    expect(timelog.works.get(guid)).toMatchObject({ minutes: 390, description: 'note 2.18' });
    // The record of the create says where both sides ended: at the person's edit.
    const [createdRecord] = await dataSource.query(`SELECT after FROM sync_action WHERE company_id = $1 AND action = 'created'`, [companyId]);
    expect(createdRecord.after).toMatchObject({ minutes: 390, note: 'note 2.18' });
  });

  it('a create whose answer was lost is found by what it sent when the retry carries newer content', async () => {
    const guid = randomUUID();
    timelog.works.set(guid, { guid, taskId: TIMELOG_TASK, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes: 60, description: 'first' });
    forecast.loseNextCreateAnswer = true;
    await expect(fromTimeLog(workEvent(guid, { minutes: 60, note: 'first' }, new Date(Date.now() - 60_000).toISOString()))).rejects.toThrow('timed out');
    await fromTimeLog(workEvent(guid, { minutes: 75, note: 'second' }, new Date().toISOString()));
    expect([...forecast.registrations.values()].map((r) => [r.minutes, r.notes])).toEqual([[75, 'second']]);
  });

  /** A TimeLog user's work whose create in Forecast went through but whose answer was lost: its id is not recorded. */
  async function createdFromTimeLogWithoutItsId(minutes: number, note: string) {
    const guid = randomUUID();
    timelog.works.set(guid, { guid, taskId: TIMELOG_TASK, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes, description: note });
    const polled = workEvent(guid, { minutes, note }, new Date().toISOString());
    forecast.loseNextCreateAnswer = true;
    await expect(fromTimeLog(polled)).rejects.toThrow('timed out');
    return { guid, polled };
  }

  it("Forecast's webhook for a registration created from TimeLog work, handled before the create recorded its id, is held and then dropped as the echo (chaos seed 1268708395)", async () => {
    const { guid, polled } = await createdFromTimeLogWithoutItsId(459, 'note 1.17');
    const [created] = [...forecast.registrations.values()];
    // Forecast's webhook for it is handled now: it must not become work of its own.
    await fromForecast(created.id, { minutes: 459, note: 'note 1.17', updatedAt: created.updatedAt! });
    expect([...timelog.works.keys()]).toEqual([guid]);
    expect(await openParked()).toEqual([KEYS.timeRegistration(companyId, created.id)]);
    // The work event's retry finds the registration, records the pair and releases the held event.
    await fromTimeLog(polled, 2);
    expect(await openParked()).toEqual([]);
    const released = await dataSource.query(`SELECT message_key FROM outbox_message WHERE message_key = $1`, [KEYS.timeRegistration(companyId, created.id)]);
    expect(released).toHaveLength(1);
    await fromForecast(created.id, { minutes: 459, note: 'note 1.17', updatedAt: created.updatedAt! });
    expect([...timelog.works.keys()]).toEqual([guid]);
    expect([...forecast.registrations.keys()]).toEqual([created.id]);
  });

  it('a registration a user makes with the same content as a create from TimeLog still in flight is synced once that create has its id', async () => {
    const { polled } = await createdFromTimeLogWithoutItsId(60, 'Standup');
    const updatedAt = new Date().toISOString();
    forecast.put(509, 60, 'Standup', updatedAt);
    await fromForecast(509, { minutes: 60, note: 'Standup', updatedAt });
    expect(await openParked()).toEqual([KEYS.timeRegistration(companyId, 509)]);
    await fromTimeLog(polled, 2);
    await fromForecast(509, { minutes: 60, note: 'Standup', updatedAt });
    expect(timelog.works.get(deterministicWorkGuid(companyId, 509))).toMatchObject({ minutes: 60, description: 'Standup' });
    expect(timelog.works.size).toBe(2);
  });

  it('UpdateWork "not found" is the TimeLog side deleting the work: the deletion wins, nothing is dead-lettered', async () => {
    forecast.put(504, 60, 'Tests', '2026-11-24T09:00:00.000Z');
    await fromForecast(504, { minutes: 60, note: 'Tests', updatedAt: '2026-11-24T09:00:00.000Z' });
    const guid = deterministicWorkGuid(companyId, 504);
    timelog.works.delete(guid);
    forecast.put(504, 90, 'Tests', '2026-11-24T10:00:00.000Z');
    await expect(fromForecast(504, { minutes: 90, note: 'Tests', updatedAt: '2026-11-24T10:00:00.000Z' })).resolves.toBeUndefined();
    expect(forecast.registrations.has(504)).toBe(false);
    expect(timelog.works.has(guid)).toBe(false);
    expect(await pair(guid)).toMatchObject({ deleted_at: expect.any(Date) });
    // A later Forecast event of that registration (an old webhook) changes nothing.
    await fromForecast(504, { minutes: 95, note: 'Tests', updatedAt: '2026-11-24T10:05:00.000Z' });
    expect(timelog.works.has(guid)).toBe(false);
  });

  it("reads TimeLog's site-local ActionDate with the site's offset: a UTC+1 edit at 10:30 local lost to a Forecast edit at 10:00 UTC", async () => {
    forecast.put(505, 60, 'Design', '2026-11-24T08:00:00.000Z');
    await fromForecast(505, { minutes: 60, note: 'Design', updatedAt: '2026-11-24T08:00:00.000Z' });
    const guid = deterministicWorkGuid(companyId, 505);
    // Forecast edit at 10:00Z, not yet handled; TimeLog edit at 10:30 site time = 09:30Z.
    forecast.put(505, 120, 'Design', '2026-11-24T10:00:00.000Z');
    timelog.works.set(guid, { ...timelog.works.get(guid)!, minutes: 45 });
    await fromTimeLog(workEvent(guid, { minutes: 45, note: 'Design' }, new Date().toISOString(), '2026-11-24T10:30:00'));
    expect(forecast.registrations.get(505)?.minutes).toBe(120);
    expect(timelog.works.get(guid)?.minutes).toBe(120);
  });

  it('sends a Forecast edit of a project-level registration made from TimeLog-only work back to that work', async () => {
    const guid = randomUUID();
    const supportTask = 900;
    timelog.works.set(guid, { guid, taskId: supportTask, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes: 30, description: 'Support' });
    await fromTimeLog({ ...workEvent(guid, { minutes: 30, note: 'Support' }, new Date().toISOString()), work: { guid: toWorkGuid(guid), taskId: supportTask, employeeInitials: 'JD', date: '2026-11-24', minutes: 30, description: 'Support', isEditable: true } });
    const [created] = [...forecast.registrations.values()];
    expect(created).toMatchObject({ minutes: 30, target: { kind: 'project', projectId: PROJECT } });
    await fromForecast(created.id, { minutes: 50, note: 'Support', updatedAt: new Date(Date.now() + 1000).toISOString(), taskId: null });
    expect(timelog.works.get(guid)).toMatchObject({ taskId: supportTask, minutes: 50 });
  });
});
