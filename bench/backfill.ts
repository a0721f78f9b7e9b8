// An admin's "backfill from date" of one linked project holding N Forecast registrations (made before the
// integration, so no webhooks): time until all are in TimeLog, the progress the admin API reports on the way, the
// Forecast and TimeLog calls made against the minimum (pages of 1,000 read, InsertWork batches of 500), and a second
// company's live Forecast -> TimeLog latency meanwhile. Prints figures; asserts nothing (machines are shared and noisy).
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/backfill.ts [registrations] [live changes per second]
import { Client } from 'pg';
import { countApiCalls, DemoCompany, httpJson, peakRssLines, percentile, pollUntil, runBench, sampleApps, seedDemoCompany, startBenchSystem } from '@timelog-sync/testing';
import { bareBatchedSeconds } from './bare-calls';

const registrations = Number(process.argv[2] ?? 100_000);
const liveRate = Number(process.argv[3] ?? 5);
// The simulator reads bodies up to 100 KiB: about 1,000 registrations.
const HISTORY_BATCH = 1000;

async function main() {
  const { system, databaseUrl, operatorToken } = await startBenchSystem({
    name: 'backfill', portBase: 29200,
    env: { all: { SAFETY_POLL_INTERVAL_SECONDS: '3600', FORECAST_SIM_DATA_FILE: '', TIMELOG_SIM_DATA_FILE: '' }, 'sync-writer': { BACKFILL_SCAN_SECONDS: '1' } },
    // The simulators hold 100,000 registrations and work units in memory: more than our services' 128 MB heap.
    nodeArgs: { 'forecast-simulator': ['--max-old-space-size=1024'], 'timelog-simulator': ['--max-old-space-size=1024'] },
  });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const endpoints = { forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken };
    const [history, live] = await Promise.all([seedDemoCompany(endpoints, 'bfhistory'), seedDemoCompany(endpoints, 'bflive')]);
    const forecastOf = (company: DemoCompany) => `${system.url('forecast-simulator')}/_sim/companies/${company.companyId}`;
    const taskOf = async (company: DemoCompany) => {
      const task = await httpJson('POST', `${forecastOf(company)}/tasks?personId=${company.people.ann}`, { project_id: company.forecastProjectId, title: 'Bench', assigned_persons: [company.people.ann] });
      await pollUntil(async () => (await db.query(`SELECT 1 FROM entity_link WHERE company_id = $1 AND kind = 'task' AND forecast_id = $2`, [company.companyId, task.id])).rowCount, { description: 'task synced', timeoutMs: 60_000 });
      return task.id as number;
    };
    const [historyTask, liveTask] = await Promise.all([taskOf(history), taskOf(live)]);

    const seeded = Date.now();
    for (let start = 0; start < registrations; start += HISTORY_BATCH) {
      const batch = Array.from({ length: Math.min(HISTORY_BATCH, registrations - start) }, (_, i) => {
        const n = start + i;
        const day = new Date(Date.UTC(2026, 0, 1) + (n % 300) * 86_400_000).toISOString().slice(0, 10);
        return { person: history.people.ann, task: historyTask, time_registered: 1 + (n % 480), date: day, notes: `history ${n}` };
      });
      await httpJson('POST', `${forecastOf(history)}/time_registrations/history?personId=${history.people.ann}`, { registrations: batch });
    }
    process.stdout.write(`seeded ${registrations} Forecast registrations in ${((Date.now() - seeded) / 1000).toFixed(1)} s\n`);
    const apiCalls = await countApiCalls(system, { forecastCompany: history.companyId, timelogAccount: history.timelogAccount });

    // The second company's live changes, at a steady rate for as long as the backfill runs.
    const sentAt = new Map<number, number>();
    let backfillRunning = true;
    const liveTraffic = (async () => {
      const pending: Promise<unknown>[] = [];
      const started = Date.now();
      for (let i = 0; backfillRunning; i += 1) {
        const due = started + (i * 1000) / liveRate;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        const postedAt = Date.now();
        pending.push(
          httpJson('POST', `${forecastOf(live)}/time_registrations?personId=${live.people.ann}`, { person: live.people.ann, task: liveTask, time_registered: 1 + (i % 480), date: '2026-11-02', notes: `live ${i}` })
            .then((registration) => sentAt.set(registration.id, postedAt))
            .catch(() => undefined),
        );
      }
      await Promise.all(pending);
    })();

    const usage = sampleApps(system);
    const admin = { authorization: `Bearer ${history.adminKey}` };
    const mapping = `${system.url('mapping-service')}/companies/${history.companyId}`;
    const requested = Date.now();
    const run = await httpJson('POST', `${mapping}/projects/${history.forecastProjectId}/backfill`, { from: '2026-01-01' }, admin);
    const progressLines: string[] = [];
    let lastLine = 0;
    let polledMidway = false;
    const finished = await pollUntil(
      async () => {
        const progress = await httpJson('GET', `${mapping}/backfills/${run.id}`, undefined, admin);
        // The company's 15-minute TimeLog poll falling in the backfill (its change log then holds tens of thousands
        // of our own creations): asked for at half-way, so every run measures that case.
        if (!polledMidway && progress.done >= registrations / 2) {
          polledMidway = true;
          progressLines.push(`  ${((Date.now() - requested) / 1000).toFixed(0)}s: TimeLog poll of the backfilling company requested`);
          void httpJson('POST', `${system.url('timelog-poller')}/companies/${history.companyId}/poll-now`, undefined, { authorization: `Bearer ${operatorToken}` });
        }
        if (Date.now() - lastLine >= 15_000) {
          lastLine = Date.now();
          progressLines.push(`  ${((Date.now() - requested) / 1000).toFixed(0)}s: ${progress.done}/${progress.total}${progress.totalKnown ? '' : '+'} at ${progress.perSecond}/s, ETA ${progress.etaSeconds ?? '?'} s, pages ${progress.pagesRead}/${progress.forecastPagesTotal ?? '?'}`);
        }
        return progress.status !== 'running' && progress.done + progress.failed >= progress.total && progress;
      },
      { description: 'backfill in TimeLog', timeoutMs: 1_800_000, intervalMs: 1000 },
    );
    const seconds = (Date.now() - requested) / 1000;
    const used = usage.stop();
    backfillRunning = false;
    await liveTraffic;
    const liveIds = [...sentAt.keys()];
    const liveRows = await pollUntil(
      async () => {
        const rows = (await db.query(`SELECT forecast_id, occurred_at FROM sync_action WHERE company_id = $1 AND action = 'created' AND entity_kind = 'time-registration' AND forecast_id = ANY($2)`, [live.companyId, liveIds])).rows;
        return rows.length >= liveIds.length && rows;
      },
      { description: 'live changes in TimeLog', timeoutMs: 300_000, intervalMs: 500 },
    );
    const callLines = await apiCalls(registrations);
    // Made after the backfill (and counted apart), so neither slows the other.
    const bare = await bareBatchedSeconds(system, history, '2025-12-31');
    const latencies = liveRows.map((row) => row.occurred_at.getTime() - (sentAt.get(Number(row.forecast_id)) as number)).sort((a, b) => a - b);

    process.stdout.write(
      [
        `backfill              ${finished.done} of ${finished.total} registrations in TimeLog in ${seconds.toFixed(1)} s (${(finished.done / seconds).toFixed(0)}/s; target 100,000 in < 300 s), ${finished.failed} failed`,
        `progress (admin API)  \n${progressLines.join('\n')}`,
        ...callLines,
        `pipeline / bare       ${(seconds / bare.seconds).toFixed(2)}x: the bare calls for the same ${bare.registrations} registrations, made directly (list pages of 1,000, then InsertWork of 500), took ${bare.seconds.toFixed(1)} s (target <= 1.5x)`,
        `live company          p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms over ${latencies.length} changes at ${liveRate}/s during the backfill (target p99 < 1000 ms)`,
        `CPU during backfill   ${used.map((entry) => `${entry.app} ${entry.cpuSeconds.toFixed(1)} s`).join(', ')}`,
        ...peakRssLines(used),
      ].join('\n') + '\n',
    );
  } finally {
    await db.end().catch(() => undefined);
    await system.stop();
  }
}

runBench(main);
