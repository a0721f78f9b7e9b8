import { RunningForecastSimulator, startForecastSimulator } from '../../../apps/forecast-simulator/src/simulator';
import { SeededCompany, SimulatorControl } from '../../../apps/forecast-simulator/src/testing/simulator-control';
import { ExternalCallError } from '@timelog-sync/domain';
import { ForecastClient, createForecastClient } from './index';

// Contract tests: the production client against the simulator, one company per test.

let simulator: RunningForecastSimulator;
let control: SimulatorControl;
let company: SeededCompany;
let client: ForecastClient;

beforeAll(async () => {
  simulator = await startForecastSimulator({ port: 0 });
  control = new SimulatorControl(simulator.url);
});
afterAll(() => simulator.close());
beforeEach(async () => {
  company = await control.seedCompany(`client-${Math.random().toString(36).slice(2, 8)}`);
  client = createForecastClient({ baseUrl: simulator.url, apiKey: company.apiKey }, { retry: { initialDelayMs: 10 } });
});

const companyPath = () => `/_sim/companies/${company.companyId}`;
const calls = async () => (await control.send('GET', `${companyPath()}/calls`)).counts as Record<string, number>;
const rejection = (promise: Promise<unknown>) => promise.then(() => Promise.reject(new Error('expected a rejection')), (error) => error as ExternalCallError);

describe('tasks', () => {
  it('creates, reads, updates, lists and deletes with domain types', async () => {
    const created = await client.createTask({ projectId: company.projectId, title: 'Design', billable: false, assignedPersonIds: [company.personId] });
    expect(created).toMatchObject({ projectId: company.projectId, title: 'Design', billable: false, assignedPersonIds: [company.personId] });
    expect(created.createdAt).toMatch(/Z$/);

    const updated = await client.updateTask(created.id, { title: 'Build', workflowColumnId: company.columns.DONE });
    expect(updated).toMatchObject({ id: created.id, title: 'Build', workflowColumnId: company.columns.DONE, billable: false });
    expect(await client.getTask(created.id)).toEqual({ ...updated, customFields: {} });
    expect((await client.listTasks()).map((task) => task.id)).toEqual([created.id]);
    expect((await client.listTasks(company.projectId)).map((task) => task.id)).toEqual([created.id]);
    const columns = await client.listWorkflowColumns(company.projectId);
    expect(columns.find((column) => column.id === updated.workflowColumnId)?.category).toBe('DONE');

    await client.deleteTask(created.id);
    expect(await client.listDeletedTasks()).toEqual([{ taskId: created.id, deletedBy: company.apiPersonId, deletedAt: expect.any(String) }]);
    const missing = await rejection(client.getTask(created.id));
    expect(missing).toMatchObject({ failureClass: 'permanent', code: '404' });
    expect(await calls()).toMatchObject({ 'POST /api/v3/tasks': 1, 'PUT /api/v3/tasks/:taskId': 1, 'DELETE /api/v2/tasks/:taskId': 1 });
  });

  it('lists updated_after in UTC with the overlap the caller chooses', async () => {
    const task = await client.createTask({ projectId: company.projectId, title: 'Design' });
    const updatedAt = new Date(task.updatedAt!);
    expect(await client.listTasksUpdatedAfter(new Date(updatedAt.getTime() + 1000), 0)).toEqual([]);
    expect((await client.listTasksUpdatedAfter(new Date(updatedAt.getTime() + 1000), 5000)).map((found) => found.id)).toEqual([task.id]);
  });

  it('pages through v4 lists and stops exactly when totalObjectCount is reached', async () => {
    await control.send('PUT', `${companyPath()}/settings`, { maxPageSize: 2 });
    for (let index = 0; index < 4; index++) await client.createTask({ projectId: company.projectId, title: `T${index}` });
    await control.send('DELETE', `${companyPath()}/calls`);
    expect(await client.listTasks()).toHaveLength(4);
    expect((await calls())['GET /api/v4/tasks']).toBe(2);
  });

  it('keeps custom fields', async () => {
    await control.send('POST', `${companyPath()}/custom_fields`, { entity: 'TASK', key: 'timelog_id' });
    const task = await client.createTask({ projectId: company.projectId });
    expect((await client.setTaskCustomFields(task.id, { timelog_id: 'abc' })).customFields).toEqual({ timelog_id: 'abc' });
    expect((await client.getTask(task.id)).customFields).toEqual({ timelog_id: 'abc' });
  });
});

