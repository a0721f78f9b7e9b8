import { readFileSync } from 'node:fs';
import { Partitioners, PartitionMetadata } from 'kafkajs';
import { Client } from 'pg';
import { KEYS, TOPIC_SPECS, TOPICS } from '@timelog-sync/contracts';
import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { DemoCompany, httpJson, pollUntil, seedDemoCompany, uniqueSuffix } from '@timelog-sync/testing';
import { ForecastUser, OPERATOR_TOKEN, Pipeline, startPipeline, TimeLogSite } from './pipeline-fixture';

const PORT_BASE = 30000;
/** The batch window's writer waits for three units or this long (below the consumer's 6 s session timeout). */
const BATCH_LINGER_MS = 4000;
const SHAPES = ['per-item', 'envelope'] as const;
type Shape = (typeof SHAPES)[number];

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const today = () => daysAgo(0);

const REGISTRATION_PARTITIONS = TOPIC_SPECS.find((spec) => spec.name === TOPICS.forecastTimeRegistrationChanged)!.partitions;
const partitioner = Partitioners.DefaultPartitioner();
/** The partition the outbox relay's producer (kafkajs default partitioner) puts a key on. */
const partitionOf = (key: string) =>
  partitioner({
    topic: TOPICS.forecastTimeRegistrationChanged,
    partitionMetadata: Array.from({ length: REGISTRATION_PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 0 }) as PartitionMetadata),
    message: { key, value: null },
  });

/** A company whose TimeLog site refuses in one shape, as its admin and its people see it. */
class RefusalCompany {
  /** The last id the Forecast simulator gave out: ids are one sequence, so the next is predictable. */
  lastForecastId = 0;

  private constructor(
    private readonly pipeline: Pipeline,
    readonly demo: DemoCompany,
    readonly forecast: ForecastUser,
    readonly timelog: TimeLogSite,
  ) {}

  static async seed(pipeline: Pipeline, shape: Shape): Promise<RefusalCompany> {
    const { system } = pipeline;
    const demo = await seedDemoCompany(
      { forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken: OPERATOR_TOKEN },
      `refusal${shape === 'envelope' ? 'e' : 'p'}${uniqueSuffix()}`,
    );
    const company = new RefusalCompany(pipeline, demo, new ForecastUser(system.url('forecast-simulator'), demo.companyId), new TimeLogSite(system.url('timelog-simulator'), demo.timelogAccount));
    await company.timelogControl('/refusal-shape', { refusalShape: shape });
    return company;
  }

  admin() {
    return { authorization: `Bearer ${this.demo.adminKey}` };
  }

  timelogControl(path: string, body: unknown, method = 'PUT') {
    return httpJson(method, `${this.pipeline.system.url('timelog-simulator')}/_sim/sites/${this.demo.timelogAccount}${path}`, body);
  }

  async workFor(guid: string): Promise<any[]> {
    return (await this.timelog.work()).filter((unit) => unit.guid.toLowerCase() === guid);
  }

  async parkedFor(registrationId: number) {
    const parked: any[] = await httpJson('GET', `${this.pipeline.system.url('mapping-service')}/companies/${this.demo.companyId}/parked`, undefined, this.admin());
    return parked.find((entry) => entry.key === KEYS.timeRegistration(this.demo.companyId, registrationId));
  }

  activityFor(registrationId: number): Promise<any[]> {
    return httpJson('GET', `${this.pipeline.system.url('mapping-service')}/companies/${this.demo.companyId}/activity?forecastId=${registrationId}`, undefined, this.admin());
  }

  async register(personId: number, fields: Record<string, unknown>) {
    const registration = await this.forecast.register(personId, { date: today(), time_registered: 30, ...fields });
    this.lastForecastId = registration.id;
    return { ...registration, guid: deterministicWorkGuid(this.demo.companyId, registration.id) };
  }

  /** A project-level registration: the writer skips it (no TimeLog task), it only takes the next id. */
  takeAnId() {
    return this.register(this.demo.people.ann, { project: this.demo.forecastProjectId, time_registered: 5, notes: 'takes an id' });
  }

