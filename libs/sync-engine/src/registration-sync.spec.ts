import { ForecastTimeRegistrationChangedV1, KEYS, toWorkGuid } from '@timelog-sync/contracts';
import { deterministicWorkGuid } from '@timelog-sync/domain';
import { fakeSyncWorld, FakeSyncContext } from './testing/fakes';
import { RegistrationSync } from './registration-sync';

/** RegistrationSync's decisions (Forecast registration -> TimeLog work) against in-memory Forecast, TimeLog and storage. */
describe('RegistrationSync', () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  function setup() {
    const world = fakeSyncWorld();
    const { companyId, ids } = world;
    const sync = new RegistrationSync<FakeSyncContext>(world.storage, world.connections);
    const event = (id: number, registration: { minutes: number; note: string; updatedAt: string; personId?: number } | null): ForecastTimeRegistrationChangedV1 => ({
      companyId, registrationId: id, change: registration ? 'upserted' : 'deleted', source: 'webhook', observedAt: new Date().toISOString(),
      registration: registration && {
        id, personId: registration.personId ?? ids.person, projectId: ids.project, taskId: ids.task, nonProjectTimeId: null, date: ids.date,
        minutes: registration.minutes, billableMinutes: null, note: registration.note, updatedAt: registration.updatedAt,
      },
    });
    /** A Forecast user's change, as Forecast holds it and as its webhook brings it. */
    const fromForecast = (id: number, registration: { minutes: number; note: string; updatedAt: string; personId?: number } | null) => {
      if (registration) world.forecast.put(id, registration.minutes, registration.note, registration.updatedAt);
      else world.forecast.registrations.delete(id);
      return sync.handle(event(id, registration), { key: KEYS.timeRegistration(companyId, id), attempt: 1 });
    };
    const guidOf = (id: number) => deterministicWorkGuid(companyId, id);
    const pairOf = (id: number) => world.storage.pair(companyId, 'time-registration', { forecastId: id });
    return { ...world, sync, event, fromForecast, guidOf, pairOf };
  }

  it('creates the work with the deterministic GUID and records the pair and the audit row', async () => {
    const { timelog, storage, fromForecast, guidOf, pairOf, actions } = setup();
    await fromForecast(501, { minutes: 60, note: 'Review', updatedAt: minutesAgo(1) });
    expect(timelog.works.get(guidOf(501))).toMatchObject({ taskId: 4711, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes: 60, description: 'Review' });
    expect(pairOf(501)).toMatchObject({ timelogRef: guidOf(501), origin: 'forecast', snapshot: { date: '2026-11-24', minutes: 60, note: 'Review' } });
    expect(actions()).toEqual(['created']);
    // The intent announced before InsertWork is done with the commit.
    expect(storage.intentRows).toEqual([]);
  });

  it('updates the work when the registration changes', async () => {
    const { timelog, fromForecast, guidOf, pairOf, actions } = setup();
    await fromForecast(502, { minutes: 60, note: 'Plan', updatedAt: minutesAgo(2) });
    await fromForecast(502, { minutes: 90, note: 'Plan more', updatedAt: minutesAgo(1) });
    expect(timelog.works.get(guidOf(502))).toMatchObject({ minutes: 90, description: 'Plan more' });
    expect(pairOf(502)?.snapshot).toEqual({ date: '2026-11-24', minutes: 90, note: 'Plan more' });
    expect(actions()).toEqual(['created', 'updated']);
  });

  it('deletes the work when the registration is deleted, and records both sides deleted', async () => {
    const { timelog, fromForecast, guidOf, pairOf, actions } = setup();
    await fromForecast(503, { minutes: 30, note: 'Docs', updatedAt: minutesAgo(1) });
    await fromForecast(503, null);
    expect(timelog.works.has(guidOf(503))).toBe(false);
    expect(pairOf(503)).toMatchObject({ forecastDeletedAt: expect.any(Date), timelogDeletedAt: expect.any(Date), deletedAt: expect.any(Date) });
    expect(actions()).toEqual(['created', 'deleted']);
  });

  it('drops the echo of content TimeLog already has without calling TimeLog', async () => {
    const { timelog, fromForecast, actions } = setup();
    const updatedAt = minutesAgo(1);
    await fromForecast(504, { minutes: 45, note: 'Sync', updatedAt });
    const writes = timelog.writes.length;
    await fromForecast(504, { minutes: 45, note: 'Sync', updatedAt });
    expect(timelog.writes.length).toBe(writes);
    expect(actions()).toEqual(['created', 'echo-dropped']);
  });

  it('drops the webhook of a registration we are still creating from TimeLog work (intent in flight) without calling TimeLog', async () => {
    const { companyId, timelog, storage, fromForecast, actions } = setup();
    await storage.intents.beginForecastCreate(companyId, toWorkGuid('work-guid-1'), { date: '2026-11-24', minutes: 30, note: 'From TimeLog' });
    await storage.intents.attachForecastRegistration(companyId, toWorkGuid('work-guid-1'), 505);
    await fromForecast(505, { minutes: 30, note: 'From TimeLog', updatedAt: minutesAgo(1) });
    expect(timelog.writes).toEqual([]);
    expect(actions()).toEqual(['echo-dropped']);
  });

  it('finds the work an earlier attempt inserted (its intent still there) and updates it instead of inserting twice', async () => {
    const { companyId, ids, timelog, storage, fromForecast, guidOf, actions } = setup();
    const guid = guidOf(506);
    await storage.intents.beginWorkCreate(companyId, guid, 506);
    timelog.works.set(guid, { guid, taskId: ids.timelogTask, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes: 50, description: 'Build' });
    await fromForecast(506, { minutes: 50, note: 'Build', updatedAt: minutesAgo(1) });
    expect([...timelog.works.values()].filter((work) => work.guid === guid)).toHaveLength(1);
    expect(storage.audits.at(-1)).toMatchObject({ action: 'created', reason: expect.stringMatching(/already exists; updated instead/) });
    expect(actions()).toEqual(['created']);
    expect(storage.intentRows).toEqual([]);
  });

  it('conflict: a TimeLog edit later than the Forecast change is kept and written to Forecast', async () => {
    const { forecast, timelog, fromForecast, guidOf, storage } = setup();
    await fromForecast(507, { minutes: 60, note: 'Ops', updatedAt: minutesAgo(10) });
    const editedInForecastAt = minutesAgo(5);
    timelog.userEdit(guidOf(507), 45);
    await fromForecast(507, { minutes: 90, note: 'Ops', updatedAt: editedInForecastAt });
    expect([timelog.works.get(guidOf(507))?.minutes, forecast.registrations.get(507)?.minutes]).toEqual([45, 45]);
    expect(storage.audits.slice(1).map((entry) => [entry.action, entry.reason])).toEqual([
      ['conflict-resolved', 'both sides changed since the last sync; timelog is later'],
      ['updated', 'the later TimeLog edit was kept and written to Forecast'],
    ]);
  });

  it('conflict: a Forecast change later than the TimeLog edit overwrites the work', async () => {
    const { forecast, timelog, fromForecast, guidOf, actions } = setup();
    await fromForecast(508, { minutes: 60, note: 'Ops', updatedAt: minutesAgo(10) });
    timelog.userEdit(guidOf(508), 45);
    await fromForecast(508, { minutes: 120, note: 'Ops', updatedAt: new Date(Date.now() + 60_000).toISOString() });
    expect([timelog.works.get(guidOf(508))?.minutes, forecast.registrations.get(508)?.minutes]).toEqual([120, 120]);
    expect(actions()).toEqual(['created', 'conflict-resolved', 'updated']);
  });

  it('pair deleted in TimeLog: a later Forecast edit deletes the registration too (the deletion wins)', async () => {
    const { forecast, timelog, fromForecast, guidOf, pairOf, actions } = setup();
    await fromForecast(509, { minutes: 60, note: 'Tests', updatedAt: minutesAgo(10) });
    timelog.works.delete(guidOf(509));
    await fromForecast(509, { minutes: 90, note: 'Tests', updatedAt: minutesAgo(1) });
    expect(forecast.registrations.has(509)).toBe(false);
    expect(pairOf(509)).toMatchObject({ deletedAt: expect.any(Date) });
    expect(actions()).toEqual(['created', 'deleted']);
  });

  it('pair deleted in Forecast: a stale upsert is skipped, nothing is written', async () => {
    const { timelog, fromForecast, pairOf, storage, actions } = setup();
    await fromForecast(510, { minutes: 60, note: 'Old', updatedAt: minutesAgo(10) });
    await fromForecast(510, null);
    const writes = timelog.writes.length;
    await fromForecast(510, { minutes: 75, note: 'Old', updatedAt: minutesAgo(1) });
    expect(timelog.writes.length).toBe(writes);
    expect(pairOf(510)?.deletedAt).toEqual(expect.any(Date));
    expect(actions()).toEqual(['created', 'deleted', 'skipped']);
    expect(storage.audits.at(-1)?.reason).toMatch(/stale event/);
  });

  it('skips an old event the pair has already moved past (superseded)', async () => {
    const { timelog, fromForecast, guidOf, actions } = setup();
    await fromForecast(511, { minutes: 40, note: 'Docs', updatedAt: minutesAgo(1) });
    await fromForecast(511, { minutes: 30, note: 'Docs', updatedAt: minutesAgo(3) });
    expect(timelog.works.get(guidOf(511))?.minutes).toBe(40);
    expect(actions()).toEqual(['created', 'skipped']);
  });

  it('parks a registration of an unlinked person until the link is made, and a closed week with a retry time', async () => {
    const { companyId, timelog, storage, fromForecast, actions } = setup();
    await fromForecast(512, { minutes: 60, note: 'Unlinked', updatedAt: minutesAgo(1), personId: 99 });
    timelog.refuseWorkWrites = 'The week is closed';
    await fromForecast(513, { minutes: 60, note: 'Closed', updatedAt: minutesAgo(1) });
    expect(storage.openParked(companyId).map((entry) => [entry.decision.reasonCode, entry.decision.waitingFor, entry.retryAfterMs])).toEqual([
      ['person-not-linked', 'user:99', null],
      ['closed-week', null, 60 * 60_000],
    ]);
    expect(actions()).toEqual(['parked', 'parked']);
  });

  it('parks the event of a company whose TimeLog is down after the in-place attempts', async () => {
    const { companyId, timelog, storage, sync, event } = setup();
    timelog.down = true;
    await expect(sync.handle(event(514, { minutes: 60, note: 'Down', updatedAt: minutesAgo(1) }), { key: 'k514', attempt: 1 })).rejects.toThrow('HTTP 503');
    await sync.handle(event(514, { minutes: 60, note: 'Down', updatedAt: minutesAgo(1) }), { key: 'k514', attempt: 3 });
    expect(storage.openParked(companyId).map((entry) => entry.decision.reasonCode)).toEqual(['company-unavailable']);
  });
});
