import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { TOPICS } from '@timelog-sync/contracts';
import { createKafka, KafkaNamespace } from '@timelog-sync/messaging';
import { ConsumerLagReader } from '@timelog-sync/service-runtime';
import { httpJson, pollUntil, testEnvironment } from '@timelog-sync/testing';
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

  const syncedTask = (forecastTaskId: number, timeoutMs = 20_000) =>
    pollUntil(async () => (await pipeline.timelog.tasks()).find((task) => task.externalKeys.some((key: { externalId: string }) => key.externalId === taskExternalKey(forecastTaskId))), {
      description: `TimeLog task for Forecast task ${forecastTaskId}`,
      timeoutMs,
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
    await pollUntil(async () => (await timelog.tasks()).find((t) => t.taskId === created.taskId && t.statusDetailed === 4), { description: 'cancelled (inactive) in TimeLog' });
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

  const newTaskFor = async (personId: number, title: string) => {
    const { demo, forecast } = pipeline;
    const task = await forecast.createTask(personId, { project_id: demo.forecastProjectId, title, assigned_persons: [personId] });
    return { task, timelogTask: await syncedTask(task.id) };
  };
  const workFor = (guid: string) => pipeline.timelog.work().then((all) => all.filter((w) => w.guid.toLowerCase() === guid));
  const auditFor = (forecastId: number): Promise<any[]> =>
    httpJson('GET', `${pipeline.system.url('mapping-service')}/companies/${pipeline.demo.companyId}/activity?forecastId=${forecastId}`, undefined, admin());

  /**
   * Both copies of the registration's webhook were answered, so the ingestor stored or deduplicated each; none is
   * pending; the company's outbox is published; and the writer's group has committed to the end of every partition
   * of registration changes, so whatever the deliveries caused has been judged.
   */
  const everyDeliverySettled = async (registrationId: number) => {
    const { demo, forecast } = pipeline;
    const deliveries = (await forecast.webhookDeliveries()).filter((delivery) => delivery.payload.object.id === registrationId);
    if (deliveries.filter((delivery) => delivery.outcome === 'delivered').length < 2) return false;
    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT (SELECT count(*) FROM inbound_webhook WHERE company_id = $1 AND status = 'pending')
              + (SELECT count(*) FROM outbox_message WHERE headers->>'tenant-id' = $1 AND published_at IS NULL) AS unsettled`,
        [demo.companyId],
      );
      if (Number(rows[0].unsettled) > 0) return false;
    } finally {
      await db.end();
    }
    const lagReader = new ConsumerLagReader({
      kafka: createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'forecast-to-timelog-test' }),
      namespace: new KafkaNamespace(pipeline.kafkaNamespace),
      groups: { 'sync-writer': [TOPICS.forecastTimeRegistrationChanged] },
    });
    try {
      return (await lagReader.read()).every((partition) => partition.lag === 0);
    } finally {
      await lagReader.close();
    }
  };

  it('has one effect for a webhook delivered three times, out of order and with the legacy timestamp', async () => {
    const { demo, forecast, timelog } = pipeline;
    const { task } = await newTaskFor(demo.people.ann, 'Webhook faults');
    await forecast.faults({ webhooks: { duplicate: true, reorder: true, legacyTimestamp: true } });
    try {
      const before = await timelog.calls();
      const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 59, date: today(), notes: 'dup' });
      const guid = deterministicWorkGuid(demo.companyId, registration.id);
      await pollUntil(async () => (await workFor(guid)).length === 1, { description: 'work synced once' });
      await pollUntil(() => everyDeliverySettled(registration.id), { description: 'both deliveries answered, stored or deduplicated, and their events consumed', timeoutMs: 30_000 });
      const after = await timelog.calls();
      expect((after.InsertWork ?? 0) - (before.InsertWork ?? 0)).toBe(1);
      expect((after.UpdateWork ?? 0) - (before.UpdateWork ?? 0)).toBe(0);
      expect(await workFor(guid)).toHaveLength(1);
    } finally {
      await forecast.faults({ webhooks: { duplicate: false, reorder: false, legacyTimestamp: false } });
    }
  });

  it('still syncs a change whose webhook Forecast dropped, through the safety-net poll', async () => {
    const { demo, forecast } = pipeline;
    const { task } = await newTaskFor(demo.people.ann, 'Dropped webhook');
    await forecast.faults({ webhooks: { dropNext: 10 } });
    try {
      const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 45, date: today(), notes: 'no webhook' });
      const work = await pollUntil(async () => (await workFor(deterministicWorkGuid(demo.companyId, registration.id)))[0], { description: 'work synced by the poll', timeoutMs: 30_000 });
      expect(work).toMatchObject({ minutes: 45, description: 'no webhook' });
    } finally {
      await forecast.faults({ webhooks: { dropNext: 0 } });
    }
  });

  it('parks a registration of an unlinked person and syncs it once the person is linked', async () => {
    const { demo, forecast, system } = pipeline;
    const { task } = await newTaskFor(demo.people.carl, 'Carl works here');
    const registration = await forecast.register(demo.people.carl, { task: task.id, time_registered: 30, date: today(), notes: 'by Carl' });
    const parked = await pollUntil(
      async () => (await httpJson('GET', `${system.url('mapping-service')}/companies/${demo.companyId}/parked`, undefined, admin())).find((p: any) => p.key.endsWith(`:time-registration:${registration.id}`)),
      { description: 'parked registration' },
    );
    expect(parked).toMatchObject({ reasonCode: 'person-not-linked', waitingFor: `user:${demo.people.carl}` });
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    expect(await workFor(guid)).toHaveLength(0);

    await httpJson('PUT', `${system.url('mapping-service')}/companies/${demo.companyId}/people/${demo.people.carl}/link`, { timelogInitials: 'CD' }, admin());
    const work = await pollUntil(async () => (await workFor(guid))[0], { description: 'work after linking', timeoutMs: 30_000 });
    expect(work).toMatchObject({ minutes: 30, initials: 'CD' });
  });

  it('creates exactly one TimeLog task and one work unit when the writer is killed between the TimeLog call and its commit', async () => {
    const { demo, forecast, timelog, system } = pipeline;
    const slowCommit = { FAULT_COMMIT_DELAY_MS: '5000' };
    await system.kill('sync-writer');
    await system.startService('sync-writer', slowCommit);

    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Crash-safe task', assigned_persons: [demo.people.ann] });
    // A restarted consumer waits for the killed member's session to expire before it gets partitions.
    await syncedTask(task.id, 60_000); // in TimeLog, but the writer has not committed yet
    await system.kill('sync-writer');
    await system.startService('sync-writer', slowCommit);
    await pollUntil(async () => (await auditFor(task.id)).some((a) => a.action === 'created' || a.action === 'updated'), { description: 'task pair committed', timeoutMs: 60_000 });
    expect((await timelog.tasks()).filter((t) => t.name === 'Crash-safe task')).toHaveLength(1);

    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 61, date: today(), notes: 'crash' });
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    await pollUntil(async () => (await workFor(guid)).length === 1, { description: 'work written, commit pending', timeoutMs: 60_000 });
    await system.kill('sync-writer');
    await system.startService('sync-writer');
    await pollUntil(async () => (await auditFor(registration.id)).some((a) => a.action === 'created' || a.action === 'updated'), { description: 'registration pair committed', timeoutMs: 60_000 });
    expect(await workFor(guid)).toHaveLength(1);
    expect((await timelog.tasks()).filter((t) => t.name === 'Crash-safe task')).toHaveLength(1);
  }, 300_000);

  it('shows the webhook ingest and the TimeLog write in one trace', async () => {
    const { demo, forecast, system } = pipeline;
    const { task } = await newTaskFor(demo.people.ann, 'Traced');
    await syncedTask(task.id, 60_000);
    // Right after a safety-net poll (every 2 s here), so the webhook brings the registration, not the next poll
    // under a trace of its own.
    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      const lastPoll = async () => Number((await db.query(`SELECT extract(epoch FROM max(cursor)) AS at FROM forecast_poll_cursor WHERE company_id = $1`, [demo.companyId])).rows[0].at);
      const before = await lastPoll();
      await pollUntil(async () => (await lastPoll()) > before, { description: 'a safety-net poll just finished' });
    } finally {
      await db.end();
    }
    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 15, date: today(), notes: 'trace me' });
    const [action] = await pollUntil(async () => {
      const rows = (await auditFor(registration.id)).filter((a) => a.action === 'created');
      return rows.length ? rows : undefined;
    }, { description: 'registration synced' });
    const spans = (service: 'forecast-ingestor' | 'sync-writer') =>
      readFileSync(system.spanFile(service), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((span) => span.traceId === action.traceId);
    const trace = await pollUntil(() => {
      const found = [...spans('forecast-ingestor'), ...spans('sync-writer')];
      return found.some((s) => s.name === 'timelog InsertWork') && found.some((s) => s.serviceName === 'forecast-ingestor' && s.kind === 'SERVER') ? found : undefined;
    }, { description: 'spans of both services in one trace' });
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['forecast webhook process', 'forecast.time-registration.changed.v1 process', 'sync time registration', 'timelog InsertWork']));
  });

  it('keeps secrets out of logs, spans and Kafka payloads', async () => {
    const { demo, system } = pipeline;
    const secrets = [demo.forecastApiKey, demo.timelogPasswords.login, demo.timelogPasswords.reporting];
    for (const service of ['forecast-ingestor', 'mapping-service', 'sync-writer', 'timelog-poller'] as const) {
      const captured = system.logs(service) + readFileSync(system.spanFile(service), 'utf8');
      for (const secret of secrets) expect(captured.includes(secret)).toBe(false);
    }
    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT coalesce(string_agg(value, ''), '') AS payloads FROM outbox_message WHERE headers->>'tenant-id' = $1`, [demo.companyId]);
      expect(rows[0].payloads.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(rows[0].payloads.includes(secret)).toBe(false);
      const { rows: sealed } = await db.query(`SELECT sealed FROM company_credential WHERE company_id = $1`, [demo.companyId]);
      for (const secret of secrets) expect(Buffer.from(sealed[0].sealed, 'base64').toString('latin1').includes(secret)).toBe(false);
    } finally {
      await db.end();
    }
  });

  it('creates a Forecast sub-task in TimeLog under the task its parent was synced to', async () => {
    const { demo, forecast } = pipeline;
    const parent = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Relaunch', assigned_persons: [demo.people.ann] });
    // Created at once: the sub-task may have to wait for its parent to reach TimeLog first.
    const child = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Relaunch copy', parent_task_id: parent.id, assigned_persons: [demo.people.ann] });
    const timelogParent = await syncedTask(parent.id);
    const timelogChild = await syncedTask(child.id, 30_000);
    expect(timelogChild).toMatchObject({ name: 'Relaunch copy', projectId: demo.timelogProjectId, parentTaskId: timelogParent.taskId });
    expect(timelogParent.parentTaskId).toBeNull();
  });

  it("completes Ann's TimeLog allocation when she is unassigned in Forecast, and her work stays", async () => {
    const { demo, forecast, timelog } = pipeline;
    const { task, timelogTask } = await newTaskFor(demo.people.ann, 'Handover');
    const annsAllocation = async () => (await timelog.allocations()).find((a) => a.taskId === timelogTask.taskId && a.employeeId === demo.timelogEmployees.ann.employeeId);
    expect(await pollUntil(annsAllocation, { description: 'Ann allocated' })).toMatchObject({ isComplete: false });
    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 30, date: today(), notes: 'before the handover' });
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    await pollUntil(async () => (await workFor(guid)).length === 1, { description: 'work in TimeLog' });

    await forecast.updateTask(demo.people.ann, task.id, { assigned_persons: [] });
    await pollUntil(async () => (await annsAllocation())?.isComplete === true, { description: "Ann's allocation complete" });
    expect(await workFor(guid)).toEqual([expect.objectContaining({ minutes: 30, initials: 'AD' })]);
  });
});
