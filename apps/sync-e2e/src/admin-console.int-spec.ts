import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { TOPICS } from '@timelog-sync/contracts';
import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { ConsolePerson, httpJson, pollUntil, testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';
import { newConsolePerson, signInToConsole } from './console-sign-in';

const PORT_BASE = 26000;
/** Beside the apps' ports (the identity provider has PORT_BASE + 8). */
const SMTP_PORT = PORT_BASE + 9 + testEnvironment.portOffset;
const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'docs', 'screenshots');
/** Debian's Chromium (apt-get install chromium); Playwright's own browser downloads are never used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long the UI may take to show something the pipeline does asynchronously (a sync, a dead letter). */
const PIPELINE_MS = 60_000;
const today = () => new Date().toISOString().slice(0, 10);

/** A company the operator has created but nobody has activated: its Forecast and TimeLog exist in the simulators. */
interface NewCompany {
  companyId: string;
  name: string;
  adminKey: string;
  forecastApiKey: string;
  timelog: { domain: string; accountName: string; username: string; password: string; siteCode: string; reportingUsername: string; reportingPassword: string };
  forecastProjectId: number;
}

async function seedNewCompany(pipeline: Pipeline): Promise<NewCompany> {
  const { system } = pipeline;
  const companyId = `ui${uniqueSuffix()}`;
  const name = `${companyId} ApS`;
  const forecastApiKey = `fc-key-${companyId}`;
  const accountName = `${companyId}-site`;
  const username = `admin@${companyId}.example`;
  const timelog = {
    domain: system.url('timelog-simulator'),
    accountName,
    username,
    password: `Login-${companyId}!`,
    siteCode: `SITE-${companyId}`,
    reportingUsername: `reporting-${companyId}`,
    reportingPassword: `Report-${companyId}!`,
  };
  const forecast = `${system.url('forecast-simulator')}/_sim/companies/${companyId}`;
  await httpJson('PUT', forecast, { apiKey: forecastApiKey });
  await httpJson('POST', `${forecast}/persons`, { first_name: 'Dana', last_name: 'Demo', email: username });
  const project = await httpJson('POST', `${forecast}/projects`, { name: 'Mobile app' });
  await httpJson('PUT', `${system.url('timelog-simulator')}/_sim/sites/${accountName}`, {
    reporting: { siteCode: timelog.siteCode, apiID: timelog.reportingUsername, apiPassword: timelog.reportingPassword },
    employees: [{ employeeId: 1, initials: 'DD', username, email: username, firstName: 'Dana', lastName: 'Demo', password: timelog.password, isAdministrator: true }],
    projects: [{ projectId: 201, name: 'Mobile app', no: 'P-201' }],
  });
  const created = await httpJson('POST', `${system.url('mapping-service')}/operator/companies`, { id: companyId, name }, { authorization: `Bearer ${OPERATOR_TOKEN}` });
  return { companyId, name, adminKey: created.adminKey, forecastApiKey, timelog, forecastProjectId: project.id };
}

/** The e-mails the mapping service sends, received by a real SMTP server (smtp-server) on this machine. */
interface Mailbox {
  messages: { to: string[]; subject: string; raw: string }[];
  close(): Promise<void>;
}

