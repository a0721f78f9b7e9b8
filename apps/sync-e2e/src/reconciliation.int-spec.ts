import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { newConsolePerson, signInToConsole } from './console-sign-in';
import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { httpJson, pollUntil } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

// Every port base stays below 32768, where outgoing connections take their ephemeral ports.
const PORT_BASE = 31700;
const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SYNC_MS = 60_000;
const today = () => new Date().toISOString().slice(0, 10);
const monthsAgo = (months: number) => new Date(Date.now() - months * 31 * 86_400_000).toISOString();

/**
 * The reconciliation report finds drift planted behind the sync's back and its resync repairs it, driven in the
 * admin console. The safety-net poll is off (an hour), so a dropped webhook stays a difference.
 */
describe('reconciliation report (all services as processes, both simulators, the console in Chromium)', () => {
  let pipeline: Pipeline;
  let browser: BrowserContext | undefined;
  let page: Page;
  let taskId: number;
  const registrations: number[] = [];
  let duplicate: number;

  const report = () =>
    httpJson('GET', `${pipeline.system.url('mapping-service')}/companies/${pipeline.demo.companyId}/reconciliation?from=${today()}&to=${today()}`, undefined, {
      authorization: `Bearer ${pipeline.demo.adminKey}`,
    });
  const work = async (registrationId: number) => (await pipeline.timelog.work()).find((w: any) => w.guid === deterministicWorkGuid(pipeline.demo.companyId, registrationId));
  const registration = async (id: number) => (await pipeline.forecast.registrations()).find((r: any) => r.id === id);
  const simulator = () => pipeline.system.url('forecast-simulator');

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    pipeline = await startPipeline(PORT_BASE, { SAFETY_POLL_INTERVAL_SECONDS: '3600' });
    await pipeline.system.startService('admin-console');
    await pipeline.system.startService('identity-provider');
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'reconcile-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    page = await browser.newPage();

    const { forecast, demo } = pipeline;
    taskId = (await forecast.createTask(demo.people.ann, { title: 'Reconciled work', project_id: demo.forecastProjectId, assigned_persons: [demo.people.ann] })).id;
    await pollUntil(async () => (await pipeline.timelog.tasks()).some((t: any) => t.externalKeys?.some((k: any) => k.externalId === taskExternalKey(taskId))), { timeoutMs: SYNC_MS, description: 'task in TimeLog' });
    for (const minutes of [30, 45, 60]) registrations.push((await forecast.register(demo.people.ann, { task: taskId, time_registered: minutes, date: today(), notes: `Review ${minutes}` })).id);
    await pollUntil(async () => (await Promise.all(registrations.map(work))).every(Boolean), { timeoutMs: SYNC_MS, description: 'three works in TimeLog' });

    // 1. Changed only in Forecast: its webhook is dropped and the safety net is off.
    await forecast.faults({ webhooks: { dropNext: 1 } });
    await forecast.updateRegistration(demo.people.ann, registrations[0], { time_registered: 35 });
    // 2. Deleted only in TimeLog, on a day outside the change log's three months: no poll ever sees it.
    const clock = `${pipeline.system.url('timelog-simulator')}/_sim/clock`;
    await httpJson('PUT', clock, { now: monthsAgo(4) });
    await pipeline.timelog.deleteWork(deterministicWorkGuid(demo.companyId, registrations[1]));
    await httpJson('PUT', clock, { now: null });
    // 3. A second copy of a synced registration made by hand, its GUID field copied along (Forecast's "duplicate").
    await forecast.faults({ webhooks: { dropNext: 2 } });
    duplicate = (await forecast.register(demo.people.ann, { task: taskId, time_registered: 60, date: today(), notes: 'Review 60' })).id;
    await httpJson('PUT', `${simulator()}/api/v1/time_registrations/${duplicate}/custom_fields`, { timelog_work_guid: deterministicWorkGuid(demo.companyId, registrations[2]) }, { 'X-FORECAST-API-KEY': demo.forecastApiKey });
    await httpJson('POST', `${pipeline.system.url('timelog-poller')}/companies/${demo.companyId}/poll-now`, undefined, { authorization: `Bearer ${OPERATOR_TOKEN}` });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await pipeline?.system.stop();
  });

  it('lists each planted difference by kind with both versions and the winning side', async () => {
    const found = await report();
    expect(found.counts).toEqual({ 'missing-in-timelog': 1, 'missing-in-forecast': 0, 'content-differs': 1, duplicate: 1 });
    expect(found.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'content-differs', forecastId: registrations[0], forecast: expect.objectContaining({ minutes: 35 }), timelog: expect.objectContaining({ minutes: 30 }), winner: 'forecast' }),
        expect.objectContaining({ kind: 'missing-in-timelog', forecastId: registrations[1], timelog: null, winner: 'timelog' }),
        expect.objectContaining({ kind: 'duplicate', forecastId: duplicate, winner: 'timelog' }),
      ]),
    );
  });

  it('repairs them from the Reconcile view: one row from its winner, one from the side the admin picks, the rest with "resync all"', async () => {
    await signInToConsole(page, pipeline.system.url('admin-console'), await newConsolePerson(pipeline, 'editor', pipeline.demo.companyId), 'Sync status');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reconcile', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Reconcile' }).waitFor();
    await page.getByLabel('From').fill(today());
    await page.getByLabel('To').fill(today());
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.locator('tr[data-kind="content-differs"]').waitFor();
    expect(await page.locator('#reconcile-counts dd[data-kind="duplicate"]').textContent()).toBe('1');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'reconcile.png'), fullPage: true });

    // Forecast's later edit wins: TimeLog gets 35 minutes.
    await page.locator('tr[data-kind="content-differs"]').getByRole('button', { name: 'Resync from Forecast' }).click();
    await pollUntil(async () => (await work(registrations[0]))?.minutes === 35, { timeoutMs: SYNC_MS, description: 'TimeLog work of the edited registration has 35 minutes' });

    // The rule says TimeLog's deletion wins; the admin keeps the registration and has the work made again instead.
    await page.locator('tr[data-kind="missing-in-timelog"]').getByRole('button', { name: 'Use Forecast instead' }).click();
    await pollUntil(async () => (await work(registrations[1]))?.minutes === 45, { timeoutMs: SYNC_MS, description: 'the deleted work made again from Forecast' });

    await page.getByRole('button', { name: 'Resync all' }).click();
    await pollUntil(async () => !(await registration(duplicate)), { timeoutMs: SYNC_MS, description: 'the hand-made duplicate deleted' });

    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByText('Forecast and TimeLog agree').waitFor({ timeout: SYNC_MS });
    expect((await report()).differences).toEqual([]);
    expect(await registration(registrations[2])).toBeTruthy();
  });

  it('resyncs one registration changed behind the sync’s back by its id, and the activity log says so', async () => {
    const { forecast, demo } = pipeline;
    const mapping = pipeline.system.url('mapping-service');
    const asAdmin = { authorization: `Bearer ${demo.adminKey}` };
    const id = (await forecast.register(demo.people.ann, { task: taskId, time_registered: 60, date: today(), notes: 'Resync me' })).id;
    await pollUntil(async () => (await work(id))?.minutes === 60, { timeoutMs: SYNC_MS, description: 'the registration synced with 60 minutes' });
    // Edited with its webhook dropped and the safety net off: TimeLog keeps the old value.
    await forecast.faults({ webhooks: { dropNext: 1 } });
    await forecast.updateRegistration(demo.people.ann, id, { time_registered: 90 });
    expect((await report()).differences).toEqual([expect.objectContaining({ kind: 'content-differs', forecastId: id, forecast: expect.objectContaining({ minutes: 90 }), timelog: expect.objectContaining({ minutes: 60 }) })]);

    const editor = await newConsolePerson(pipeline, 'editor', demo.companyId);
    await signInToConsole(page, pipeline.system.url('admin-console'), editor, 'Sync status');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity log', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
    await page.getByLabel('Item').selectOption('registration');
    await page.getByLabel('Id', { exact: true }).fill(String(id));
    await page.getByRole('button', { name: 'Resync', exact: true }).click();
    await page.locator('#resync-outcome').getByText(`Forecast time registration ${id}: TimeLog work to be updated from Forecast (minutes 60 → 90).`).waitFor();
    await pollUntil(async () => (await work(id))?.minutes === 90, { timeoutMs: SYNC_MS, description: 'the TimeLog work repaired to 90 minutes' });

    // The activity log: the request with what differed, then the writer's update of the work.
    await page.getByLabel('Forecast id').fill(String(id));
    await page.getByRole('button', { name: 'Search' }).click();
    const updated = page.locator('tr[data-action="updated"]').filter({ hasText: 'resynced at an admin’s request' });
    await pollUntil(async () => (await page.getByRole('button', { name: 'Search' }).click(), (await updated.count()) === 1), { timeoutMs: SYNC_MS, description: 'the resync’s update in the activity log' });
    expect(await page.locator('tr[data-action="resync-requested"]').first().textContent()).toContain(`Resync of registration ${id}: TimeLog work to be updated from Forecast (minutes 60 → 90)`);
    const activity = await httpJson('GET', `${mapping}/companies/${demo.companyId}/activity?forecastId=${id}`, undefined, asAdmin);
    expect(activity.find((row: any) => row.action === 'updated' && row.reason === 'resynced at an admin’s request')).toMatchObject({ before: expect.objectContaining({ minutes: 60 }), after: expect.objectContaining({ minutes: 90 }) });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'resync-by-id.png'), fullPage: true });

    // Once repaired, the row's own resync finds nothing to send.
    await page.getByRole('button', { name: `Resync Forecast time registration ${id}` }).first().click();
    await page.locator('#resync-outcome').getByText(`Forecast time registration ${id}: already in sync.`).waitFor();
    const changes = await httpJson('GET', `${mapping}/companies/${demo.companyId}/settings-changes?setting=resync&actor=${encodeURIComponent(editor.email)}`, undefined, asAdmin);
    expect(changes.items.map((change: { summary: string }) => change.summary)).toEqual([
      `Resync registration ${id}; already in sync`,
      `Resync registration ${id}; TimeLog work to be updated from Forecast (minutes 60 → 90)`,
    ]);

    // By its work's GUID (upper case, as TimeLog may show it) the same entry is found through its pair: in sync too.
    const byWork = await fetch(`${mapping}/companies/${demo.companyId}/works/${deterministicWorkGuid(demo.companyId, id).toUpperCase()}/resync`, { method: 'POST', headers: asAdmin });
    expect([byWork.status, await byWork.json()]).toEqual([202, expect.objectContaining({ outcome: 'in-sync', summary: 'already in sync' })]);

    // Out of reach: unknown ids, a malformed GUID, a person nobody linked.
    const post = (path: string) => fetch(`${mapping}/companies/${demo.companyId}${path}`, { method: 'POST', headers: asAdmin });
    const refusal = async (path: string) => {
      const answer = await post(path);
      return { status: answer.status, body: (await answer.json()) as { error: { code: string; message: string } } };
    };
    expect(await refusal('/registrations/987654321/resync')).toMatchObject({ status: 404, body: { error: { code: 'resync.unknown_registration' } } });
    expect(await refusal(`/works/${randomUUID()}/resync`)).toMatchObject({ status: 404, body: { error: { code: 'resync.unknown_work' } } });
    expect(await refusal('/tasks/987654321/resync')).toMatchObject({ status: 404, body: { error: { code: 'resync.unknown_task' } } });
    expect((await refusal('/works/not-a-guid/resync')).status).toBe(400);
    const carls = (await forecast.register(demo.people.carl, { task: taskId, time_registered: 15, date: today(), notes: 'Carl is not linked' })).id;
    const unlinked = await refusal(`/registrations/${carls}/resync`);
    expect(unlinked).toMatchObject({ status: 422, body: { error: { code: 'resync.person_not_linked' } } });
    expect(unlinked.body.error.message).toContain('not linked to a TimeLog user');
    // A task is resent to TimeLog as its change event would be; the writer's row says it was a resync.
    expect((await refusal(`/tasks/${taskId}/resync`)).status).toBe(202);
    await pollUntil(
      async () => (await httpJson('GET', `${mapping}/companies/${demo.companyId}/activity?forecastId=${taskId}`, undefined, asAdmin)).some((row: any) => row.entityKind === 'task' && row.action === 'updated' && row.reason === 'resynced at an admin’s request'),
      { timeoutMs: SYNC_MS, description: 'the task resent to TimeLog' },
    );
  });
});
