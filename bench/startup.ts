// Start-up time of every app from its build output (dist/, as in the image): process start to /health/ready
// answering 200. The first start of the system migrates the database and creates topics; each app is then
// stopped (SIGTERM, leaving its consumer group) and started alone, as in a rolling deploy. Target: under 2 s per service.
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/startup.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { buildApps, PIPELINE_SERVICES, PipelineService, RunningSystem, testDatabaseUrl, testEnvironment } from '@timelog-sync/testing';

async function main() {
  buildApps();
  const databaseUrl = testDatabaseUrl('timelog_sync_test_bench_startup');
  await recreateTestDatabase(databaseUrl);
  const firstStart = Date.now();
  const system = await RunningSystem.start({
    databaseUrl, kafkaBrokers: testEnvironment.kafkaBrokers, kafkaNamespace: `bench-startup-${Date.now()}`, portBase: 33300,
    outputDir: mkdtempSync(join(tmpdir(), 'timelog-sync-bench-startup-')), operatorToken: 'bench-operator-token', credentialKeys: `1:${randomBytes(32).toString('base64')}`,
    env: { all: { OTEL_TRACES_EXPORTER: 'none', LOG_LEVEL: 'warn' } },
  });
  const lines = [`whole system, first start (migrations, topics): ${Date.now() - firstStart} ms`];
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
