// Company B's Forecast -> TimeLog latency while company A is healthy, then while A's Forecast answers 429
// (Retry-After 60) and A's TimeLog takes 20 s per call; A keeps making changes throughout. Also how often the
// consumers re-joined their groups, and how long A's changes took to arrive once A recovered.
// Prints figures; asserts nothing (machines are shared and noisy).
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/slow-tenant.ts [seconds per phase]
import { percentile } from '@timelog-sync/testing';
import { startPipeline } from '../apps/sync-e2e/src/pipeline-fixture';
import { consumerGroupJoins, makeVendorsStruggle, recoverVendors, registerTime, registrationLatency, Tenant, tenantOf, workArrives } from '../apps/sync-e2e/src/tenants';

const seconds = Number(process.argv[2] ?? 40);

/** B syncs one registration after another for the phase while A registers one a second; B's latencies, sorted. */
async function phase(a: Tenant, b: Tenant, name: string, aRegistrations: number[]): Promise<number[]> {
  const ends = Date.now() + seconds * 1000;
  const aTraffic = (async () => {
    for (let index = 0; Date.now() < ends; index++) {
      aRegistrations.push(await registerTime(a, 5, `A ${name} ${index}`));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const latencies: number[] = [];
  for (let index = 0; Date.now() < ends; index++) latencies.push(await registrationLatency(b, `B ${name} ${index}`, 120_000));
  await aTraffic;
  return latencies.sort((x, y) => x - y);
}

const describe = (latencies: number[]) =>
  `n=${latencies.length}  p50 ${percentile(latencies, 50)} ms  p90 ${percentile(latencies, 90)} ms  max ${latencies[latencies.length - 1]} ms`;

async function main() {
  const pipeline = await startPipeline(31600, { LOG_LEVEL: 'warn' });
  try {
    const [a, b] = await Promise.all([tenantOf(pipeline), tenantOf(pipeline, 'benchb')]);
    const joins = async () => (await consumerGroupJoins(pipeline, 'sync-writer')) + (await consumerGroupJoins(pipeline, 'forecast-ingestor'));
    const joinsBefore = await joins();
    const aRegistrations: number[] = [];

    const healthy = await phase(a, b, 'healthy', aRegistrations);
    await makeVendorsStruggle(a);
    const struggling = await phase(a, b, 'struggling', aRegistrations);
    const joinsAfter = await joins();

    await recoverVendors(a);
    const recovered = Date.now();
    for (const registration of aRegistrations) await workArrives(a, registration, 300_000);
    const allOfA = (Date.now() - recovered) / 1000;

    process.stdout.write(
      [
        `B latency, A healthy        ${describe(healthy)}`,
        `B latency, A struggling     ${describe(struggling)}   (A: Forecast 429 Retry-After 60, TimeLog 20 s per call)`,
        `consumer group re-joins     ${joinsAfter - joinsBefore} (writer + ingestor, during both phases)`,
        `A's ${aRegistrations.length} changes in TimeLog  ${allOfA.toFixed(1)} s after A recovered (Retry-After and pauses honoured first)`,
      ].join('\n') + '\n',
    );
  } finally {
    await pipeline.system.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
