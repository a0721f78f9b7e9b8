import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { httpJson, pollUntil, TIMELOG_ONLY_TASK_ID } from '@timelog-sync/testing';
import { Client } from 'pg';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

const today = () => new Date().toISOString().slice(0, 10);

describe('TimeLog => Forecast (poller, writer, echo suppression, conflicts; all services as processes)', () => {
  let pipeline: Pipeline;
  let forecastTaskId: number;
  let timelogTaskId: number;
  const admin = () => ({ authorization: `Bearer ${pipeline.demo.adminKey}` });

  const pollNow = () =>
    httpJson('POST', `${pipeline.system.url('timelog-poller')}/companies/${pipeline.demo.companyId}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
  const registrationsWithNote = async (note: string) => (await pipeline.forecast.registrations()).filter((r) => r.notes === note);
  const activityFor = (query: string): Promise<any[]> => httpJson('GET', `${pipeline.system.url('mapping-service')}/companies/${pipeline.demo.companyId}/activity?${query}`, undefined, admin());

  beforeAll(async () => {
    pipeline = await startPipeline(27000);
    const { demo, forecast, timelog } = pipeline;
    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Shared task', assigned_persons: [demo.people.ann] });
    forecastTaskId = task.id;
    const synced = await pollUntil(async () => (await timelog.tasks()).find((t) => t.externalKeys.some((k: { externalId: string }) => k.externalId === taskExternalKey(task.id))), { description: 'task in TimeLog' });
    timelogTaskId = synced.taskId;
    await pollUntil(async () => (await timelog.allocations()).some((a) => a.taskId === timelogTaskId && a.employeeId === demo.timelogEmployees.ann.employeeId), { description: 'Ann allocated' });
  });

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  it('creates, edits and deletes registrations in Forecast for work a TimeLog user creates, edits and deletes', async () => {
    const { timelog } = pipeline;
    const work = await timelog.registerWork({ initials: 'AD', taskId: timelogTaskId, date: today(), minutes: 59, description: 'Workshop in TimeLog' });
    await pollNow();
    const [created] = await pollUntil(async () => {
      const found = await registrationsWithNote('Workshop in TimeLog');
      return found.length ? found : undefined;
    }, { description: 'registration created in Forecast', timeoutMs: 30_000 });
    expect(created).toMatchObject({ person: pipeline.demo.people.ann, task: forecastTaskId, time_registered: 59 });

    await timelog.editWork(work.guid, { minutes: 61, description: 'Workshop, edited in TimeLog' });
    await pollNow();
    await pollUntil(async () => (await pipeline.forecast.registrations()).find((r) => r.id === created.id && r.time_registered === 61 && r.notes === 'Workshop, edited in TimeLog'), {
      description: 'edit in Forecast', timeoutMs: 30_000,
    });

    await timelog.deleteWork(work.guid);
    await pollNow();
    await pollUntil(async () => !(await pipeline.forecast.registrations()).some((r) => r.id === created.id), { description: 'deleted in Forecast', timeoutMs: 30_000 });
  });

  it('turns work on a TimeLog-only task of a linked project into a project-level registration', async () => {
    await pipeline.timelog.registerWork({ initials: 'BD', taskId: TIMELOG_ONLY_TASK_ID, date: today(), minutes: 30, description: 'Support call' });
    await pollNow();
    const [registration] = await pollUntil(async () => {
      const found = await registrationsWithNote('Support call');
      return found.length ? found : undefined;
    }, { description: 'project-level registration', timeoutMs: 30_000 });
    expect(registration).toMatchObject({ person: pipeline.demo.people.bob, project: pipeline.demo.forecastProjectId, task: null, time_registered: 30 });
  });

  it('keeps minutes exact both ways (1, 59, 61, 1439)', async () => {
    const { demo, forecast, timelog } = pipeline;
    for (const minutes of [1, 59, 61, 1439]) {
      await timelog.registerWork({ initials: 'AD', taskId: timelogTaskId, date: today(), minutes, description: `TimeLog ${minutes} min` });
      const registration = await forecast.register(demo.people.ann, { task: forecastTaskId, time_registered: minutes, date: today(), notes: `Forecast ${minutes} min` });
      await pollUntil(async () => (await timelog.work()).find((w) => w.guid.toLowerCase() === deterministicWorkGuid(demo.companyId, registration.id) && w.minutes === minutes), { description: `${minutes} min to TimeLog` });
    }
    await pollNow();
    for (const minutes of [1, 59, 61, 1439]) {
      const [registration] = await pollUntil(async () => {
        const found = await registrationsWithNote(`TimeLog ${minutes} min`);
        return found.length ? found : undefined;
      }, { description: `${minutes} min to Forecast`, timeoutMs: 30_000 });
      expect(registration.time_registered).toBe(minutes);
    }
  });

  it('never echoes: after a Forecast registration syncs, further polls and webhook rounds change nothing on either side', async () => {
    const { demo, forecast, timelog } = pipeline;
    const registration = await forecast.register(demo.people.ann, { task: forecastTaskId, time_registered: 75, date: today(), notes: 'Echo check' });
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    await pollUntil(async () => (await timelog.work()).some((w) => w.guid.toLowerCase() === guid), { description: 'work in TimeLog' });
    await pollNow();
    await pollUntil(async () => (await activityFor(`timelogRef=${guid}`)).some((a) => a.direction === 'timelog-to-forecast' && a.action === 'echo-dropped'), {
      description: 'the poll saw our own write and dropped it', timeoutMs: 30_000,
    });
    const forecastWrites = async () => {
      const calls = await forecast.calls();
      return Object.entries(calls).filter(([endpoint]) => /^(POST|PUT|DELETE) \/api\/v1\/time_registrations/.test(endpoint)).reduce((sum, [, n]) => sum + Number(n), 0);
    };
    const timelogWrites = async () => {
      const calls = await timelog.calls();
      return (calls.InsertWork ?? 0) + (calls.UpdateWork ?? 0) + (calls.DeleteWork ?? 0);
    };
    const before = { forecast: await forecastWrites(), timelog: await timelogWrites() };
    const lastPoll = async () => {
      const db = new Client({ connectionString: pipeline.databaseUrl });
      await db.connect();
      try {
        return (await db.query(`SELECT last_success_at FROM timelog_poll_state WHERE company_id = $1`, [demo.companyId])).rows[0]?.last_success_at?.getTime() ?? 0;
      } finally {
        await db.end();
      }
    };
    for (let round = 0; round < 3; round += 1) {
      const previous = await lastPoll();
      await pollNow();
      await pollUntil(async () => (await lastPoll()) > previous, { description: `poll round ${round} finished`, timeoutMs: 30_000 });
    }
    expect(await forecastWrites()).toBe(before.forecast);
    expect(await timelogWrites()).toBe(before.timelog);
    expect((await registrationsWithNote('Echo check'))).toHaveLength(1);
    expect((await timelog.work()).filter((w) => w.description === 'Echo check')).toHaveLength(1);
  });

  it('resolves an edit on both sides between syncs to the later edit on both sides, with both versions audited', async () => {
    const { demo, forecast, timelog } = pipeline;
    const registration = await forecast.register(demo.people.ann, { task: forecastTaskId, time_registered: 60, date: today(), notes: 'Conflict base' });
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    await pollUntil(async () => (await timelog.work()).some((w) => w.guid.toLowerCase() === guid), { description: 'synced' });
    await timelog.editWork(guid, { minutes: 45, description: 'TimeLog edit (earlier)' });
    await forecast.updateRegistration(demo.people.ann, registration.id, { time_registered: 90, notes: 'Forecast edit (later)' });
    await pollUntil(async () => (await timelog.work()).find((w) => w.guid.toLowerCase() === guid && w.description === 'Forecast edit (later)' && w.minutes === 90), { description: 'later edit in TimeLog' });
    await pollNow();
    const conflict = await pollUntil(async () => (await activityFor(`forecastId=${registration.id}`)).find((a) => a.action === 'conflict-resolved'), { description: 'conflict audit row' });
    expect(conflict.before).toMatchObject({ side: 'timelog', content: { minutes: 45, note: 'TimeLog edit (earlier)' } });
    expect(conflict.after).toMatchObject({ side: 'forecast', content: { minutes: 90, note: 'Forecast edit (later)' } });
    const echo = await pollUntil(async () => (await activityFor(`timelogRef=${guid}`)).find((a) => a.direction === 'timelog-to-forecast'), { description: 'poll judged the pair', timeoutMs: 30_000 });
    expect(echo.action).toBe('echo-dropped');
    expect((await forecast.registrations()).find((r) => r.id === registration.id)).toMatchObject({ time_registered: 90, notes: 'Forecast edit (later)' });
  });

  it('leaves exactly one Forecast registration when the writer is killed between the Forecast create and its commit', async () => {
    const { system, timelog } = pipeline;
    await system.kill('sync-writer');
    await system.startService('sync-writer', { FAULT_COMMIT_DELAY_MS: '5000' });
    const work = await timelog.registerWork({ initials: 'AD', taskId: timelogTaskId, date: today(), minutes: 33, description: 'Crash while creating in Forecast' });
    await pollNow();
    await pollUntil(async () => (await registrationsWithNote('Crash while creating in Forecast')).length === 1, { description: 'created in Forecast, commit pending', timeoutMs: 150_000 });
    await system.kill('sync-writer');
    await system.startService('sync-writer');
    await pollUntil(async () => (await activityFor(`timelogRef=${work.guid}`)).some((a) => a.action === 'created'), { description: 'pair committed after restart', timeoutMs: 150_000 });
    expect(await registrationsWithNote('Crash while creating in Forecast')).toHaveLength(1);
  }, 420_000);

  it('syncs on the schedule too, without poll-now', async () => {
    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE company SET poll_interval_minutes = 1 WHERE id = $1`, [pipeline.demo.companyId]);
      await db.query(`UPDATE timelog_poll_state SET next_poll_at = now() + interval '3 seconds' WHERE company_id = $1`, [pipeline.demo.companyId]);
    } finally {
      await db.end();
    }
    await pipeline.timelog.registerWork({ initials: 'AD', taskId: timelogTaskId, date: today(), minutes: 20, description: 'Scheduled poll' });
    await pollUntil(async () => (await registrationsWithNote('Scheduled poll')).length === 1, { description: 'synced by the scheduled poll', timeoutMs: 90_000 });
  }, 120_000);
});
