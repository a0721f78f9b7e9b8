import { httpJson, pollUntil } from '@timelog-sync/testing';
import { DemoCompany } from '@timelog-sync/testing';
import { Pipeline, startPipeline } from './pipeline-fixture';
import { allTasksSynced, createTasks, postJson, seedAnotherCompany, taskNotification, webhookBaseUrl } from './webhook-intake-fixture';

// Never answered by the simulator's Forecast for as long as the fault switch is set.
const ALWAYS_FAILING_TASK_ID = 987_654;

describe('poison webhooks stay alone (all services as processes, safety-net poll off)', () => {
  let pipeline: Pipeline;
  let second: DemoCompany;

  beforeAll(async () => {
    pipeline = await startPipeline(30500, {
      // Only webhooks can bring the good changes in: the safety-net poll would hide a blocked batch.
      SAFETY_POLL_INTERVAL_SECONDS: '86400',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_SECONDS: '0.5',
    });
    second = await seedAnotherCompany(pipeline, 'e2ep');
  });

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  it('syncs all 50 good webhooks of two companies sent with id 0, a negative id, a deleted object and an object Forecast fails forever; each poison row ends with its cause in the admin API', async () => {
    const { demo } = pipeline;
    const mapping = pipeline.system.url('mapping-service');
    const admin = { authorization: `Bearer ${demo.adminKey}` };
    const webhooks = await webhookBaseUrl(pipeline, demo);

    // A task that existed and is gone; its own webhooks are dropped so only our late notification names it.
    await pipeline.forecast.faults({ webhooks: { dropNext: 2 }, failingObjects: { ids: [ALWAYS_FAILING_TASK_ID], status: 500 } });
    const [deletedTaskId] = await createTasks(pipeline, demo, 1, 'Deleted before its webhook');
    await pipeline.forecast.deleteTask(demo.people.ann, deletedTaskId);

    const poison = [0, -3, deletedTaskId, ALWAYS_FAILING_TASK_ID].map((id) => postJson(`${webhooks}task`, JSON.stringify(taskNotification(id))));
    const [good, goodOfSecond, answers] = await Promise.all([createTasks(pipeline, demo, 25, 'Good A'), createTasks(pipeline, second, 25, 'Good B'), Promise.all(poison)]);

    // Invalid ids are refused at intake, with the reason; the others are valid notifications and accepted.
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 202, 202]);
    expect(await answers[0].json()).toEqual({ error: { code: 'invalid_webhook', message: 'not a Forecast webhook: object.id must be a positive integer' } });

    await Promise.all([allTasksSynced(pipeline, demo, good), allTasksSynced(pipeline, second, goodOfSecond)]);

    const rejected = await pollUntil(
      async () => {
        const rows: any[] = await httpJson('GET', `${mapping}/companies/${demo.companyId}/rejected-webhooks`, undefined, admin);
        return rows.length === 3 && rows;
      },
      { description: 'three rejected webhooks', timeoutMs: 60_000, intervalMs: 500 },
    );
    const byObject = new Map(rejected.map((row) => [JSON.parse(row.body).object.id, row]));
    expect(byObject.get(0)).toMatchObject({ objectType: 'task', reason: 'not a Forecast webhook: object.id must be a positive integer' });
    expect(byObject.get(-3)).toMatchObject({ reason: 'not a Forecast webhook: object.id must be a positive integer' });
    expect(byObject.get(ALWAYS_FAILING_TASK_ID)).toMatchObject({ attempts: 3, reason: expect.stringMatching(/^gave up after 3 attempts: retryable: forecast getTask: HTTP 500/) });
    // The deleted task is a deletion of something never synced: the writer skips it and says why.
    const activity: any[] = await pollUntil(
      async () => {
        const entries: any[] = await httpJson('GET', `${mapping}/companies/${demo.companyId}/activity?forecastId=${deletedTaskId}`, undefined, admin);
        return entries.length > 0 && entries;
      },
      { description: 'activity for the deleted task' },
    );
    expect(activity[0]).toMatchObject({ entityKind: 'task', action: 'skipped', reason: expect.any(String) });
    await pipeline.forecast.faults({ failingObjects: { ids: [] } });
  });
});
