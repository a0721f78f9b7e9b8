import { RunningForecastSimulator, startForecastSimulator } from './simulator';
import { SeededCompany, SimulatorControl, eventually } from './testing/simulator-control';
import { WebhookReceiver } from './testing/webhook-receiver';

// One real minute of the vendor's retry schedule lasts 60 ms here.
const TIME_SCALE = 0.001;
const MINUTE_MS = 60_000 * TIME_SCALE;

let simulator: RunningForecastSimulator;
let control: SimulatorControl;
let receiver: WebhookReceiver;
let receiverUrl: string;
let company: SeededCompany;

beforeAll(async () => {
  simulator = await startForecastSimulator({ port: 0, webhookTimeScale: TIME_SCALE });
  control = new SimulatorControl(simulator.url);
  receiver = new WebhookReceiver();
  receiverUrl = await receiver.start();
});
afterAll(async () => {
  await simulator.close();
  await receiver.stop();
});
beforeEach(async () => {
  receiver.deliveries.length = 0;
  company = await control.seedCompany(`hooks-${Math.random().toString(36).slice(2, 8)}`);
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { 'X-FORECAST-API-KEY': company.apiKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function subscribe(type: string, event: string) {
  return api('POST', '/api/v1/webhook_subscriptions', { name: `${type} ${event}`, type, event, url: `${receiverUrl}/${type}/${event}` });
}

const faults = (body: unknown) => control.send('PUT', `/_sim/companies/${company.companyId}/faults`, body);
const createTaskAsUser = (fields: Record<string, unknown> = {}) =>
  control.send('POST', `/_sim/companies/${company.companyId}/tasks?personId=${company.personId}`, {
    project_id: company.projectId,
    title: 'Design',
    ...fields,
  });
const deliveredCount = (path: string, count: number) => eventually(() => (receiver.at(path).length >= count ? receiver.at(path) : undefined));

it('posts an unsigned thin payload for create, update (with fields_changed) and delete', async () => {
  for (const event of ['CREATE', 'UPDATE', 'DELETE']) await subscribe('TASK', event);
  const task = await createTaskAsUser();
  await control.send('PUT', `/_sim/companies/${company.companyId}/tasks/${task.id}?personId=${company.personId}`, {
    title: 'Build',
    assigned_persons: [company.personId],
  });
  await control.send('DELETE', `/_sim/companies/${company.companyId}/tasks/${task.id}?personId=${company.personId}`);

  const [created] = await deliveredCount('/TASK/CREATE', 1);
  const [updated] = await deliveredCount('/TASK/UPDATE', 1);
  const [deleted] = await deliveredCount('/TASK/DELETE', 1);
  const thin = (event: string) => ({
    timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    event,
    object: { id: task.id },
    person: { id: company.personId },
  });
  expect(created.body).toEqual(thin('task_created'));
  expect(updated.body).toEqual({ ...thin('task_updated'), fields_changed: ['title', 'assigned_persons'] });
  expect(deleted.body).toEqual(thin('task_deleted'));
  expect(Object.keys(created.headers).filter((header) => /signature|hmac|authorization/i.test(header))).toEqual([]);
});

it('sends only to active subscriptions of the matching type and event, one POST per subscription', async () => {
  await subscribe('TIME_REG', 'CREATE');
  const second = await subscribe('TIME_REG', 'CREATE');
  const inactive = await subscribe('TIME_REG', 'CREATE');
  await api('PUT', `/api/v1/webhook_subscriptions/${inactive.id}`, { active: false });
  await subscribe('TIME_REG', 'DELETE');
  const task = await createTaskAsUser();
  const registration = await control.send('POST', `/_sim/companies/${company.companyId}/time_registrations?personId=${company.personId}`, {
    person: company.personId,
    task: task.id,
    time_registered: 30,
    date: '2024-03-01',
  });
  await deliveredCount('/TIME_REG/CREATE', 2);
  await api('DELETE', `/api/v1/webhook_subscriptions/${second.id}`);
  await api('PUT', `/api/v1/time_registrations/${registration.id}`, { notes: 'no UPDATE subscription' });
  await api('DELETE', `/api/v1/time_registrations/${registration.id}`);
  const [deleted] = await deliveredCount('/TIME_REG/DELETE', 1);
  expect(deleted.body).toMatchObject({ event: 'time_registration_deleted', object: { id: registration.id }, person: { id: company.apiPersonId } });
  expect(receiver.deliveries.map((delivery) => delivery.path).sort()).toEqual(['/TIME_REG/CREATE', '/TIME_REG/CREATE', '/TIME_REG/DELETE']);
});

it('retries after non-2xx answers at 1, 2, 3, 5 and 10 (scaled) minutes, then gives up', async () => {
  await subscribe('TASK', 'CREATE');
  receiver.failNext(10);
  await createTaskAsUser();
  const attempts = await deliveredCount('/TASK/CREATE', 6);
  const gaps = attempts.slice(1).map((attempt, index) => attempt.receivedAt - attempts[index].receivedAt);
  [1, 2, 3, 5, 10].forEach((minutes, index) => {
    expect(gaps[index]).toBeGreaterThanOrEqual(minutes * MINUTE_MS - 5);
    expect(gaps[index]).toBeLessThan(minutes * MINUTE_MS + 250);
  });
  const log = await eventually(async () => {
    const entries = await control.send('GET', `/_sim/companies/${company.companyId}/webhook_deliveries`);
    return entries.length === 6 ? entries : undefined;
  });
  expect(log.map((entry: any) => [entry.attempt, entry.outcome])).toEqual([1, 2, 3, 4, 5, 6].map((attempt) => [attempt, 'failed']));
  expect(new Set(attempts.map((attempt) => JSON.stringify(attempt.body))).size).toBe(1);
});

it('stops retrying once the receiver answers 2xx', async () => {
  await subscribe('TASK', 'CREATE');
  receiver.failNext(2);
  await createTaskAsUser();
  await deliveredCount('/TASK/CREATE', 3);
  const log = await eventually(async () => {
    const entries = await control.send('GET', `/_sim/companies/${company.companyId}/webhook_deliveries`);
    return entries.length === 3 ? entries : undefined;
  });
  expect(log.map((entry: any) => entry.outcome)).toEqual(['failed', 'failed', 'delivered']);
});

it('fault switches: duplicate, legacy unix-millis timestamp, drop and reorder', async () => {
  await subscribe('TASK', 'CREATE');
  await faults({ webhooks: { duplicate: true, legacyTimestamp: true } });
  const before = Date.now();
  const task = await createTaskAsUser();
  const copies = await deliveredCount('/TASK/CREATE', 2);
  expect(copies.map((copy) => copy.body.object.id)).toEqual([task.id, task.id]);
  expect(copies[0].body.timestamp).toMatch(/^\d{13}$/);
  expect(Number(copies[0].body.timestamp)).toBeGreaterThanOrEqual(before);

  receiver.deliveries.length = 0;
  await faults({ webhooks: { duplicate: false, legacyTimestamp: false, dropNext: 1, reorder: true } });
  const dropped = await createTaskAsUser({ title: 'dropped' });
  const first = await createTaskAsUser({ title: 'first' });
  const second = await createTaskAsUser({ title: 'second' });
  const delivered = await deliveredCount('/TASK/CREATE', 2);
  expect(delivered.map((delivery) => delivery.body.object.id)).toEqual([second.id, first.id]);
  const log = await control.send('GET', `/_sim/companies/${company.companyId}/webhook_deliveries`);
  expect(log.find((entry: any) => entry.payload.object.id === dropped.id).outcome).toBe('dropped');
});

it('fires for API-key changes by default (as the API person) and not when switched off', async () => {
  await subscribe('TASK', 'CREATE');
  await api('POST', '/api/v3/tasks', { project_id: company.projectId, title: 'via key' });
  const [viaKey] = await deliveredCount('/TASK/CREATE', 1);
  expect(viaKey.body.person).toEqual({ id: company.apiPersonId });

  await faults({ apiKeyChangesFireWebhooks: false });
  await api('POST', '/api/v3/tasks', { project_id: company.projectId, title: 'silent' });
  const byUser = await createTaskAsUser({ title: 'by user' });
  const deliveries = await deliveredCount('/TASK/CREATE', 2);
  expect(deliveries.map((delivery) => delivery.body.object.id)[1]).toBe(byUser.id);
  const log = await control.send('GET', `/_sim/companies/${company.companyId}/webhook_deliveries`);
  expect(log).toHaveLength(2);
});
