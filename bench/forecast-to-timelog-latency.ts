// Forecast change -> TimeLog write latency at a steady rate, the pipeline's overhead over the bare API calls it
// must make, and each app's peak RSS. Prints figures; asserts nothing (machines are shared and noisy).
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/forecast-to-timelog-latency.ts [rate] [seconds]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { createTimeLogClient } from '@timelog-sync/timelog-client';
import { createForecastClient } from '@timelog-sync/forecast-client';
import { buildApps, httpJson, PIPELINE_SERVICES, pollUntil, RunningSystem, rssMb, seedDemoCompany, testDatabaseUrl, testEnvironment } from '@timelog-sync/testing';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 10);
const total = rate * seconds;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
};

async function main() {
  buildApps();
  const databaseUrl = testDatabaseUrl('timelog_sync_test_bench');
  await recreateTestDatabase(databaseUrl);
  const operatorToken = 'bench-operator-token';
  const system = await RunningSystem.start({
    databaseUrl, kafkaBrokers: testEnvironment.kafkaBrokers, kafkaNamespace: `bench-${Date.now()}`, portBase: 29000,
    outputDir: mkdtempSync(join(tmpdir(), 'timelog-sync-bench-')), operatorToken, credentialKeys: `1:${randomBytes(32).toString('base64')}`,
    // BENCH_PROFILE=<app> writes a V8 CPU profile of that app to /tmp/bench-prof when it stops;
    // BENCH_NODE_ARGS (space-separated) go to every app, e.g. heap limits.
    nodeArgs: Object.fromEntries(
      PIPELINE_SERVICES.map((service) => [
        service,
        [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(process.env.BENCH_PROFILE === service ? ['--cpu-prof', '--cpu-prof-dir=/tmp/bench-prof'] : [])],
      ]),
    ),
    env: {
      // No simulator data files: they rewrite the whole state after every change, which would dominate the run.
      all: { OTEL_TRACES_EXPORTER: process.env.BENCH_TRACES ?? 'none', LOG_LEVEL: 'warn', SAFETY_POLL_INTERVAL_SECONDS: '3600', FORECAST_SIM_DATA_FILE: '', TIMELOG_SIM_DATA_FILE: '' },
    },
  });
  const peakRss = new Map<string, number>();
  const sampler = setInterval(() => {
    for (const service of PIPELINE_SERVICES) {
      const pid = system.pid(service);
      if (pid) peakRss.set(service, Math.max(peakRss.get(service) ?? 0, rssMb(pid)));
    }
  }, 250);
  try {
    const demo = await seedDemoCompany({ forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken }, 'bench');
    const forecastUrl = `${system.url('forecast-simulator')}/_sim/companies/bench`;
    const task = await httpJson('POST', `${forecastUrl}/tasks?personId=${demo.people.ann}`, { project_id: demo.forecastProjectId, title: 'Bench', assigned_persons: [demo.people.ann] });
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    await pollUntil(async () => (await db.query(`SELECT 1 FROM entity_link WHERE kind = 'task' AND forecast_id = $1`, [task.id])).rowCount, { description: 'task synced', timeoutMs: 60_000 });

    const cpuBefore = new Map(PIPELINE_SERVICES.map((service) => [service, cpuSeconds(system.pid(service) as number)]));
    const sentAt = new Map<number, number>();
    const started = Date.now();
    for (let i = 0; i < total; i += 1) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      void httpJson('POST', `${forecastUrl}/time_registrations?personId=${demo.people.ann}`, { person: demo.people.ann, task: task.id, time_registered: 1 + (i % 600), date: '2026-11-02', notes: `bench ${i}` })
        .then((registration) => sentAt.set(registration.id, Date.now()));
    }
    const offered = (total / ((Date.now() - started) / 1000)).toFixed(0);
    await pollUntil(async () => Number((await db.query(`SELECT count(*) FROM sync_action WHERE action = 'created' AND entity_kind = 'time-registration'`)).rows[0].count) >= total, {
      description: 'all registrations written to TimeLog', timeoutMs: 600_000, intervalMs: 500,
    });
    const finished = Date.now();
    const cpuUsed = PIPELINE_SERVICES.map((service) => `${service} ${(cpuSeconds(system.pid(service) as number) - (cpuBefore.get(service) ?? 0)).toFixed(1)}s`);
    const rows = (await db.query(`SELECT forecast_id, occurred_at FROM sync_action WHERE action = 'created' AND entity_kind = 'time-registration'`)).rows;
    await db.end();
    const latencies = rows.map((row) => row.occurred_at.getTime() - (sentAt.get(Number(row.forecast_id)) ?? row.occurred_at.getTime())).sort((a, b) => a - b);
    const pipelineSeconds = (finished - started) / 1000;

    // The bare calls the pipeline must make per change: Forecast re-read + TimeLog InsertWork, made directly.
    const forecast = createForecastClient({ baseUrl: system.url('forecast-simulator'), apiKey: demo.forecastApiKey });
    const timelog = createTimeLogClient(demo.activation.timelog);
    const sample = Math.min(200, total);
    const bareStarted = Date.now();
    const ids = [...sentAt.keys()].slice(0, sample);
    await Promise.all(
      Array.from({ length: 6 }, async (_, worker) => {
        for (let i = worker; i < ids.length; i += 6) {
          await forecast.getTimeRegistration(ids[i]);
          await timelog.insertWork([{ guid: randomUUID(), taskId: 900, employeeInitials: 'AD', startDateTime: '2026-11-03T00:00:00', minutes: 5, description: 'bare' }]);
        }
      }),
    );
    const bareSecondsForAll = ((Date.now() - bareStarted) / 1000) * (total / sample);

    process.stdout.write(
      [
        `offered rate          ${offered}/s for ${seconds}s (${total} registrations)`,
        `latency p50 / p99     ${percentile(latencies, 50)} ms / ${percentile(latencies, 99)} ms   (target p99 < 1000 ms at 200/s)`,
        `pipeline throughput   ${(total / pipelineSeconds).toFixed(0)}/s, ${pipelineSeconds.toFixed(1)} s`,
        `bare API calls        ${bareSecondsForAll.toFixed(1)} s for the same ${total} changes (6 in parallel)`,
        `pipeline / bare       ${(pipelineSeconds / bareSecondsForAll).toFixed(2)}x   (target <= 1.5x; offered-rate bound when the pipeline keeps up)`,
        `CPU while syncing     ${cpuUsed.join(', ')}`,
        ...PIPELINE_SERVICES.slice(0, 4).map((service) => `peak RSS ${service.padEnd(18)} ${(peakRss.get(service) ?? 0).toFixed(0)} MB   (target < 250 MB)`),
      ].join('\n') + '\n',
    );
  } finally {
    clearInterval(sampler);
    await system.stop();
  }
}


main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