  async syncedTask(title: string, assignees: number[]) {
    const task = await this.forecast.createTask(assignees[0], { project_id: this.demo.forecastProjectId, title, assigned_persons: assignees });
    this.lastForecastId = task.id;
    const timelogTask = await pollUntil(
      async () => (await this.timelog.tasks()).find((candidate) => candidate.externalKeys.some((key: { externalId: string }) => key.externalId === taskExternalKey(task.id))),
      { description: `TimeLog task ${title}`, timeoutMs: 30_000 },
    );
    return { task, timelogTask };
  }
}

/**
 * Every recovery path of the writer against both ways TimeLog refuses a batch (timelog-api.md §4): per-item
 * containers, and the whole envelope Invalid with an empty Return. Each shape runs on its own company and TimeLog
 * site (the simulator's per-site `refusalShape`), through the real pipeline.
 */
describe('TimeLog refusals in both shapes (all services as processes, real Kafka and PostgreSQL, both simulators)', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline(PORT_BASE, { TIMELOG_CLOSED_WEEK_RETRY_SECONDS: '3' });
    // Only Forecast -> TimeLog is under test: work the tests plant in TimeLog must not be synced back meanwhile.
    await pipeline.system.kill('timelog-poller');
  });
  afterAll(async () => {
    await pipeline?.system.stop();
  });

  /** One company and TimeLog site per refusal shape, seeded on first use and shared by both groups of tests. */
  const companies = new Map<Shape, Promise<RefusalCompany>>();
  const companyFor = (shape: Shape) => {
    if (!companies.has(shape)) companies.set(shape, RefusalCompany.seed(pipeline, shape));
    return companies.get(shape)!;
  };

  describe.each(SHAPES)('refused %s', (shape) => {
    let company: RefusalCompany;
    let demo: DemoCompany;
    let timelog: TimeLogSite;
    beforeAll(async () => {
      company = await companyFor(shape);
      ({ demo, timelog } = company);
    });
    const mapping = () => pipeline.system.url('mapping-service');

    it('updates work that already exists under the registration GUID (an earlier attempt got through)', async () => {
      const { task, timelogTask } = await company.syncedTask('Exists already', [demo.people.ann]);
      const ann = demo.timelogEmployees.ann.employeeId;
      await pollUntil(async () => (await timelog.allocations()).some((allocation) => allocation.taskId === timelogTask.taskId && allocation.employeeId === ann), { description: 'Ann allocated' });
      const registrationId = company.lastForecastId + 1;
      const guid = deterministicWorkGuid(demo.companyId, registrationId);
      await company.timelogControl('/work', { initials: 'AD', taskId: timelogTask.taskId, date: today(), minutes: 10, description: 'earlier attempt', guid }, 'POST');

      const registration = await company.register(demo.people.ann, { task: task.id, time_registered: 75, notes: 'the real content' });
      expect(registration.id).toBe(registrationId);
      await pollUntil(async () => (await company.workFor(guid)).find((unit) => unit.minutes === 75 && unit.description === 'the real content'), { description: 'existing work updated', timeoutMs: 30_000 });
      expect(await company.workFor(guid)).toHaveLength(1);
      // The work is in TimeLog before the writer commits its audit row (the chunk's other handlers may still run).
      const created = await pollUntil(async () => (await company.activityFor(registration.id)).find((row) => row.action === 'created'), { description: 'created in the activity log' });
      expect(created?.reason).toMatch(new RegExp(`^TimeLog refused ${shape === 'envelope' ? 'the whole call \\(envelope ' : 'the item \\('}Invalid 10008\\): Work unit .* already exists; updated instead$`));
    });

    it('allocates a linked person who is not allocated to the task, then writes the work', async () => {
      const { task, timelogTask } = await company.syncedTask('Ann only', [demo.people.ann]);
      const registration = await company.register(demo.people.bob, { task: task.id, time_registered: 40, notes: 'Bob helps out' });
      const [unit] = await pollUntil(async () => (await company.workFor(registration.guid)).length === 1 && company.workFor(registration.guid), { description: 'work after allocating Bob', timeoutMs: 30_000 });
      expect(unit).toMatchObject({ minutes: 40, initials: 'BD' });
      expect((await timelog.allocations()).some((allocation) => allocation.taskId === timelogTask.taskId && allocation.employeeId === demo.timelogEmployees.bob.employeeId)).toBe(true);
      // The work is in TimeLog before the writer commits its audit row (the chunk's other handlers may still run).
      const created = await pollUntil(async () => (await company.activityFor(registration.id)).find((row) => row.action === 'created'), { description: 'created in the activity log' });
      expect(created?.reason).toContain(`${shape === 'envelope' ? 'the whole call (envelope ' : 'the item ('}Invalid 10005): Employee BD is not allocated to task ${timelogTask.taskId}; allocated, then inserted`);
    });

    it('parks work for a closed week with the reason, and writes it once the week opens', async () => {
      const { task } = await company.syncedTask('Closed week', [demo.people.ann]);
      const closedDay = daysAgo(14);
      await company.timelogControl('/closed-weeks', { initials: 'AD', date: closedDay, closed: true });
      const registration = await company.register(demo.people.ann, { task: task.id, date: closedDay, time_registered: 50, notes: 'late entry' });
      const parked = await pollUntil(() => company.parkedFor(registration.id), { description: 'parked for the closed week', timeoutMs: 30_000 });
      expect(parked).toMatchObject({ reasonCode: 'closed-week', reason: expect.stringContaining(shape === 'envelope' ? 'the whole call (envelope Invalid 10006)' : 'the item (Invalid 10006)') });
      expect(await company.workFor(registration.guid)).toHaveLength(0);

      await company.timelogControl('/closed-weeks', { initials: 'AD', date: closedDay, closed: false });
      const [unit] = await pollUntil(async () => (await company.workFor(registration.guid)).length === 1 && company.workFor(registration.guid), { description: 'work once the week opened', timeoutMs: 30_000 });
      expect(unit).toMatchObject({ minutes: 50, description: 'late entry' });
    });

    it('parks work for initials TimeLog no longer knows, with the reason, until the link is corrected', async () => {
      const { task } = await company.syncedTask('Renamed', [demo.people.carl]);
      await httpJson('PUT', `${mapping()}/companies/${demo.companyId}/people/${demo.people.carl}/link`, { timelogInitials: 'CD' }, company.admin());
      await company.timelogControl(`/employees/${demo.timelogEmployees.carl.employeeId}`, { initials: 'CX' }, 'PATCH');
      const registration = await company.register(demo.people.carl, { task: task.id, time_registered: 20, notes: 'by Carl' });
      const parked = await pollUntil(() => company.parkedFor(registration.id), { description: 'parked for unknown initials', timeoutMs: 30_000 });
      expect(parked).toMatchObject({ reasonCode: 'timelog-validation', waitingFor: `user:${demo.people.carl}`, reason: expect.stringContaining("Employee 'CD' was not found") });
      expect(parked.reason).toContain(shape === 'envelope' ? 'the whole call (envelope' : 'the item (');

      await httpJson('PUT', `${mapping()}/companies/${demo.companyId}/people/${demo.people.carl}/link`, { timelogInitials: 'CX' }, company.admin());
      const [unit] = await pollUntil(async () => (await company.workFor(registration.guid)).length === 1 && company.workFor(registration.guid), { description: 'work after the link was corrected', timeoutMs: 30_000 });
      expect(unit).toMatchObject({ minutes: 20, initials: 'CX' });
    });

  });

  // Last: the writer restarted here waits for three units (or the linger) before each InsertWork.
  describe.each(SHAPES)('a 3-unit InsertWork refused %s', (shape) => {
    let company: RefusalCompany;
    let demo: DemoCompany;
    beforeAll(async () => {
      company = await companyFor(shape);
      ({ demo } = company);
    });

    it('writes the two good units of a 3-unit InsertWork and parks only the one TimeLog refused', async () => {
      const { system } = pipeline;
      const { task } = await company.syncedTask('Batch of three', [demo.people.ann, demo.people.bob]);
      // The task's pair (and both allocations) committed, so nothing waits for the task after the restart.
      await pollUntil(async () => (await company.activityFor(task.id)).some((row) => row.action === 'created'), { description: 'task pair committed', timeoutMs: 30_000 });
      const closedDay = daysAgo(21);
      await company.timelogControl('/closed-weeks', { initials: 'BD', date: closedDay, closed: true });

      // With the writer down the three registrations queue up; each on its own partition, so the restarted writer
      // handles them at the same time and they share one InsertWork call.
      await system.kill('sync-writer');
      const wanted = [
        { personId: demo.people.ann, date: today(), notes: 'good one' },
        { personId: demo.people.bob, date: closedDay, notes: 'bad one' },
        { personId: demo.people.ann, date: today(), notes: 'good two' },
      ];
      const used = new Set<number>();
      const created: Awaited<ReturnType<RefusalCompany['register']>>[] = [];
      for (const { personId, ...fields } of wanted) {
        while (used.has(partitionOf(KEYS.timeRegistration(demo.companyId, company.lastForecastId + 1)))) await company.takeAnId();
        const expectedId = company.lastForecastId + 1;
        const registration = await company.register(personId, { task: task.id, time_registered: 33, ...fields });
        expect(registration.id).toBe(expectedId);
        used.add(partitionOf(KEYS.timeRegistration(demo.companyId, registration.id)));
        created.push(registration);
      }
      await untilPublished(created.map((registration) => KEYS.timeRegistration(demo.companyId, registration.id)));
      await system.startService('sync-writer', { TIMELOG_WORK_BATCH_LINGER_MS: String(BATCH_LINGER_MS), TIMELOG_WORK_BATCH_MAX_ITEMS: '3' });

      const [good, bad, goodTwo] = created;
      for (const registration of [good, goodTwo]) {
        await pollUntil(async () => (await company.workFor(registration.guid)).length === 1, { description: `${registration.notes} written`, timeoutMs: 60_000 });
      }
      // The audit rows, not the parked list: a closed week is retried every few seconds, so the entry comes and goes.
      const parked = await pollUntil(async () => (await company.activityFor(bad.id)).find((row) => row.action === 'parked'), { description: 'the refused unit parked', timeoutMs: 30_000 });
      expect(parked.reason).toContain(`${shape === 'envelope' ? 'the whole call (envelope ' : 'the item ('}Invalid 10006)`);
      expect(await company.workFor(bad.guid)).toHaveLength(0);
      for (const registration of [good, goodTwo]) expect((await company.activityFor(registration.id)).map((row) => row.action)).not.toContain('parked');

      // The writer's spans show the one call with all three units, and how TimeLog refused it.
      const spans = () => readFileSync(system.spanFile('sync-writer'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      const batchCall = await pollUntil(() => spans().find((span) => span.name === 'insert work batch' && span.attributes?.['company_id'] === demo.companyId && span.attributes?.['timelog.batch_size'] === 3), {
        description: 'one InsertWork batch of three',
      });
      const calls = spans().filter((span) => span.name === 'timelog InsertWork' && span.traceId === batchCall.traceId);
      expect(calls[0].attributes).toMatchObject({ 'timelog.refusal_shape': shape, 'timelog.refused_items': shape === 'envelope' ? 3 : 1 });
      if (shape === 'envelope') expect(calls.length).toBeGreaterThan(1);
      else expect(calls).toHaveLength(1);

      // Its week opens: the parked unit is written too (and stops being retried while the next batch is tested).
      await company.timelogControl('/closed-weeks', { initials: 'BD', date: closedDay, closed: false });
      await pollUntil(async () => (await company.workFor(bad.guid)).length === 1, { description: 'the refused unit written once its week opened', timeoutMs: 30_000 });
    }, 180_000);

  });

    /** Waits for the ingestor to have published these keys, so the writer finds them all when it starts. */
  async function untilPublished(keys: string[]) {
    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      await pollUntil(
        async () => (await db.query(`SELECT count(DISTINCT message_key)::int AS n FROM outbox_message WHERE message_key = ANY($1) AND published_at IS NOT NULL`, [keys])).rows[0].n === keys.length,
        { description: 'registration events published', timeoutMs: 30_000 },
      );
    } finally {
      await db.end();
    }
  }
});
