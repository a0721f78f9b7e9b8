import { KEYS } from '@timelog-sync/contracts';
import { httpJson, pollUntil } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';
import { consumerGroupJoins, makeVendorsStruggle, parkedEvents, recoverVendors, registerTime, Tenant, tenantOf, workArrives } from './tenants';

const today = () => new Date().toISOString().slice(0, 10);

describe('One company whose Forecast rate-limits it and whose TimeLog is slow holds up no other company', () => {
  let pipeline: Pipeline;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    pipeline = await startPipeline(31500);
    [a, b] = await Promise.all([tenantOf(pipeline), tenantOf(pipeline, 'e2eb')]);
  });

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  const joins = async () => ({ writer: await consumerGroupJoins(pipeline, 'sync-writer'), ingestor: await consumerGroupJoins(pipeline, 'forecast-ingestor') });

  it("syncs B's changes both ways while A struggles, without a consumer-group rebalance, and A's changes once A recovers", async () => {
    const joinsBefore = await joins();
    expect(joinsBefore.writer).toBeGreaterThanOrEqual(1);

    // A's TimeLog takes 20 s per call: the writer gives up after its short timeout and parks A's change for later.
    await makeVendorsStruggle(a, { timelog: true });
    const aFirst = await registerTime(a, 45, 'A while TimeLog is slow');
    await pollUntil(async () => (await parkedEvents(pipeline, a)).find((parked) => parked.key === KEYS.timeRegistration(a.demo.companyId, aFirst)), {
      description: "A's change parked by the writer",
      timeoutMs: 30_000,
    });
    // And A's Forecast now answers 429 with Retry-After 20: the ingestor leaves A's webhooks until then.
    await makeVendorsStruggle(a, { forecast: true });
    const aSecond = await registerTime(a, 50, 'A while Forecast rate-limits');

    // Meanwhile B's changes sync, Forecast => TimeLog ...
    for (let index = 0; index < 3; index++) await workArrives(b, await registerTime(b, 10 + index, `B ${index} beside a slow A`));
    // ... and TimeLog => Forecast.
    await b.timelog.registerWork({ initials: 'AD', taskId: b.timelogTaskId, date: today(), minutes: 25, description: 'B in TimeLog beside a slow A' });
    await httpJson('POST', `${pipeline.system.url('timelog-poller')}/companies/${b.demo.companyId}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    await pollUntil(async () => (await b.forecast.registrations()).some((registration) => registration.notes === 'B in TimeLog beside a slow A'), {
      description: "B's TimeLog work in Forecast",
      timeoutMs: 30_000,
    });
    expect((await a.timelog.work()).map((work) => work.description)).not.toContain('A while TimeLog is slow');

    // A recovers: nothing of A's was lost (the Retry-After of 20 s is honoured first).
    await recoverVendors(a);
    await workArrives(a, aFirst, 120_000);
    await workArrives(a, aSecond, 120_000);
    expect(await joins()).toEqual(joinsBefore);
  });
});
