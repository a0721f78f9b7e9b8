// `npm run up`, after scripts/up.sh has Kafka and PostgreSQL running: starts the four services and both
// simulators in the background, sets up the demo company through the admin API and shows a sync both ways.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { addConsolePerson, ConsolePerson, ConsoleRole, httpJson, pollUntil, RunningSystem, seedDemoCompany } from '@timelog-sync/testing';

const RUN_DIR = join(__dirname, '..', '.run');
const say = (line = '') => process.stdout.write(`${line}\n`);

async function main() {
  const databaseUrl = process.env.DATABASE_URL as string;
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  // The demo always starts from a clean slate: a database named *test* may be recreated.
  await recreateTestDatabase(databaseUrl);
  const operatorToken = randomBytes(18).toString('base64url');
  const system = await RunningSystem.start({
    databaseUrl,
    kafkaBrokers: ['127.0.0.1:9092'],
    kafkaNamespace: '',
    portBase: 3000,
    outputDir: RUN_DIR,
    operatorToken,
    credentialKeys: `1:${randomBytes(32).toString('base64')}`,
    detached: true,
    env: { all: { OTEL_TRACES_EXPORTER: 'none', SAFETY_POLL_INTERVAL_SECONDS: '60' } },
  });
  await system.startService('admin-console');
  await system.startService('identity-provider');
  const urls = Object.fromEntries(['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer', 'forecast-simulator', 'timelog-simulator', 'admin-console', 'identity-provider'].map((app) => [app, system.url(app as never)]));
  say('All apps answer /health/ready:');
  for (const [app, url] of Object.entries(urls)) say(`  ${app.padEnd(19)} ${url}/health/ready`);

  const demo = await seedDemoCompany(
    { forecastSimulatorUrl: urls['forecast-simulator'], timelogSimulatorUrl: urls['timelog-simulator'], mappingServiceUrl: urls['mapping-service'], operatorToken },
    'demo',
  );
  say();
  say(`Demo company "demo" activated; Ann and Bob linked by e-mail, Carl not; project ${demo.forecastProjectId} linked to TimeLog project ${demo.timelogProjectId}.`);

  const forecast = (path: string, method = 'GET', body?: unknown) => httpJson(method, `${urls['forecast-simulator']}/_sim/companies/demo/${path}`, body);
  const timelog = (path: string, method = 'GET', body?: unknown) => httpJson(method, `${urls['timelog-simulator']}/_sim/sites/${demo.timelogAccount}/${path}`, body);
  const today = new Date().toISOString().slice(0, 10);

  const task = await forecast(`tasks?personId=${demo.people.ann}`, 'POST', { project_id: demo.forecastProjectId, title: 'Landing page', assigned_persons: [demo.people.ann] });
  say(`\n1. Ann creates Forecast task ${task.id} "Landing page", assigned to herself.`);
  const timelogTask = await pollUntil(async () => (await timelog('tasks')).find((t: any) => t.externalKeys.some((k: any) => k.externalId === taskExternalKey(task.id))), { description: 'TimeLog task' });
  await pollUntil(async () => (await timelog('allocations')).some((a: any) => a.taskId === timelogTask.taskId && a.employeeId === demo.timelogEmployees.ann.employeeId), { description: 'allocation' });
  say(`   -> TimeLog task ${timelogTask.taskId} "${timelogTask.name}" exists with external key ${taskExternalKey(task.id)}; Ann (AD) is allocated.`);

  const registration = await forecast(`time_registrations?personId=${demo.people.ann}`, 'POST', { person: demo.people.ann, task: task.id, time_registered: 90, date: today, notes: 'Hero section' });
  const guid = deterministicWorkGuid('demo', registration.id);
  say(`2. Ann registers 90 minutes in Forecast (registration ${registration.id}).`);
  await pollUntil(async () => (await timelog('work')).some((w: any) => w.guid.toLowerCase() === guid), { description: 'TimeLog work' });
  say(`   -> TimeLog work ${guid}: 90 minutes, "Hero section".`);

  await timelog(`work/${guid}`, 'PATCH', { minutes: 120, description: 'Hero section + review' });
  say('3. In TimeLog, Ann changes it to 120 minutes; an admin presses "poll now".');
  await httpJson('POST', `${urls['timelog-poller']}/companies/demo/poll-now`, undefined, { authorization: `Bearer ${operatorToken}` });
  await pollUntil(async () => (await forecast('time_registrations')).some((r: any) => r.id === registration.id && r.time_registered === 120), { description: 'Forecast update', timeoutMs: 60_000 });
  say(`   -> Forecast registration ${registration.id} now has 120 minutes, "Hero section + review". No echo goes back.`);

  await forecast(`time_registrations?personId=${demo.people.carl}`, 'POST', { person: demo.people.carl, task: task.id, time_registered: 30, date: today, notes: 'Carl helps' });
  const admin = { authorization: `Bearer ${demo.adminKey}` };
  const parked = await pollUntil(async () => (await httpJson('GET', `${urls['mapping-service']}/companies/demo/parked`, undefined, admin))[0], { description: 'parked item' });
  say(`4. Carl (not linked) registers 30 minutes -> parked: ${parked.reason}. Link him and it flows.`);

  // People who sign in to the console at the local identity provider, one per role (new passwords every run).
  const people: (ConsolePerson & { role: ConsoleRole })[] = [
    { role: 'owner', email: 'olivia.owner@demo.example', name: 'Olivia Owner' },
    { role: 'editor', email: 'erik.editor@demo.example', name: 'Erik Editor' },
    { role: 'viewer', email: 'vera.viewer@demo.example', name: 'Vera Viewer' },
    { role: 'operator', email: 'sam.sre@ops.example', name: 'Sam SRE' },
  ].map((person) => ({ ...person, role: person.role as ConsoleRole, password: randomBytes(9).toString('base64url') }));
  for (const person of people) {
    await addConsolePerson({ identityProviderUrl: urls['identity-provider'], mappingServiceUrl: urls['mapping-service'] }, operatorToken, person, person.role, 'demo');
  }

  writeFileSync(join(RUN_DIR, 'demo.json'), JSON.stringify({ operatorToken, adminKey: demo.adminKey, urls, people }, null, 2));
  say(`\nAdmin console: ${urls['admin-console']}  (sign in at the local identity provider ${urls['identity-provider']} as):`);
  for (const person of people) say(`  ${person.role.padEnd(9)} ${person.email.padEnd(27)} password ${person.password}`);
  say(`Machine credential of the admin API: admin key ${demo.adminKey}`);
  say(`Admin API: ${urls['mapping-service']}/companies/demo/activity   (Authorization: Bearer ${demo.adminKey})`);
  say(`Operator token: ${operatorToken}   (also in .run/demo.json; logs in .run/*.log)`);
  say('Stop everything with: npm run down');
}

main().catch((error) => {
  process.stderr.write(`up failed: ${error instanceof Error ? error.message : String(error)}\nSee the logs in .run/*.log\n`);
  process.exit(1);
});
