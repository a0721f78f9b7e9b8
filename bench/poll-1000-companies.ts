// How long the poller takes to poll every company once when all are due at the same moment (the worst case of a
// 15-minute cycle), each company with WORK_CHANGES work changes in its TimeLog change log, and whether every change
// was emitted exactly once. Target: 10,000 companies within 90 s. Prints figures; asserts nothing.
// Pollers scale out (due companies are claimed with SKIP LOCKED): [pollers] > 1 runs that many poller instances.
// Needs a broker and PostgreSQL (as for `npm test`): node -r ./tools/register.js bench/poll-1000-companies.ts [companies] [pollers]
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CredentialCipher, parseCredentialKeys } from '@timelog-sync/crypto';
import { CredentialVault } from '@timelog-sync/company-directory';
import { connectAndMigrate } from '@timelog-sync/persistence';
import { forEachBounded } from '@timelog-sync/domain';
import { TOPICS } from '@timelog-sync/contracts';
import { httpJson, peakRssLines, pollUntil, runBench, sampleApps, startBenchSystem } from '@timelog-sync/testing';

const companies = Number(process.argv[2] ?? 1000);
const pollers = Number(process.argv[3] ?? 1);
const WORK_CHANGES = 20;
const TASK_ID = 900;

async function seedCompanies(dataSource: DataSource, vault: CredentialVault, timelogUrl: string): Promise<void> {
  await forEachBounded(
    Array.from({ length: companies }, (_, i) => `poll${i}`),
    16,
    async (id) => {
      const password = `pw-${id}`;
      await httpJson('PUT', `${timelogUrl}/_sim/sites/${id}`, {
        reporting: { siteCode: id, apiID: id, apiPassword: password },
        employees: [{ employeeId: 1, initials: 'ADM', username: `admin@${id}`, email: `admin@${id}`, firstName: 'A', lastName: 'D', password, isAdministrator: true }],
        projects: [{ projectId: 100, name: 'Delivery', tasks: [{ taskId: TASK_ID, name: 'Build', allocatedInitials: ['ADM'] }] }],
      });
      // A user's work in TimeLog: each one a change in the site's change log.
      for (let n = 0; n < WORK_CHANGES; n += 1) {
        await httpJson('POST', `${timelogUrl}/_sim/sites/${id}/work`, { initials: 'ADM', taskId: TASK_ID, date: new Date().toISOString().slice(0, 10), minutes: 15 + n, description: `change ${n}` });
      }
      await dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO company (id, name, status, admin_key_hash, forecast_base_url, timelog_domain, timelog_account_name, activated_at)
           VALUES ($1, $1, 'active', repeat('0', 64), 'http://127.0.0.1:9', $2, $1, now())`,
          [id, timelogUrl],
        );
        await vault.store(manager, id, { timelog: { username: `admin@${id}`, password, siteCode: id, reportingUsername: id, reportingPassword: password }, forecastApiKey: 'unused' });
        // Due far in the future until the measured moment.
        await manager.query(`INSERT INTO timelog_poll_state (company_id, next_poll_at) VALUES ($1, now() + interval '1 day')`, [id]);
      });
    },
  );
}

async function main() {
  const credentialKeys = `1:${randomBytes(32).toString('base64')}`;
  const { system, databaseUrl } = await startBenchSystem({
    name: 'poll', portBase: 29100, credentialKeys,
    // No simulator data files: they rewrite every site's state after changes, which is no part of a real TimeLog.
    env: { all: { FORECAST_SIM_DATA_FILE: '', TIMELOG_SIM_DATA_FILE: '' } },
    // 10,000 TimeLog sites with their work, in the simulator's memory: more than our services' 128 MB heap.
    nodeArgs: { 'timelog-simulator': ['--max-old-space-size=1024'] },
  });
  const dataSource = await connectAndMigrate({ url: databaseUrl });
  try {
    const seedStarted = Date.now();
    await seedCompanies(dataSource, new CredentialVault(new CredentialCipher(parseCredentialKeys(credentialKeys))), system.url('timelog-simulator'));
    process.stdout.write(`seeded ${companies} companies and TimeLog sites in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s\n`);
    for (let instance = 1; instance < pollers; instance += 1) await system.startService('timelog-poller', {}, instance);
    const usage = sampleApps(system, undefined, { 'timelog-poller': pollers });
    const cycleStart = new Date();
    await dataSource.query(`UPDATE timelog_poll_state SET next_poll_at = now()`);
    const polled = () => dataSource.query(`SELECT count(*)::int AS n FROM timelog_poll_state WHERE last_success_at >= $1`, [cycleStart]).then((rows) => rows[0].n as number);
    const progress: string[] = [];
    await pollUntil(
      async () => {
        const n = await polled();
        const second = Math.round((Date.now() - cycleStart.getTime()) / 1000);
        if (second % 10 === 0 && progress.length < second / 10 + 1) progress.push(`${second}s:${n}`);
        return n >= companies;
      },
      { description: 'every company polled', timeoutMs: 1_800_000, intervalMs: 500 },
    );
    const seconds = (Date.now() - cycleStart.getTime()) / 1000;
    // The cycle is done when the writer has decided on every change too (CPU is counted until then).
    const handled = () =>
      dataSource
        .query(`SELECT count(*)::int AS n FROM outbox_message o JOIN processed_event p ON p.event_id = o.headers->>'event-id' WHERE o.topic = $1`, [TOPICS.timelogWorkChanged])
        .then((rows) => rows[0].n as number);
    await pollUntil(async () => (await handled()) >= companies * WORK_CHANGES, { description: 'every change handled by the writer', timeoutMs: 1_800_000, intervalMs: 500 });
    const handledSeconds = (Date.now() - cycleStart.getTime()) / 1000;
    const used = usage.stop();
    const isPoller = (entry: { app: string }) => entry.app.startsWith('timelog-poller');
    const pollerCpu = used.filter(isPoller).reduce((sum, entry) => sum + entry.cpuSeconds, 0);
    // Exactly once: one event per work unit and company in the outbox (published rows are kept for hours).
    const [emitted] = await dataSource.query(
      `SELECT count(*)::int AS events, count(DISTINCT (headers->>'tenant-id', message_key))::int AS works, count(DISTINCT headers->>'tenant-id')::int AS companies
       FROM outbox_message WHERE topic = $1`,
      [TOPICS.timelogWorkChanged],
    );
    const expected = companies * WORK_CHANGES;
    // Every site is polled alike: one site's calls are every company's.
    const siteCalls: Record<string, number> = await httpJson('GET', `${system.url('timelog-simulator')}/_sim/sites/poll0/calls`);
    process.stdout.write(
      [
        `polled ${companies} companies in ${seconds.toFixed(1)} s with ${pollers} poller(s) (target: 10,000 within 90 s); progress ${progress.join(' ')}`,
        `writer handled every change ${handledSeconds.toFixed(1)} s after the cycle began (${(handledSeconds - seconds).toFixed(1)} s after the last poll)`,
        `work changes emitted  ${emitted.events} events for ${emitted.works} distinct work units of ${emitted.companies} companies (expected ${expected} once each): ${emitted.events === expected && emitted.works === expected ? 'every change once' : 'MISMATCH'}`,
        `TimeLog calls/company ${Object.values(siteCalls).reduce((sum, count) => sum + count, 0)} (minimum 2: the change log page and the work of its one employee-day): ${JSON.stringify(siteCalls)}`,
        `CPU until handled: poller(s) ${pollerCpu.toFixed(1)} s (${((pollerCpu * 1000) / companies).toFixed(2)} ms per company); others: ${used.filter((entry) => !isPoller(entry)).map((entry) => `${entry.app} ${entry.cpuSeconds.toFixed(1)} s`).join(', ')}`,
        ...peakRssLines(used),
      ].join('\n') + '\n',
    );
  } finally {
    await system.stop();
    await dataSource.destroy();
  }
}

runBench(main);