async function startMailbox(port: number): Promise<Mailbox> {
  const messages: Mailbox['messages'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8').replace(/\r\n[ \t]+/g, ' ');
        messages.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '', raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('admin console in Chromium (console + all services as processes, real Kafka and PostgreSQL, both simulators)', () => {
  let pipeline: Pipeline;
  let mailbox: Mailbox | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  const mapping = () => pipeline.system.url('mapping-service');
  const asAdmin = (adminKey: string) => ({ authorization: `Bearer ${adminKey}` });
  const screenshot = (name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    mailbox = await startMailbox(SMTP_PORT);
    pipeline = await startPipeline(PORT_BASE, { SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, INCIDENT_CHECK_SECONDS: '1' });
    await pipeline.system.startService('admin-console');
    await pipeline.system.startService('identity-provider');
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'admin-console-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await mailbox?.close();
    await pipeline?.system.stop();
  });

  // A fresh tab per test; each test signs in as the person it needs (cookies cleared first).
  beforeEach(async () => {
    page = await browser!.newPage();
  });

  afterEach(async () => {
    await page.close();
  });

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });

  const consoleUrl = () => pipeline.system.url('admin-console');
  /** Signs in as a new owner of the company (owners may do everything in it). */
  const signInAsOwner = async (companyId: string, landing: string) => signInToConsole(page, consoleUrl(), await newConsolePerson(pipeline, 'owner', companyId), landing);

  const goTo = async (screen: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen, exact: true }).click();
    await heading(screen).waitFor();
  };

  describe('a company the operator just created, set up through the console', () => {
    let company: NewCompany;

    beforeAll(async () => {
      company = await seedNewCompany(pipeline);
    });

    it('shows the refusal next to the one wrong field, then activates and never shows the secrets again', async () => {
      await signInAsOwner(company.companyId, 'Sync status');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integration', exact: true }).click();
      await heading('Integrations → TimeLog').waitFor();
      const values = { ...company.timelog, password: 'not-the-password' };
      const fill = async (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
      await fill('Domain', values.domain);
      await fill('Account Name', values.accountName);
      await fill('Username', values.username);
      await fill('Password', values.password);
      await fill('Site Code', values.siteCode);
      await fill('Reporting username', values.reportingUsername);
      await fill('Reporting password', values.reportingPassword);
      await fill('Forecast API key', company.forecastApiKey);
      await page.getByRole('button', { name: 'Activate TimeLog' }).click();

      const password = page.getByLabel('Password', { exact: true });
      await page.getByText('TimeLog refused the password for this user').waitFor();
      expect(await password.getAttribute('aria-invalid')).toBe('true');
      const errorSlot = (await password.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
      expect(await page.locator(`#${errorSlot}`).textContent()).toBe('TimeLog refused the password for this user');
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
      expect(await password.evaluate((input: any) => input === input.ownerDocument.activeElement)).toBe(true);
      expect((await httpJson('GET', `${mapping()}/companies/${company.companyId}`, undefined, asAdmin(company.adminKey))).status).toBe('inactive');
      await screenshot('integration-refused');

      await password.fill(company.timelog.password);
      await page.getByRole('button', { name: 'Activate TimeLog' }).click();
      await page.locator('#integration-status').getByText('Active', { exact: true }).waitFor({ timeout: PIPELINE_MS });
      expect((await httpJson('GET', `${mapping()}/companies/${company.companyId}`, undefined, asAdmin(company.adminKey))).status).toBe('active');
      for (const secret of ['Password', 'Reporting password', 'Forecast API key']) expect(await page.getByLabel(secret, { exact: true }).inputValue()).toBe('');
      expect(await page.content()).not.toContain(company.timelog.password);
      await screenshot('integration-active');
    });

    it('links a Forecast project to a TimeLog project from a chosen date, and asks before unlinking', async () => {
      await signInAsOwner(company.companyId, 'Sync status');
      await goTo('Projects');
      const timelogProject = page.getByLabel('TimeLog project for Mobile app');
      expect(await timelogProject.inputValue()).toBe('201'); // suggested by name, not yet saved
      await page.getByLabel('Sync Mobile app from').fill('2024-03-01');
      await page.getByRole('button', { name: 'Link Mobile app', exact: true }).click();
      await page.getByText('Linked; syncing from 2024-03-01').waitFor();
      const { projects } = await httpJson('GET', `${mapping()}/companies/${company.companyId}/projects`, undefined, asAdmin(company.adminKey));
      expect(projects.find((p: any) => p.forecastProjectId === company.forecastProjectId).link).toEqual({ timelogProjectId: 201, syncFrom: '2024-03-01' });
      await screenshot('projects');

      await page.getByRole('button', { name: 'Unlink Mobile app', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Unlink Mobile app?').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      const after = await httpJson('GET', `${mapping()}/companies/${company.companyId}/projects`, undefined, asAdmin(company.adminKey));
      expect(after.projects.find((p: any) => p.forecastProjectId === company.forecastProjectId).link).not.toBeNull();
    });
  });

  describe('named sign-in and roles (local OpenID Connect provider)', () => {
    let company: NewCompany;
    let editor: ConsolePerson;
    /** Calls the admin API from the page, as the signed-in person (cookie + the session's CSRF token unless `csrf` is false). */
    const fromPage = (method: string, path: string, body?: unknown, csrf = true) =>
      page.evaluate(
        async ({ method, path, body, csrf }) => {
          const session = (await (await fetch('/auth/session')).json()) as { csrfToken: string };
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': session.csrfToken } : {}) };
          const answer = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
          return { status: answer.status, body: await answer.text() };
        },
        { method, path, body, csrf },
      );

    beforeAll(async () => {
      company = await seedNewCompany(pipeline);
      await httpJson('PUT', `${mapping()}/companies/${company.companyId}/activation`, { timelog: company.timelog, forecast: { apiKey: company.forecastApiKey } }, asAdmin(company.adminKey));
    });

    it('an editor links projects, reads the credentials without changing them, and cannot reach another company', async () => {
      editor = await newConsolePerson(pipeline, 'editor', company.companyId);
      await signInToConsole(page, consoleUrl(), editor, 'Sync status');
      await goTo('Projects');
      await page.getByLabel('Sync Mobile app from').fill('2024-04-01');
      await page.getByRole('button', { name: 'Link Mobile app', exact: true }).click();
      await page.getByText('Linked; syncing from 2024-04-01').waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integration', exact: true }).click();
      await heading('Integrations → TimeLog').waitFor();
      await page.getByText('Only an owner of this company can change the credentials').waitFor();
      expect(await page.getByLabel('Password', { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Activate TimeLog', exact: true }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Deactivate TimeLog' }).isDisabled()).toBe(true);
      const activation = await fromPage('PUT', `/companies/${company.companyId}/activation`, { timelog: company.timelog, forecast: { apiKey: company.forecastApiKey } });
      expect(activation.status).toBe(403);
      expect((await fromPage('DELETE', `/companies/${company.companyId}/activation`)).status).toBe(403);

      // Company B (the demo company): by direct URL the screen shows the refusal; the API answers 403.
      await page.goto(`${consoleUrl()}/#/status?company=${pipeline.demo.companyId}`);
      await page.getByText(`has no role in company ${pipeline.demo.companyId}`).first().waitFor();
      expect((await fromPage('GET', `/companies/${pipeline.demo.companyId}`)).status).toBe(403);
      expect((await fromPage('GET', `/companies/${pipeline.demo.companyId}/people`)).status).toBe(403);
      expect((await fromPage('PUT', `/companies/${pipeline.demo.companyId}/projects/${pipeline.demo.forecastProjectId}/link`, { timelogProjectId: 1 })).status).toBe(403);
    });

    it('a viewer reads everything and can change nothing', async () => {
      await signInToConsole(page, consoleUrl(), await newConsolePerson(pipeline, 'viewer', company.companyId), 'Sync status');
      expect(await page.getByRole('button', { name: 'Retry parked items now' }).isDisabled()).toBe(true);
      await goTo('Projects');
      await page.getByRole('row').filter({ hasText: 'Mobile app' }).waitFor();
      for (const name of [/^(Link|Save link) Mobile app$/, /^Unlink Mobile app$/]) {
        const button = page.getByRole('button', { name });
        if (await button.isVisible()) expect(await button.isDisabled()).toBe(true);
      }
      const projectLink = `/companies/${company.companyId}/projects/${company.forecastProjectId}/link`;
      expect((await fromPage('GET', `/companies/${company.companyId}/projects`)).status).toBe(200);
      expect((await fromPage('PUT', projectLink, { timelogProjectId: 201 })).status).toBe(403);
      expect((await fromPage('DELETE', projectLink)).status).toBe(403);
      expect((await fromPage('POST', `/companies/${company.companyId}/parked/retry`)).status).toBe(403);
      expect((await fromPage('DELETE', `/companies/${company.companyId}/activation`)).status).toBe(403);
    });

    it('lists every settings change with the right person and before/after, filtered and paged by the server, and no secret', async () => {
      await signInToConsole(page, consoleUrl(), await newConsolePerson(pipeline, 'viewer', company.companyId), 'Sync status');
      await goTo('Who changed what');
      const rows = page.locator('#settings-changes tbody tr');
      const projectLink = rows.filter({ hasText: editor.email }).filter({ hasText: 'Project link' });
      await projectLink.first().waitFor();
      expect(await projectLink.locator('.summary').first().textContent()).toBe(`Forecast project ${company.forecastProjectId} linked to TimeLog project 201 from 2024-04-01`);
      expect(await projectLink.locator('.after').first().textContent()).toBe('syncFrom: 2024-04-01, timelogProjectId: 201'); // jsonb orders keys
      expect(await projectLink.locator('.before').first().textContent()).toBe('—');
      const activation = rows.filter({ hasText: 'admin key' }).filter({ hasText: 'Activation and credentials' });
      expect(await activation.locator('.summary').first().textContent()).toBe('TimeLog activated; TimeLog password, Reporting password and Forecast API key changed');
      expect(await activation.locator('.before').first().textContent()).toContain('status: inactive');
      expect(await activation.locator('.after').first().textContent()).toContain('status: active');
      const content = await page.content();
      for (const secret of [company.timelog.password, company.timelog.reportingPassword, company.forecastApiKey, company.adminKey]) expect(content).not.toContain(secret);

      await page.getByLabel('Person').fill(editor.email);
      await page.getByRole('button', { name: 'Filter' }).click();
      await pollUntil(async () => (await rows.allTextContents()).every((row) => row.includes(editor.email)), { description: 'only the editor’s changes', timeoutMs: 10_000 });

      const firstPage = await fromPage('GET', `/companies/${company.companyId}/settings-changes?pageSize=1&page=1`);
      const { items, total } = JSON.parse(firstPage.body);
      expect(items).toHaveLength(1);
      expect(total).toBeGreaterThanOrEqual(2);
      expect(JSON.parse((await fromPage('GET', `/companies/${company.companyId}/settings-changes?pageSize=1&page=2`)).body).items[0].id).not.toBe(items[0].id);
      expect((await fromPage('GET', `/companies/${company.companyId}/settings-changes?pageSize=1000`)).status).toBe(400);
    });

    it('tells the owners once when TimeLog refuses the password, shows the cause and fix, and once more when it is fixed', async () => {
      const owner = await newConsolePerson(pipeline, 'owner', company.companyId);
      await signInToConsole(page, consoleUrl(), owner, 'Sync status');
      const mine = (kind: RegExp) => mailbox!.messages.filter((message) => message.to.includes(owner.email) && kind.test(message.subject));
      const pollNow = () => httpJson('POST', `${pipeline.system.url('timelog-poller')}/companies/${company.companyId}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
      const newPassword = `Changed-${company.companyId}-Secret!`;
      await httpJson('PUT', `${pipeline.system.url('timelog-simulator')}/_sim/sites/${company.timelog.accountName}/employees/DD/password`, { password: newPassword });
      await pollNow();

      await pollUntil(async () => mine(/^Sync stopped/).length === 1, { description: 'the incident e-mail', timeoutMs: PIPELINE_MS });
      expect(mine(/^Sync stopped/)[0].subject).toBe(`Sync stopped for ${company.name}: TimeLog refuses the company's credentials`);
      await goTo('People');
      await page.locator('#banner').getByText('Sync stopped: TimeLog refuses the company\'s credentials.').waitFor();
      expect(await page.locator('#banner').textContent()).toContain('Enter the current TimeLog credentials under Integrations → TimeLog');
      // Further refusals belong to the same incident: no second e-mail.
      await pollNow();
      await goTo('Projects');
      expect(mine(/^Sync stopped/)).toHaveLength(1);

      const fixed = await fromPage('PUT', `/companies/${company.companyId}/activation`, { timelog: { ...company.timelog, password: newPassword }, forecast: { apiKey: company.forecastApiKey } });
      expect(fixed.status).toBe(200);
      // Health clears with the next successful call. Polls are pressed 6 s apart: a service re-reads changed credentials
      // within 5 s, and a poll with the old ones is one more refusal of the same incident.
      await pollUntil(
        async () => {
          if (mine(/^Sync recovered/).length === 1) return true;
          await pollNow();
          return false;
        },
        { description: 'the recovery e-mail', timeoutMs: PIPELINE_MS, intervalMs: 6000 },
      );
      await goTo('People');
      await pollUntil(async () => page.locator('#banner').isHidden(), { description: 'the banner gone', timeoutMs: 30_000 });
      expect(mine(/^Sync stopped/)).toHaveLength(1);
      expect(mine(/^Sync recovered/)).toHaveLength(1);
      for (const message of mailbox!.messages) expect(message.raw).not.toContain(newPassword);
      const changes = JSON.parse((await fromPage('GET', `/companies/${company.companyId}/settings-changes?setting=activation&actor=${encodeURIComponent(owner.email)}`)).body);
      expect(changes.items[0].summary).toBe('TimeLog activated; TimeLog password, Reporting password and Forecast API key changed');
      expect(JSON.stringify(changes)).not.toContain(newPassword);
    });

    it('refuses a change without the session’s CSRF token, and sign-out ends the session on the server', async () => {
      await signInToConsole(page, consoleUrl(), await newConsolePerson(pipeline, 'owner', company.companyId), 'Sync status');
      const noCsrf = await fromPage('POST', `/companies/${company.companyId}/parked/retry`, undefined, false);
      expect(noCsrf.status).toBe(403);
      expect(JSON.parse(noCsrf.body).error.code).toBe('csrf');

      const cookies = await page.context().cookies(consoleUrl());
      const session = cookies.find((cookie) => cookie.name === 'timelog-sync-session')!;
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      const withCookie = { cookie: `${session.name}=${session.value}` };
      expect((await fetch(`${consoleUrl()}/api/companies/${company.companyId}`, { headers: withCookie })).status).toBe(200);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await heading('Sign in').waitFor();
      // The copied cookie no longer opens anything: the session is gone from the server, not just from the browser.
      expect((await fetch(`${consoleUrl()}/api/companies/${company.companyId}`, { headers: withCookie })).status).toBe(401);
      expect((await fetch(`${consoleUrl()}/auth/session`, { headers: withCookie })).status).toBe(401);
    });
  });

  const syncedTaskFor = async (personId: number, title: string) => {
    const { demo, forecast, timelog } = pipeline;
    const task = await forecast.createTask(personId, { project_id: demo.forecastProjectId, title, assigned_persons: [personId] });
    await pollUntil(async () => (await timelog.tasks()).some((t) => t.externalKeys.some((key: { externalId: string }) => key.externalId === taskExternalKey(task.id))), {
      description: `TimeLog task for ${title}`,
      timeoutMs: PIPELINE_MS,
    });
    return task;
  };

  it('links an unlinked person from the dropdown and shows their parked registration sync without reloading', async () => {
    const { demo, forecast } = pipeline;
    const task = await syncedTaskFor(demo.people.carl, 'Carl in the console');
    const registration = await forecast.register(demo.people.carl, { task: task.id, time_registered: 75, date: today(), notes: 'parked until linked' });
    await pollUntil(
      async () => (await httpJson('GET', `${mapping()}/companies/${demo.companyId}/parked`, undefined, asAdmin(demo.adminKey))).some((p: any) => p.key.endsWith(`:time-registration:${registration.id}`)),
      { description: 'Carl’s registration parked', timeoutMs: PIPELINE_MS },
    );

    await signInAsOwner(demo.companyId, 'Sync status');
    await goTo('People');
    const carl = page.locator(`tr[data-person-id="${demo.people.carl}"]`);
    await carl.getByText(`Time registration ${registration.id}: Parked`).waitFor();
    await page.getByText(/items? (is|are) parked because a person is unlinked/).waitFor();

    await page.getByLabel('Show only unlinked people').check();
    expect(await page.locator(`tr[data-person-id="${demo.people.ann}"]`).isHidden()).toBe(true);
    expect(await carl.isVisible()).toBe(true);

    // The e-mail suggestion is pre-selected, but nothing is saved before "Link".
    expect(await page.getByLabel('TimeLog user for Carl Demo').inputValue()).toBe(demo.timelogEmployees.carl.initials);
    await carl.getByText('Suggested (same e-mail), not saved yet').waitFor();
    const before = await httpJson('GET', `${mapping()}/companies/${demo.companyId}/people`, undefined, asAdmin(demo.adminKey));
    expect(before.people.find((p: any) => p.forecastPersonId === demo.people.carl).link).toBeNull();
    await screenshot('people');

    await page.evaluate(() => ((globalThis as { notReloaded?: boolean }).notReloaded = true));
    await page.getByRole('button', { name: 'Link Carl Demo', exact: true }).click();
    await carl.getByText('Linked to CD').waitFor();
    await carl.getByText(`Time registration ${registration.id}: Synced`).waitFor({ timeout: PIPELINE_MS });
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.getByText('No items are parked because of an unlinked person.').waitFor();
    await screenshot('people-synced');
  });

  it('pauses a project: changes on both sides wait, counted, and nothing is written; resume applies each once', async () => {
    const { demo, forecast, timelog } = pipeline;
    const task = await syncedTaskFor(demo.people.ann, 'Ann during a migration');
    const timelogTask = (await timelog.tasks()).find((t) => t.externalKeys.some((key: { externalId: string }) => key.externalId === taskExternalKey(task.id)));
    const editor = await newConsolePerson(pipeline, 'editor', demo.companyId);
    await signInToConsole(page, consoleUrl(), editor, 'Sync status');
    await goTo('Projects');
    const row = page.locator(`tr[data-project-id="${demo.forecastProjectId}"]`);
    await row.getByRole('button', { name: /^Pause sync of / }).click();
    await row.getByText('Paused: 0 waiting').waitFor();

    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 33, date: today(), notes: 'while paused (Forecast)' });
    const work = await timelog.registerWork({ initials: demo.timelogEmployees.ann.initials, taskId: timelogTask.taskId, date: today(), minutes: 44, description: 'while paused (TimeLog)' });
    await goTo('Sync status');
    await page.getByRole('button', { name: 'Poll TimeLog now' }).click();
    const pauses = () => httpJson('GET', `${mapping()}/companies/${demo.companyId}/pauses`, undefined, asAdmin(demo.adminKey));
    // The registration and the work (and the task again, when the safety-net poll re-reads it) wait.
    await pollUntil(async () => (await pauses())[0]?.waiting >= 2, { description: 'both changes waiting', timeoutMs: PIPELINE_MS });
    await page.getByText('Its project’s sync to be resumed (Projects)').first().waitFor();
    await goTo('Projects');
    await row.getByText(/^Paused: ([2-9]|\d{2,}) waiting$/).waitFor();
    const guid = deterministicWorkGuid(demo.companyId, registration.id);
    expect((await timelog.work()).some((w) => w.guid.toLowerCase() === guid)).toBe(false);
    expect((await forecast.registrations()).some((r) => r.notes === 'while paused (TimeLog)')).toBe(false);

    await row.getByRole('button', { name: /^Resume sync of / }).click();
    await row.getByText('Running').waitFor();
    await pollUntil(async () => (await timelog.work()).filter((w) => w.guid.toLowerCase() === guid).length === 1, { description: 'the Forecast registration in TimeLog', timeoutMs: PIPELINE_MS });
    await pollUntil(async () => (await forecast.registrations()).filter((r) => r.notes === 'while paused (TimeLog)').length === 1, { description: 'the TimeLog work in Forecast', timeoutMs: PIPELINE_MS });
    expect((await timelog.work()).filter((w) => w.description === 'while paused (TimeLog)').map((w) => w.guid)).toEqual([work.guid]);
    const polled = await httpJson('GET', `${mapping()}/companies/${demo.companyId}/settings-changes?setting=poll-now`, undefined, asAdmin(demo.adminKey));
    expect(polled.items[0]).toMatchObject({ actor: editor.email, summary: 'TimeLog polled now' });
    const changes = await httpJson('GET', `${mapping()}/companies/${demo.companyId}/settings-changes?setting=pause`, undefined, asAdmin(demo.adminKey));
    expect(changes.items.map((change: { actor: string }) => change.actor)).toEqual([editor.email, editor.email]);
    expect(changes.items[0].summary).toMatch(new RegExp(`^Sync of Forecast project ${demo.forecastProjectId} resumed; ([2-9]|\\d{2,}) waiting changes released$`));
    expect(changes.items[1].summary).toBe(`Sync of Forecast project ${demo.forecastProjectId} paused`);
  });

  it('finds a synced registration in the activity log by its Forecast id', async () => {
    const { demo, forecast } = pipeline;
    const task = await syncedTaskFor(demo.people.ann, 'Ann in the activity log');
    const registration = await forecast.register(demo.people.ann, { task: task.id, time_registered: 42, date: today(), notes: 'find me' });
    await pollUntil(
      async () => (await httpJson('GET', `${mapping()}/companies/${demo.companyId}/activity?forecastId=${registration.id}`, undefined, asAdmin(demo.adminKey))).some((a: any) => a.action === 'created'),
      { description: 'registration synced', timeoutMs: PIPELINE_MS },
    );

    await signInAsOwner(demo.companyId, 'Sync status');
    await goTo('Activity log');
    await page.getByLabel('Forecast id').fill(String(registration.id));
    await page.getByRole('button', { name: 'Search' }).click();
    const created = page.locator('tr[data-action="created"]').filter({ hasText: 'Time registration' });
    await created.first().waitFor();
    const forecastIds = await page.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(forecastIds.length).toBeGreaterThan(0);
    expect(new Set(forecastIds)).toEqual(new Set([String(registration.id)]));
    expect(await created.first().textContent()).toContain('Forecast → TimeLog');
    await screenshot('activity-log');
  });

  it('pages and searches lists on the server: "Show more" appends the next page, a search narrows them all', async () => {
    const company = await seedNewCompany(pipeline);
    const db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    try {
      // More activity than one page holds; every tenth row mentions a needle.
      await db.query(
        `INSERT INTO sync_action (company_id, occurred_at, direction, entity_kind, forecast_id, action, reason)
         SELECT $1, now() - i * interval '1 second', 'forecast-to-timelog', 'time-registration', 1000 + i, 'updated', CASE WHEN i % 10 = 0 THEN 'needle ' || i END
         FROM generate_series(1, 130) AS i`,
        [company.companyId],
      );
    } finally {
      await db.end();
    }
    await signInAsOwner(company.companyId, 'Sync status');
    await goTo('Activity log');
    const rows = page.locator('table.activity tbody tr');
    await page.getByText('Showing 100 of 130 entries').waitFor();
    expect(await rows.count()).toBe(100);
    await page.getByRole('button', { name: 'Show more entries' }).click();
    await page.getByText('Showing 130 of 130 entries').waitFor();
    expect(new Set(await page.locator('table.activity tbody td:nth-child(4)').allTextContents()).size).toBe(130);
    expect(await page.getByRole('button', { name: 'Show more entries' }).count()).toBe(0);

    await page.getByLabel('Text').fill('needle');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('Showing 13 of 13 entries').waitFor();
    expect((await rows.allTextContents()).every((row) => row.includes('needle'))).toBe(true);

    await signInAsOwner(pipeline.demo.companyId, 'Sync status');
    await goTo('People');
    await page.locator(`tr[data-person-id="${pipeline.demo.people.ann}"]`).waitFor();
    await page.getByLabel('Search people', { exact: true }).fill('carl');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('Showing 1 of 1 people').waitFor();
    expect(await page.locator('tr[data-person-id]').count()).toBe(1);
    expect(await page.locator(`tr[data-person-id="${pipeline.demo.people.carl}"]`).count()).toBe(1);
  });

  it('replays a dead letter from the sync status screen', async () => {
    const { demo, kafkaNamespace } = pipeline;
    const key = `${demo.companyId}:time-registration:987654321`;
    const producer = new Kafka({ clientId: 'admin-console-test', brokers: testEnvironment.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${kafkaNamespace}.${TOPICS.forecastTimeRegistrationChanged}`,
        // Valid headers, invalid body: the writer can only dead-letter it.
        messages: [{ key, value: JSON.stringify({ companyId: demo.companyId, registrationId: 'not-a-number' }), headers: { 'event-id': randomUUID(), 'tenant-id': demo.companyId, 'schema-version': '1' } }],
      });
    } finally {
      await producer.disconnect();
    }

    await signInAsOwner(demo.companyId, 'Sync status');
    const deadLetters = page.locator('tr[data-dead-letter-id]').filter({ hasText: 'Time registration 987654321' });
    await deadLetters.first().waitFor({ timeout: PIPELINE_MS });
    expect(await deadLetters.count()).toBe(1);
    expect(await deadLetters.first().textContent()).toContain('invalid-message');
    await screenshot('sync-status');

    const original = page.locator(`tr[data-dead-letter-id="${await deadLetters.first().getAttribute('data-dead-letter-id')}"]`);
    await original.getByRole('button', { name: /^Replay dead letter/ }).click();
    await original.getByText(/^Replayed /).waitFor();
    // Still invalid, so the replayed copy comes back through Kafka as a new dead letter: the replay really was published.
    await pollUntil(async () => (await deadLetters.count()) === 2, { description: 'the replayed message dead-lettered again', timeoutMs: PIPELINE_MS });
    const statuses = await deadLetters.locator('.dead-letter-status').allTextContents();
    expect(statuses.filter((status) => status.startsWith('Replayed'))).toHaveLength(1);
  });

  it('lets an operator sign in, see every company and open one', async () => {
    await page.context().clearCookies();
    await page.goto(consoleUrl());
    await heading('Sign in').waitFor();
    await screenshot('sign-in');
    await signInToConsole(page, consoleUrl(), await newConsolePerson(pipeline, 'operator'), 'Companies');
    const demoName = `${pipeline.demo.companyId} A/S`;
    await page.getByRole('row').filter({ hasText: demoName }).waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await screenshot('companies');

    await page.getByRole('button', { name: `Open ${demoName}` }).click();
    await heading('Sync status').waitFor();
    await page.locator('#company').getByText(demoName).waitFor();
  });
});