describe('time registrations', () => {
  it('creates, reads, updates, lists with filters and deletes', async () => {
    const task = await client.createTask({ projectId: company.projectId, title: 'Design' });
    const created = await client.createTimeRegistration({
      personId: company.personId,
      target: { kind: 'task', taskId: task.id },
      minutes: 90,
      date: '2024-03-01',
      notes: 'review',
    });
    expect(created).toMatchObject({ personId: company.personId, target: { kind: 'task', taskId: task.id }, minutes: 90, billableMinutes: 90 });
    const updated = await client.updateTimeRegistration(created.id, { minutes: 45, notes: 'shorter' });
    expect(updated).toMatchObject({ minutes: 45, notes: 'shorter' });
    expect((await client.getTimeRegistration(created.id)).minutes).toBe(45);

    const listed = await client.listTimeRegistrations();
    expect(listed).toEqual([expect.objectContaining({ id: created.id, target: { kind: 'task', taskId: task.id, projectId: company.projectId } })]);
    expect(await client.listTimeRegistrations({ dateAfter: '2024-03-01' })).toEqual([]);
    expect(await client.listTimeRegistrations({ dateAfter: '2024-02-29' })).toHaveLength(1);
    const since = { since: new Date(Date.parse(updated.updatedAt!) + 1000), overlapMs: 0 };
    expect(await client.listTimeRegistrations({ updatedAfter: since })).toEqual([]);
    expect(await client.listTimeRegistrations({ updatedAfter: { ...since, overlapMs: 5000 } })).toHaveLength(1);

    await client.deleteTimeRegistration(created.id);
    expect(await client.listDeletedTimeRegistrations()).toEqual([
      { timeRegistrationId: created.id, deletedBy: company.apiPersonId, deletedAt: expect.any(String) },
    ]);
  });

  it('maps project and non-project time targets', async () => {
    const internal = await control.send('POST', `${companyPath()}/non_project_time`, { name: 'Admin', is_internal_time: true });
    const onProject = await client.createTimeRegistration({
      personId: company.personId,
      target: { kind: 'project', projectId: company.projectId },
      minutes: 15,
      date: '2024-03-01',
    });
    const internalTime = await client.createTimeRegistration({
      personId: company.personId,
      target: { kind: 'nonProjectTime', nonProjectTimeId: internal.id },
      minutes: 15,
      date: '2024-03-01',
    });
    expect(onProject.target).toEqual({ kind: 'project', projectId: company.projectId });
    expect(internalTime.target).toEqual({ kind: 'nonProjectTime', nonProjectTimeId: internal.id });
  });

  it('reports a validation message as a permanent error and keeps the message', async () => {
    await control.send('PUT', `${companyPath()}/settings`, { timeRegistrationRules: { noteRequired: true } });
    const error = await rejection(
      client.createTimeRegistration({ personId: company.personId, target: { kind: 'project', projectId: company.projectId }, minutes: 5, date: '2024-03-01' }),
    );
    expect(error).toBeInstanceOf(ExternalCallError);
    expect(error).toMatchObject({ failureClass: 'permanent', code: '400', operation: 'createTimeRegistration' });
    expect(error.message).toContain('Time Registration must include a Note');
  });
});

describe('persons, projects and webhook subscriptions', () => {
  it('reads persons (v2) and projects (v1)', async () => {
    const persons = await client.listPersons();
    expect(persons.find((person) => person.id === company.personId)).toMatchObject({ email: `ann@${company.companyId}.example`, isSystemUser: false });
    expect(await client.getPerson(company.personId)).toMatchObject({ firstName: 'Ann', lastName: 'Lee' });
    expect(await client.listProjects()).toEqual([expect.objectContaining({ id: company.projectId, estimationUnits: 'HOURS' })]);
    expect(await client.getProject(company.projectId)).toMatchObject({ name: 'Website', remainingAutoCalculated: false });
  });

  it('creates, lists and deletes webhook subscriptions', async () => {
    const created = await client.createWebhookSubscription({ name: 'tasks', type: 'TASK', event: 'UPDATE', url: 'http://127.0.0.1:9/hook' });
    expect(created).toMatchObject({ type: 'TASK', event: 'UPDATE', active: true });
    expect(await client.listWebhookSubscriptions()).toEqual([created]);
    await client.deleteWebhookSubscription(created.id);
    expect(await client.listWebhookSubscriptions()).toEqual([]);
  });
});

