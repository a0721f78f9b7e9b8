import { deterministicWorkGuid } from '@timelog-sync/domain';
import { Client } from 'pg';
import { httpJson, pollUntil } from '@timelog-sync/testing';
import { Pipeline, startPipeline } from './pipeline-fixture';

const REGISTRATIONS = 1200;
const LEASE_SECONDS = 3;

describe("an admin's backfill from a date of a linked project (writer as a process, real Kafka and PostgreSQL, both simulators)", () => {
  let pipeline: Pipeline;
  let db: Client;
  const admin = () => ({ authorization: `Bearer ${pipeline.demo.adminKey}` });
  const mapping = () => `${pipeline.system.url('mapping-service')}/companies/${pipeline.demo.companyId}`;
  const forecastControl = () => `${pipeline.system.url('forecast-simulator')}/_sim/companies/${pipeline.demo.companyId}`;

  beforeAll(async () => {
    pipeline = await startPipeline(31800, { BACKFILL_SCAN_SECONDS: '1', BACKFILL_LEASE_SECONDS: String(LEASE_SECONDS) });
    db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await pipeline?.system.stop();
  });

  it('pages Forecast, writes every registration from the date to TimeLog once, reports its progress and resumes at its page after the writer is killed', async () => {
    const { demo, forecast, timelog } = pipeline;
    const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'History', assigned_persons: [demo.people.ann] });
    await pollUntil(async () => (await db.query(`SELECT 1 FROM entity_link WHERE company_id = $1 AND kind = 'task' AND forecast_id = $2`, [demo.companyId, task.id])).rowCount, { description: 'task synced' });
    // Pages of 300 (the simulator's cap): several checkpoints in a small run.
    await httpJson('PUT', `${forecastControl()}/settings`, { maxPageSize: 300 });
    const created: { id: number; date: string }[] = [];
    for (let start = 0; start < REGISTRATIONS; start += 400) {
      const batch = Array.from({ length: 400 }, (_, i) => ({ person: demo.people.ann, task: task.id, time_registered: 1 + ((start + i) % 300), date: `2026-0${1 + ((start + i) % 9)}-15`, notes: `history ${start + i}` }));
      const { firstId } = await httpJson('POST', `${forecastControl()}/time_registrations/history?personId=${demo.people.ann}`, { registrations: batch });
      batch.forEach((registration, i) => created.push({ id: firstId + i, date: registration.date }));
    }
    const wanted = created.filter((registration) => registration.date >= '2026-03-01');
    const pageReads = async () => {
      const { counts } = (await forecast.calls()) as unknown as { counts: Record<string, number> };
      return Object.entries(counts).filter(([endpoint]) => endpoint.includes('date_after')).reduce((sum, [, count]) => sum + count, 0);
    };
    // The link made at seeding asked for its own (then empty) backfill: only this run's reads count.
    const readsBefore = await pageReads();

    expect((await httpJson('POST', `${mapping()}/projects/999999/backfill`, { from: '2026-03-01' }, admin()).catch((error) => error)).status).toBe(404);
    const run = await httpJson('POST', `${mapping()}/projects/${demo.forecastProjectId}/backfill`, { from: '2026-03-01' }, admin());
    expect(run).toMatchObject({ status: 'running', forecastProjectId: demo.forecastProjectId, since: '2026-03-01' });
    expect((await httpJson('POST', `${mapping()}/projects/${demo.forecastProjectId}/backfill`, { from: '2026-03-01' }, admin()).catch((error) => error)).status).toBe(409);

    // Killed once its first page is committed and before its last: the next writer resumes at the checkpoint.
    await pollUntil(async () => (await httpJson('GET', `${mapping()}/backfills/${run.id}`, undefined, admin())).pagesRead >= 1, { description: 'first page checkpointed', timeoutMs: 60_000, intervalMs: 100 });
    await pipeline.system.kill('sync-writer');
    const atKill = await httpJson('GET', `${mapping()}/backfills/${run.id}`, undefined, admin());
    await pipeline.system.startService('sync-writer');

    const finished = await pollUntil(
      async () => {
        const progress = await httpJson('GET', `${mapping()}/backfills/${run.id}`, undefined, admin());
        return progress.status === 'done' && progress.done === progress.total && progress;
      },
      { description: 'backfill done', timeoutMs: 180_000, intervalMs: 500 },
    );
    expect(finished).toMatchObject({ total: wanted.length, done: wanted.length, failed: 0, pagesRead: Math.ceil(REGISTRATIONS / 300), etaSeconds: 0 });
    // The pages checkpointed before the kill were not read again: one read per page, plus the two in flight when it
    // died (the page being written and the next, read ahead).
    const reads = (await pageReads()) - readsBefore;
    expect(reads).toBeGreaterThanOrEqual(Math.ceil(REGISTRATIONS / 300));
    expect(reads).toBeLessThanOrEqual(Math.ceil(REGISTRATIONS / 300) + 2);
    expect(atKill.pagesRead).toBeGreaterThanOrEqual(1);

    const work = await timelog.work();
    const guids = new Set<string>(wanted.map((registration) => deterministicWorkGuid(demo.companyId, registration.id)));
    const backfilled = work.filter((unit: { guid: string }) => guids.has(unit.guid.toLowerCase()));
    expect(backfilled).toHaveLength(wanted.length);
    // Nothing dated before the backfill's date went to TimeLog.
    const early = new Set<string>(created.filter((registration) => registration.date < '2026-03-01').map((registration) => deterministicWorkGuid(demo.companyId, registration.id)));
    expect(work.filter((unit: { guid: string }) => early.has(unit.guid.toLowerCase()))).toEqual([]);
    const list = await httpJson('GET', `${mapping()}/backfills`, undefined, admin());
    expect(list.map((entry: { id: string }) => entry.id)).toEqual([run.id]);
  });
});
