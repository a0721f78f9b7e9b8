// The migration Job of a production roll-out (deploy/k8s, DATABASE_MIGRATE_ON_START=false in the services):
// applies pending migrations once, under the same advisory lock the services take in dev, then exits.
import 'reflect-metadata';
import { z } from 'zod';
import { commonEnv, loadConfigOrExit } from '@timelog-sync/config';
import { connectAndMigrate, listAppliedMigrations } from '@timelog-sync/persistence';

async function main() {
  const config = loadConfigOrExit(z.object({ DATABASE_URL: commonEnv.DATABASE_URL }));
  const dataSource = await connectAndMigrate({ url: config.DATABASE_URL, applicationName: 'migrate' });
  const applied = await listAppliedMigrations(dataSource);
  await dataSource.destroy();
  process.stdout.write(`${JSON.stringify({ msg: 'database migrated', migrations: applied.length })}\n`);
}

main().catch((error) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