describe('failures, retries and the concurrency cap', () => {
  it('refuses a response body over the size bound as malformed, without holding or retrying it', async () => {
    const small = createForecastClient({ baseUrl: simulator.url, apiKey: company.apiKey }, { maxResponseBytes: 64 });
    const total = async () => Object.values(await calls()).reduce((sum, count) => sum + count, 0);
    const before = await total();
    const error = await rejection(small.listPersons());
    expect(error).toMatchObject({ code: 'MALFORMED_RESPONSE', failureClass: 'permanent' });
    expect(error.message).toContain('larger than 64 bytes');
    expect((await total()) - before).toBe(1);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    await control.send('PUT', `${companyPath()}/faults`, { rateLimit: { remainingCalls: 1, retryAfterSeconds: 1 } });
    const started = Date.now();
    expect(await client.listPersons()).not.toHaveLength(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await calls())['GET /api/v2/persons']).toBe(2);
  });

  it('hands a long Retry-After to the caller and refuses that company\'s calls until then, not another company\'s', async () => {
    await control.send('PUT', `${companyPath()}/faults`, { rateLimit: { remainingCalls: 1, retryAfterSeconds: 60 } });
    const deferring = createForecastClient({ baseUrl: simulator.url, apiKey: company.apiKey }, { retry: { maxRetryAfterSeconds: 1 } });
    expect(await rejection(deferring.listPersons())).toMatchObject({ failureClass: 'retryable', code: '429', retryAfterSeconds: 60 });
    const paused = await rejection(deferring.listProjects());
    expect(paused).toMatchObject({ failureClass: 'retryable', code: 'PAUSED' });
    expect(paused.retryAfterSeconds).toBeGreaterThan(55);
    expect(deferring.pausedUntil()).not.toBeNull();
    expect((await calls())['GET /api/v1/projects']).toBeUndefined();
    const other = await control.seedCompany(`client-${Math.random().toString(36).slice(2, 8)}`);
    expect(await createForecastClient({ baseUrl: simulator.url, apiKey: other.apiKey }).listProjects()).toHaveLength(1);
  });

  it('retries a 5xx burst on reads but leaves a failed create to the caller', async () => {
    await control.send('PUT', `${companyPath()}/faults`, { serverErrors: { remainingCalls: 2, status: 503 } });
    expect(await client.listProjects()).toHaveLength(1);
    await control.send('PUT', `${companyPath()}/faults`, { serverErrors: { remainingCalls: 1, status: 502 } });
    const error = await rejection(client.createTask({ projectId: company.projectId }));
    expect(error).toMatchObject({ failureClass: 'retryable', code: '502' });
    expect(await calls()).toMatchObject({ 'GET /api/v1/projects': 3, 'POST /api/v3/tasks': 1 });
  });

  it('gives up after the bounded number of attempts', async () => {
    await control.send('PUT', `${companyPath()}/faults`, { serverErrors: { remainingCalls: 10, status: 500 } });
    const limited = createForecastClient({ baseUrl: simulator.url, apiKey: company.apiKey }, { retry: { maxAttempts: 3, initialDelayMs: 5 } });
    expect(await rejection(limited.listPersons())).toMatchObject({ failureClass: 'retryable', code: '500' });
    expect((await calls())['GET /api/v2/persons']).toBe(3);
  });

  it('classifies a bad key as permanent without leaking it', async () => {
    const wrongKey = 'wrong-key-do-not-log';
    const stranger = createForecastClient({ baseUrl: simulator.url, apiKey: wrongKey });
    const error = await rejection(stranger.listPersons());
    expect(error).toMatchObject({ failureClass: 'permanent', code: '401' });
    expect(error.message).toContain('Server failed to authenticate the request.');
    expect(error.message).not.toContain(wrongKey);
  });

  it('never has more calls in flight for one company than the cap, across clients', async () => {
    await control.send('PUT', `${companyPath()}/faults`, { latencyMs: 50 });
    const connection = { baseUrl: simulator.url, apiKey: company.apiKey };
    const first = createForecastClient(connection, { maxConcurrency: 2 });
    const second = createForecastClient(connection, { maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, index) => (index % 2 ? first : second).listPersons()));
    const { maxInFlight, counts } = await control.send('GET', `${companyPath()}/calls`);
    expect(counts['GET /api/v2/persons']).toBe(8);
    expect(maxInFlight).toBe(2);
  });
});
