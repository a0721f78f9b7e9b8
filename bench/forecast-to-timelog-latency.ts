// Forecast change -> TimeLog write latency at a steady rate, the pipeline's overhead over the bare API calls it
// must make, CPU per synced registration and each app's peak RSS. Prints figures; asserts nothing (machines are
// shared and noisy). Needs a broker and PostgreSQL (as for `npm test`):
// node -r ./tools/register.js bench/forecast-to-timelog-latency.ts [rate] [seconds]
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTimeLogClient } from '@timelog-sync/timelog-client';
import { createForecastClient } from '@timelog-sync/forecast-client';
import { countApiCalls, httpJson, peakRssLines, percentile, PIPELINE_SERVICES, pollUntil, runBench, sampleApps, seedDemoCompany, startBenchSystem } from '@timelog-sync/testing';
import { bareBatchedSeconds } from './bare-calls';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 10);
const total = rate * seconds;
const OUR_SERVICES: readonly string[] = PIPELINE_SERVICES.slice(0, 4);
const isOurs = (entry: { app: string }) => OUR_SERVICES.includes(entry.app);
/** Long enough to catch every periodic loop of the services a few times. */
const IDLE_SAMPLE_SECONDS = 10;

async function main() {
  // No simulator data files: they rewrite the whole state after every change, which would dominate the run.
  const { system, databaseUrl, operatorToken } = await startBenchSystem({
    name: 'latency', portBase: 29000,
    env: { all: { SAFETY_POLL_INTERVAL_SECONDS: '3600', FORECAST_SIM_DATA_FILE: '', TIMELOG_SIM_DATA_FILE: '' } },
  });
  const db = new Client({ connectionString: databaseUrl });
  try {
    const demo = await seedDemoCompany({ forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken }, 'bench');
    const forecastUrl = `${system.url('forecast-simulator')}/_sim/companies/bench`;
    const task = await httpJson('POST', `${forecastUrl}/tasks?personId=${demo.people.ann}`, { project_id: demo.forecastProjectId, title: 'Bench', assigned_persons: [demo.people.ann] });
    await db.connect();
    await pollUntil(async () => (await db.query(`SELECT 1 FROM entity_link WHERE kind = 'task' AND forecast_id = $1`, [task.id])).rowCount, { description: 'task synced', timeoutMs: 60_000 });

    const apiCalls = await countApiCalls(system, { forecastCompany: demo.companyId, timelogAccount: demo.timelogAccount });
    const usage = sampleApps(system);
    const sentAt = new Map<number, number>();
    let failedPosts = 0;
    const posts: Promise<unknown>[] = [];
    const started = Date.now();
    for (let i = 0; i < total; i += 1) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const postedAt = Date.now();
      posts.push(
        httpJson('POST', `${forecastUrl}/time_registrations?personId=${demo.people.ann}`, { person: demo.people.ann, task: task.id, time_registered: 1 + (i % 600), date: '2026-11-02', notes: `bench ${i}` })
          .then((registration) => sentAt.set(registration.id, postedAt))
          .catch(() => (failedPosts += 1)),
      );
    }
    const offered = (total / ((Date.now() - started) / 1000)).toFixed(0);
    await Promise.all(posts);
    const created = total - failedPosts;
    await pollUntil(async () => Number((await db.query(`SELECT count(*) FROM sync_action WHERE action = 'created' AND entity_kind = 'time-registration'`)).rows[0].count) >= created, {
      description: 'all registrations written to TimeLog', timeoutMs: 600_000, intervalMs: 250,
    });
    const finished = Date.now();
    const used = usage.stop();
    const callLines = await apiCalls(created);
    // What the warmed-up services spend with nothing to do (relay and claim loops, heartbeats, scans): the fixed
    // cost, told apart from the cost of each change below.
    const idle = sampleApps(system);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_SECONDS * 1000));
    const idleUsed = idle.stop().filter(isOurs);
    const rows = (await db.query(`SELECT forecast_id, occurred_at FROM sync_action WHERE action = 'created' AND entity_kind = 'time-registration'`)).rows;
    const latencies = rows.map((row) => row.occurred_at.getTime() - (sentAt.get(Number(row.forecast_id)) ?? row.occurred_at.getTime())).sort((a, b) => a - b);
    const pipelineSeconds = (finished - started) / 1000;
    // Sustained: registrations written per second from the first to the last write (start-up of the run excluded).
    const writeTimes = rows.map((row) => row.occurred_at.getTime()).sort((a, b) => a - b);
    const sustained = created / Math.max(0.001, (writeTimes[writeTimes.length - 1] - writeTimes[0]) / 1000);

    const forecast = createForecastClient({ baseUrl: system.url('forecast-simulator'), apiKey: demo.forecastApiKey });
    const timelog = createTimeLogClient(demo.activation.timelog);
    const { seconds: bareSeconds } = await bareBatchedSeconds(system, demo, '2026-11-01');
    // As the issue measured it: one Forecast read and one single-item InsertWork per change, 6 in parallel, on a sample.
    const sample = [...sentAt.keys()].slice(0, 200);
    const perChangeStarted = Date.now();
    await Promise.all(
      Array.from({ length: 6 }, async (_, worker) => {
        for (let i = worker; i < sample.length; i += 6) {
          await forecast.getTimeRegistration(sample[i]);
          await timelog.insertWork([{ guid: randomUUID(), taskId: 900, employeeInitials: 'AD', startDateTime: '2026-11-03T00:00:00', minutes: 5, description: 'bare' }]);
        }
      }),
    );
    const perChangeSeconds = ((Date.now() - perChangeStarted) / 1000) * (created / Math.max(1, sample.length));
    const cpuTotal = used.filter(isOurs).reduce((sum, entry) => sum + entry.cpuSeconds, 0);

    process.stdout.write(
      [
        `offered rate          ${offered}/s for ${seconds}s (${total} registrations, ${failedPosts} refused by the simulator)`,
        `latency p50 / p99     ${percentile(latencies, 50)} ms / ${percentile(latencies, 99)} ms   (target p99 < 1000 ms at 200/s)`,
        `pipeline throughput   ${(created / pipelineSeconds).toFixed(0)}/s over ${pipelineSeconds.toFixed(1)} s; sustained ${sustained.toFixed(0)}/s first to last write`,
        `bare API calls        ${bareSeconds.toFixed(2)} s for the same ${created} changes (list pages of 1,000 + InsertWork of 500)`,
        `bare per-change calls ${perChangeSeconds.toFixed(1)} s for the same changes (GET + single InsertWork each, 6 in parallel)`,
        `pipeline / bare       ${(pipelineSeconds / perChangeSeconds).toFixed(2)}x per-change, ${(pipelineSeconds / Math.max(bareSeconds, 0.001)).toFixed(1)}x batched (target <= 1.5x; the pipeline is offered-rate bound when it keeps up)`,
        `CPU per registration  ${((cpuTotal * 1000) / created).toFixed(2)} ms over our four services (target <= 2 ms): ${used.filter(isOurs).map((e) => `${e.app} ${((e.cpuSeconds * 1000) / created).toFixed(2)}`).join(', ')}`,
        `idle CPU              ${idleUsed.map((e) => `${e.app} ${((e.cpuSeconds * 1000) / IDLE_SAMPLE_SECONDS).toFixed(0)}`).join(', ')} ms per second with nothing to do; per registration net of that: ${(((cpuTotal - (idleUsed.reduce((sum, e) => sum + e.cpuSeconds, 0) / IDLE_SAMPLE_SECONDS) * pipelineSeconds) * 1000) / created).toFixed(2)} ms`,
        `CPU simulators        ${used.filter((e) => !isOurs(e)).map((e) => `${e.app} ${e.cpuSeconds.toFixed(1)} s`).join(', ')}`,
        ...callLines,
        ...peakRssLines(used),
      ].join('\n') + '\n',
    );
  } finally {
    await db.end().catch(() => undefined);
    await system.stop();
  }
}

runBench(main);
