// Start-up time of every app from its build output (dist/, as in the image): process start to /health/ready
// answering 200. The first start of the system migrates the database and creates topics; each app is then
// stopped (SIGTERM, leaving its consumer group) and started alone, as in a rolling deploy. Target: under 2 s per service.
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/startup.ts
import { PIPELINE_SERVICES, PipelineService, startBenchSystem } from '@timelog-sync/testing';

async function main() {
  const firstStart = Date.now();
  const { system } = await startBenchSystem({ name: 'startup', portBase: 29500 });
  const lines = [`whole system, first start (build, fresh database, migrations, topics): ${Date.now() - firstStart} ms`];
  try {
    for (const app of [...PIPELINE_SERVICES, 'admin-console'] as PipelineService[]) {
      await system.stopService(app);
      const started = Date.now();
      await system.startService(app);
      lines.push(`${app.padEnd(19)} restart to ready: ${Date.now() - started} ms`);
    }
  } finally {
    await system.stop();
  }
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
