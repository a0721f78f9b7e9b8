// Writer throughput with 1 and with 2 instances in the consumer group: a backlog of registrations is made while
// no writer runs (ingested and published to Kafka), then the writers start and drain it. Throughput is counted
// from the first to the last TimeLog write of the backlog, so start-up does not count. Prints figures only.
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/scale-writers.ts [registrations]
import { Client } from 'pg';
import { httpJson, pollUntil, seedDemoCompany, startBenchSystem } from '@timelog-sync/testing';

const backlog = Number(process.argv[2] ?? 1500);

async function main() {
  const { system, databaseUrl, operatorToken } = await startBenchSystem({
    name: 'scale', portBase: 29600,
    env: { all: { SAFETY_POLL_INTERVAL_SECONDS: '3600', FORECAST_SIM_DATA_FILE: '', TIMELOG_SIM_DATA_FILE: '' } },
  });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const demo = await seedDemoCompany({ forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken }, 'bench');
    const forecastUrl = `${system.url('forecast-simulator')}/_sim/companies/bench`;
    const task = await httpJson('POST', `${forecastUrl}/tasks?personId=${demo.people.ann}`, { project_id: demo.forecastProjectId, title: 'Bench', assigned_persons: [demo.people.ann] });
    await pollUntil(async () => (await db.query(`SELECT 1 FROM entity_link WHERE kind = 'task' AND forecast_id = $1`, [task.id])).rowCount, { description: 'task synced', timeoutMs: 60_000 });
    await system.kill('sync-writer');

    const results: string[] = [];
    for (const writers of [1, 2]) {
      const ids: number[] = [];
      for (let start = 0; start < backlog; start += 25) {
        const batch = Array.from({ length: Math.min(25, backlog - start) }, (_, i) =>
          httpJson('POST', `${forecastUrl}/time_registrations?personId=${demo.people.ann}`, { person: demo.people.ann, task: task.id, time_registered: 1 + ((start + i) % 600), date: '2026-11-02', notes: `bench ${writers} ${start + i}` }),
        );
        ids.push(...(await Promise.all(batch)).map((registration) => registration.id));
      }
      // The backlog is in Kafka once the ingestor has read every webhook and the relay has drained the outbox.
      await pollUntil(async () => (await db.query(`SELECT count(*)::int AS n FROM outbox_message WHERE topic = 'forecast.time-registration.changed.v1' AND published_at IS NOT NULL AND message_key = ANY($1)`, [ids.map((id) => `bench:time-registration:${id}`)])).rows[0].n >= backlog, {
        description: 'backlog published', timeoutMs: 600_000, intervalMs: 500,
      });
      await Promise.all(Array.from({ length: writers }, (_, instance) => system.startService('sync-writer', {}, instance)));
      const written = () => db.query(`SELECT count(*)::int AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM sync_action WHERE action = 'created' AND entity_kind = 'time-registration' AND forecast_id = ANY($1)`, [ids.map(String)]);
      await pollUntil(async () => (await written()).rows[0].n >= backlog, { description: `backlog written by ${writers} writer(s)`, timeoutMs: 600_000, intervalMs: 500 });
      const { first, last } = (await written()).rows[0];
      const seconds = (last.getTime() - first.getTime()) / 1000;
      results.push(`${writers} writer instance(s): ${backlog} registrations in ${seconds.toFixed(1)} s = ${(backlog / seconds).toFixed(0)} writes/s`);
      await Promise.all(Array.from({ length: writers }, (_, instance) => system.kill('sync-writer', instance)));
    }
    console.log(results.join('\n'));
  } finally {
    await db.end();
    await system.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
