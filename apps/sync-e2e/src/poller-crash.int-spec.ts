import { Client } from 'pg';
import { httpJson, pollUntil, TIMELOG_ONLY_TASK_ID } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

const today = () => new Date().toISOString().slice(0, 10);
const CHANGES = 600; // more than one 500-row change-log page

describe('TimeLog poller killed (SIGKILL) between two change-log pages', () => {
  let pipeline: Pipeline;
  let db: Client;

  beforeAll(async () => {
    pipeline = await startPipeline(26500);
    db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await pipeline?.system.stop();
  });

  const emitted = async () => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS events, count(DISTINCT message_key)::int AS works FROM outbox_message WHERE topic = 'timelog.work.changed.v1' AND headers->>'tenant-id' = $1`,
      [pipeline.demo.companyId],
    );
    return rows[0] as { events: number; works: number };
  };
  const pollNow = () =>
    httpJson('POST', `${pipeline.system.url('timelog-poller')}/companies/${pipeline.demo.companyId}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });

  it('resumes after the restart with every change emitted exactly once', async () => {
    const { timelog, system } = pipeline;
    const site = `${system.url('timelog-simulator')}/_sim/sites/${timelog.account}`;
    // Carl is not linked, so the writer only judges these; the poller's output is what is measured.
    for (let i = 0; i < CHANGES; i += 1) {
      await timelog.registerWork({ initials: 'CD', taskId: TIMELOG_ONLY_TASK_ID, date: today(), minutes: 1 + (i % 60), description: `change ${i}` });
    }
    // Each change-log page now takes 6 s to answer: the second page is still on its way when the poller dies.
    await httpJson('PUT', `${site}/faults`, { latencyMs: 6000, operation: 'GetWorkChangeLogPaged' });
    await pollNow();
    const afterFirstPage = await pollUntil(async () => {
      const now = await emitted();
      return now.works >= 500 ? now : undefined;
    }, { description: 'first page committed', timeoutMs: 60_000, intervalMs: 200 });
    await system.kill('timelog-poller');
    expect(afterFirstPage.works).toBeLessThan(CHANGES);

    await httpJson('DELETE', `${site}/faults`);
    await system.startService('timelog-poller');
    await pollNow();
    const final = await pollUntil(async () => {
      const now = await emitted();
      return now.works === CHANGES ? now : undefined;
    }, { description: 'every change emitted after the restart', timeoutMs: 90_000 });
    expect(final.events).toBe(CHANGES);
  }, 300_000);
});
