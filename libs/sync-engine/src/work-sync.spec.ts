import { randomUUID } from 'node:crypto';
import { KEYS, TimelogWorkChangedV1, toWorkGuid } from '@timelog-sync/contracts';
import { fakeSyncWorld, FakeSyncContext } from './testing/fakes';
import { WorkSync } from './work-sync';
import { WORK_GUID_FIELD } from './work-sync';

/** WorkSync's decisions (TimeLog work -> Forecast registration) against in-memory Forecast, TimeLog and storage. */
describe('WorkSync', () => {
  const siteLocal = (iso: string) => new Date(Date.parse(iso) + 60 * 60_000).toISOString().slice(0, 19);

  function setup() {
    const world = fakeSyncWorld();
    const { companyId, ids } = world;
    const sync = new WorkSync<FakeSyncContext>(world.storage, world.connections);
    const event = (guid: string, work: { minutes: number; note: string; taskId?: number } | null, observedAt = new Date().toISOString()): TimelogWorkChangedV1 => ({
      companyId, workGuid: toWorkGuid(guid), change: work ? 'upserted' : 'deleted', source: 'poll', actionDate: siteLocal(observedAt), observedAt,
      work: work && { guid: toWorkGuid(guid), taskId: work.taskId ?? ids.timelogTask, employeeInitials: ids.initials, date: ids.date, minutes: work.minutes, description: work.note, isEditable: true },
    });
    /** A TimeLog user's change, as TimeLog holds it and as the poller brings it. */
    const fromTimeLog = (guid: string, work: { minutes: number; note: string; taskId?: number } | null, options: { observedAt?: string; attempt?: number } = {}) => {
      if (work) world.timelog.works.set(guid, { guid, taskId: work.taskId ?? ids.timelogTask, employeeInitials: ids.initials, startDateTime: `${ids.date}T00:00:00`, minutes: work.minutes, description: work.note });
      else world.timelog.works.delete(guid);
      return sync.handle(event(guid, work, options.observedAt), { key: KEYS.work(companyId, guid), attempt: options.attempt ?? 1 });
    };
    const pairOf = (guid: string) => world.storage.pair(companyId, 'time-registration', { timelogRef: guid });
    const registrations = () => [...world.forecast.registrations.values()];
    return { ...world, sync, event, fromTimeLog, pairOf, registrations };
  }

  it('creates the registration on the Forecast task the TimeLog task came from, marks it with the GUID and records the pair', async () => {
    const { fromTimeLog, pairOf, registrations, storage, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 30, note: 'Support' });
    const [created] = registrations();
    expect(created).toMatchObject({ personId: 7, target: { kind: 'task', taskId: 11 }, minutes: 30, notes: 'Support', customFields: { [WORK_GUID_FIELD]: guid } });
    expect(pairOf(guid)).toMatchObject({ forecastId: created.id, origin: 'timelog', snapshot: { date: '2026-11-24', minutes: 30, note: 'Support' } });
    expect(actions()).toEqual(['created']);
    expect(storage.intentRows).toEqual([]);
  });

  it('creates work on a TimeLog-only task of a linked project as a project-level registration', async () => {
    const { fromTimeLog, registrations } = setup();
    await fromTimeLog(randomUUID(), { minutes: 15, note: 'Meeting', taskId: 900 });
    expect(registrations()).toEqual([expect.objectContaining({ target: { kind: 'project', projectId: 3 }, minutes: 15 })]);
  });

  it('updates the registration when the work changes', async () => {
    const { fromTimeLog, registrations, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 30, note: 'Support' });
    await fromTimeLog(guid, { minutes: 45, note: 'Support call' });
    expect(registrations().map((r) => [r.minutes, r.notes])).toEqual([[45, 'Support call']]);
    expect(actions()).toEqual(['created', 'updated']);
  });

  it('deletes the registration when the work is deleted, and records both sides deleted', async () => {
    const { fromTimeLog, pairOf, registrations, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 30, note: 'Support' });
    await fromTimeLog(guid, null);
    expect(registrations()).toEqual([]);
    expect(pairOf(guid)).toMatchObject({ deletedAt: expect.any(Date) });
    expect(actions()).toEqual(['created', 'deleted']);
  });

  it('drops the echo of content Forecast already has without calling Forecast', async () => {
    const { forecast, fromTimeLog, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 30, note: 'Support' });
    const writes = forecast.writes.length;
    await fromTimeLog(guid, { minutes: 30, note: 'Support' });
    expect(forecast.writes.length).toBe(writes);
    expect(actions()).toEqual(['created', 'echo-dropped']);
  });

  it('drops work written from a Forecast registration whose sync is completing (intent in flight) without calling Forecast', async () => {
    const { companyId, forecast, storage, fromTimeLog, actions } = setup();
    const guid = randomUUID();
    await storage.intents.beginWorkCreate(companyId, toWorkGuid(guid), 600);
    await fromTimeLog(guid, { minutes: 30, note: 'From Forecast' });
    expect(forecast.writes).toEqual([]);
    expect(actions()).toEqual(['echo-dropped']);
  });

  it('settles an older event of that work waiting parked when it drops the echo, so its retry cannot write it later', async () => {
    const { companyId, storage, fromTimeLog } = setup();
    const guid = randomUUID();
    storage.parked.push({ companyId, key: KEYS.work(companyId, guid), value: null, decision: { kind: 'park', reasonCode: 'person-not-linked', reason: 'person not linked', waitingFor: null }, retryAfterMs: 60_000, resolution: null });
    await storage.intents.beginWorkCreate(companyId, toWorkGuid(guid), 600);
    await fromTimeLog(guid, { minutes: 30, note: 'From Forecast' });
    expect(storage.parked.map((entry) => entry.resolution)).toEqual(['superseded']);
  });

  it('reuses the registration a create whose answer was lost made, instead of creating a second (intent of an earlier attempt)', async () => {
    const { forecast, fromTimeLog, registrations, actions } = setup();
    const guid = randomUUID();
    forecast.loseNextCreateAnswer = true;
    await expect(fromTimeLog(guid, { minutes: 60, note: 'first' })).rejects.toThrow('timed out');
    await fromTimeLog(guid, { minutes: 75, note: 'second' });
    expect(registrations().map((r) => [r.minutes, r.notes])).toEqual([[75, 'second']]);
    expect(actions()).toEqual(['created']);
  });

  it('conflict: a Forecast edit later than the TimeLog edit wins and is written to TimeLog', async () => {
    const { forecast, timelog, fromTimeLog, pairOf, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 60, note: 'Design' }, { observedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    const id = pairOf(guid)!.forecastId!;
    forecast.put(id, 120, 'Design', new Date().toISOString());
    await fromTimeLog(guid, { minutes: 45, note: 'Design' }, { observedAt: new Date(Date.now() - 5 * 60_000).toISOString() });
    expect([forecast.registrations.get(id)?.minutes, timelog.works.get(guid)?.minutes]).toEqual([120, 120]);
    expect(pairOf(guid)?.snapshot).toEqual({ date: '2026-11-24', minutes: 120, note: 'Design' });
    expect(actions()).toEqual(['created', 'conflict-resolved']);
  });

  it('conflict: a TimeLog edit later than the Forecast edit wins and is written to Forecast', async () => {
    const { forecast, timelog, fromTimeLog, pairOf, storage, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 60, note: 'Design' }, { observedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    const id = pairOf(guid)!.forecastId!;
    forecast.put(id, 120, 'Design', new Date(Date.now() - 5 * 60_000).toISOString());
    await fromTimeLog(guid, { minutes: 45, note: 'Design' });
    expect([forecast.registrations.get(id)?.minutes, timelog.works.get(guid)?.minutes]).toEqual([45, 45]);
    expect(actions()).toEqual(['created', 'conflict-resolved', 'updated']);
    expect(storage.audits[1].reason).toBe('both sides changed since the last sync; timelog is later');
  });

  it('pair deleted in Forecast: a later TimeLog edit deletes the work too (the deletion wins)', async () => {
    const { forecast, timelog, fromTimeLog, pairOf, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 30, note: 'Plan' });
    forecast.registrations.delete(pairOf(guid)!.forecastId!);
    await fromTimeLog(guid, { minutes: 45, note: 'Plan' });
    expect(timelog.works.has(guid)).toBe(false);
    expect(pairOf(guid)).toMatchObject({ deletedAt: expect.any(Date) });
    expect(actions()).toEqual(['created', 'deleted']);
  });

  it('pair deleted in TimeLog: a stale upsert is skipped, nothing is written', async () => {
    const { forecast, fromTimeLog, actions } = setup();
    const guid = randomUUID();
    await fromTimeLog(guid, { minutes: 30, note: 'Plan' });
    await fromTimeLog(guid, null);
    const writes = forecast.writes.length;
    await fromTimeLog(guid, { minutes: 45, note: 'Plan' });
    expect(forecast.writes.length).toBe(writes);
    expect(actions()).toEqual(['created', 'deleted', 'skipped']);
  });

  it('skips work of an unlinked TimeLog user without asking a vendor, and parks a change Forecast refuses', async () => {
    const { companyId, forecast, timelog, storage, sync, event, fromTimeLog, actions, connections } = setup();
    storage.userLinks.splice(0);
    const connectionsAsked = jest.spyOn(connections, 'get');
    const tasksAsked = jest.spyOn(timelog, 'getTaskById');
    // A TimeLog-only task: its project would take a TimeLog call, were the person linked.
    await fromTimeLog(randomUUID(), { minutes: 30, note: 'Nobody', taskId: 900 });
    expect(connectionsAsked).not.toHaveBeenCalled();
    expect(tasksAsked).not.toHaveBeenCalled();
    storage.userLinks.push({ companyId, forecastPersonId: 7, timelogInitials: 'jd', timelogUserId: null });
    forecast.refuseNextWrite = 'the registration is approved';
    const guid = randomUUID();
    await sync.handle(event(guid, { minutes: 30, note: 'Locked' }), { key: KEYS.work(companyId, guid), attempt: 1 });
    expect(storage.openParked(companyId).map((entry) => [entry.decision.reasonCode, entry.decision.reason])).toEqual([['forecast-validation', expect.stringContaining('the registration is approved')]]);
    expect(actions()).toEqual(['skipped', 'parked']);
  });
});
