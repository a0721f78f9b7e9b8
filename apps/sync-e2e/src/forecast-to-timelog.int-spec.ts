import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { httpJson, pollUntil } from '@timelog-sync/testing';
import { Pipeline, startPipeline } from './pipeline-fixture';

const today = () => new Date().toISOString().slice(0, 10);

describe('Forecast => TimeLog in real time (all services as processes, real Kafka and PostgreSQL, both simulators)', () => {
  let pipeline: Pipeline;
  const admin = () => ({ authorization: `Bearer ${pipeline.demo.adminKey}` });

  beforeAll(async () => {
    pipeline = await startPipeline(23000, { FAULT_COMMIT_DELAY_MS: '0' });
  });

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  const syncedTask = (forecastTaskId: number) =>
    pollUntil(async () => (await pipeline.timelog.tasks()).find((task) => task.externalKey?.externalId === taskExternalKey(forecastTaskId) || task.externalKeys?.some?.((key: any) => key.externalId === taskExternalKey(forecastTaskId))), {
      description: `TimeLog task for Forecast task ${forecastTaskId}`,
    });

  it('creates the TimeLog task under the linked project with the external key, allocates the linked assignee, then updates and deactivates it', async () => {
    const { demo, forecast, timelog } = pipeline;
    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Design landing page', description: 'Hero + pricing', assigned_persons: [demo.people.ann, demo.people.carl], estimate: 90 });
    const created = await syncedTask(task.id);
    expect(created).toMatchObject({ name: 'Design landing page', projectId: demo.timelogProjectId });
    const ann = demo.timelogEmployees.ann.employeeId;
    await pollUntil(async () => (await timelog.allocations()).some((a) => a.taskId === created.taskId && a.employeeId === ann), { description: 'Ann allocated' });
    // Carl is assigned too but not linked: no allocation for him.
    expect((await timelog.allocations()).filter((a) => a.taskId === created.taskId).map((a) => a.employeeId)).toEqual([ann]);

    await forecast.updateTask(demo.people.ann, task.id, { title: 'Design landing page v2' });
    await pollUntil(async () => (await timelog.tasks()).find((t) => t.taskId === created.taskId && t.name === 'Design landing page v2'), { description: 'rename in TimeLog' });

    await forecast.deleteTask(demo.people.ann, task.id);
    await pollUntil(async () => (await timelog.tasks()).find((t) => t.taskId === created.taskId && t.isActive === false), { description: 'deactivated in TimeLog' });
    expect((await timelog.tasks()).filter((t) => t.name.startsWith('Design landing page'))).toHaveLength(1);
  });

  it('creates, updates and deletes work for registrations, under the deterministic GUID, minutes exact', async () => {
    const { demo, forecast, timelog } = pipeline;
    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Build API', assigned_persons: [demo.people.ann] });
    await syncedTask(task.id);
    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 61, date: today(), notes: 'Endpoints' });
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    const work = await pollUntil(async () => (await timelog.work()).find((w) => w.guid.toLowerCase() === guid), { description: 'work in TimeLog' });
    expect(work).toMatchObject({ minutes: 61, description: 'Endpoints', initials: 'AD' });

    await forecast.updateRegistration(demo.people.ann, registration.id, { time_registered: 1439, notes: 'Endpoints and docs' });
    await pollUntil(async () => (await timelog.work()).find((w) => w.guid.toLowerCase() === guid && w.minutes === 1439 && w.description === 'Endpoints and docs'), { description: 'work updated' });

    await forecast.deleteRegistration(demo.people.ann, registration.id);
    await pollUntil(async () => !(await timelog.work()).some((w) => w.guid.toLowerCase() === guid), { description: 'work deleted' });
    const activity = await httpJson('GET', `${pipeline.system.url('mapping-service')}/companies/${demo.companyId}/activity?forecastId=${registration.id}`, undefined, admin());
    expect(activity.map((a: any) => a.action)).toEqual(expect.arrayContaining(['created', 'updated', 'deleted']));
  });
});
