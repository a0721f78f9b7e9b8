// A valid company's Forecast -> TimeLog latency while the ingestor is flooded with unauthenticated webhook
// requests (random tokens, a share of oversized and malformed bodies), next to the same latency without the
// flood; and the ingestor's peak RSS. Prints figures; asserts nothing (machines are shared and noisy).
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/webhook-flood.ts [floodRequests] [changesPerSecond]
import { Client } from 'pg';
import { floodWebhooks, httpJson, percentile, pollUntil, rssMb, runBench, sampleRss, seedDemoCompany, startBenchSystem } from '@timelog-sync/testing';

const floodRequests = Number(process.argv[2] ?? 20_000);
const changesPerSecond = Number(process.argv[3] ?? 5);
const BODY_LIMIT_BYTES = 256 * 1024;

async function main() {
  const { system, databaseUrl, operatorToken } = await startBenchSystem({
    name: 'flood', portBase: 30800,
    // Access logs stay on (info): writing them is part of what a flood costs.
    env: { all: { LOG_LEVEL: 'info', SAFETY_POLL_INTERVAL_SECONDS: '3600', FORECAST_SIM_DATA_FILE: '', TIMELOG_SIM_DATA_FILE: '', FORECAST_SIM_WEBHOOK_TIME_SCALE: '0.001' } },
  });
  const db = new Client({ connectionString: databaseUrl });
  try {
    const demo = await seedDemoCompany({ forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken }, 'benchflood');
    const forecastUrl = `${system.url('forecast-simulator')}/_sim/companies/benchflood`;
    const task = await httpJson('POST', `${forecastUrl}/tasks?personId=${demo.people.ann}`, { project_id: demo.forecastProjectId, title: 'Bench', assigned_persons: [demo.people.ann] });
    await db.connect();
    await pollUntil(async () => (await db.query(`SELECT 1 FROM entity_link WHERE kind = 'task' AND forecast_id = $1`, [task.id])).rowCount, { description: 'task synced', timeoutMs: 60_000 });

    /** Registers at a steady rate until `until` settles; returns each change's latency to its TimeLog write. */
    const changesDuring = async (until: Promise<unknown>) => {
      const sentAt = new Map<number, number>();
      let running = true;
      void until.finally(() => (running = false));
      const started = Date.now();
      const pending: Promise<unknown>[] = [];
      for (let i = 0; running; i += 1) {
        const due = started + (i * 1000) / changesPerSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        pending.push(
          httpJson('POST', `${forecastUrl}/time_registrations?personId=${demo.people.ann}`, { person: demo.people.ann, task: task.id, time_registered: 1 + (i % 600), date: '2026-11-02', notes: `bench ${i}` })
            .then((registration) => sentAt.set(registration.id, Date.now())),
        );
      }
      await Promise.all(pending);
      const ids = [...sentAt.keys()];
      const rows = await pollUntil(
        async () => {
          const found = (await db.query(`SELECT forecast_id, occurred_at FROM sync_action WHERE action = 'created' AND entity_kind = 'time-registration' AND forecast_id = ANY($1)`, [ids])).rows;
          return found.length >= ids.length && found;
        },
        { description: 'every registration written to TimeLog', timeoutMs: 600_000, intervalMs: 500 },
      );
      return rows.map((row) => row.occurred_at.getTime() - (sentAt.get(Number(row.forecast_id)) as number)).sort((a, b) => a - b);
    };

    const quiet = await changesDuring(new Promise((resolve) => setTimeout(resolve, 20_000)));
    const rssBefore = rssMb(system.pid('forecast-ingestor') as number);
    const rss = sampleRss(system.pid('forecast-ingestor') as number);
    const floodStarted = Date.now();
    const flood = floodWebhooks({
      ingestorUrl: system.url('forecast-ingestor'), requests: floodRequests, concurrency: 64,
      oversizedShare: 0.02, oversizedBytes: BODY_LIMIT_BYTES * 4, malformedShare: 0.1, sourceAddresses: 50,
    });
    const flooded = await changesDuring(flood);
    const answers = await flood;
    const floodSeconds = (Date.now() - floodStarted) / 1000;
    const peak = rss.stop();
    const line = (label: string, latencies: number[]) =>
      `${label.padEnd(22)} p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms (${latencies.length} changes)`;
    process.stdout.write(
      [
        line('latency without flood', quiet),
        line('latency during flood', flooded),
        `flood                  ${floodRequests} requests in ${floodSeconds.toFixed(1)} s (${(floodRequests / floodSeconds).toFixed(0)}/s), answers ${JSON.stringify(answers)}`,
        `ingestor RSS           ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during the flood   (ceiling 250 MB)`,
      ].join('\n') + '\n',
    );
  } finally {
    await db.end().catch(() => undefined);
    await system.stop();
  }
}

runBench(main);
