import { RunningForecastSimulator, startForecastSimulator } from './simulator';
import { SeededCompany, SimulatorControl } from './testing/simulator-control';

// Raw HTTP against the simulator, checked against docs/forecast-api.md — deliberately not using the client.

let simulator: RunningForecastSimulator;
let control: SimulatorControl;
let company: SeededCompany;

beforeAll(async () => {
  simulator = await startForecastSimulator({ port: 0 });
  control = new SimulatorControl(simulator.url);
});
afterAll(() => simulator.close());
beforeEach(async () => {
  company = await control.seedCompany(`raw-${Math.random().toString(36).slice(2, 8)}`);
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      'X-FORECAST-API-KEY': company.apiKey,
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

const createTask = async (fields: Record<string, unknown> = {}) =>
  (await api('POST', '/api/v3/tasks', { project_id: company.projectId, title: 'Design', ...fields })).body;
const registration = (fields: Record<string, unknown>) => ({ person: company.personId, time_registered: 60, date: '2024-03-01', ...fields });

describe('authentication and content type', () => {
  it.each([
    ['missing', {} as Record<string, string>],
    ['wrong', { 'X-FORECAST-API-KEY': 'not-a-key' }],
  ])('answers 401 with the documented body when the key is %s', async (_case, headers) => {
    const response = await fetch(`${simulator.url}/api/v4/tasks`, { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ status: 401, message: 'Server failed to authenticate the request.' });
  });

  it('answers 415 to a write without a JSON content type', async () => {
    const response = await api('POST', '/api/v3/tasks', undefined, { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({ status: 415, message: expect.any(String) });
    const put = await fetch(`${simulator.url}/api/v1/time_registrations/1`, {
      method: 'PUT',
      headers: { 'X-FORECAST-API-KEY': company.apiKey },
      body: '{}',
    });
    expect(put.status).toBe(415);
  });
});

describe('status codes and error bodies', () => {
  it('creates with 201, updates and reads with 200, deletes with 200 and an empty body', async () => {
    const created = await api('POST', '/api/v3/tasks', { project_id: company.projectId, title: 'Design' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Design', project_id: company.projectId, workflow_column: company.columns.TODO, approved: true });
    expect(created.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect((await api('PUT', `/api/v3/tasks/${created.body.id}`, { title: 'Build' })).body.title).toBe('Build');
    expect((await api('GET', `/api/v3/tasks/${created.body.id}`)).status).toBe(200);
    const deleted = await api('DELETE', `/api/v2/tasks/${created.body.id}`);
    expect([deleted.status, deleted.text]).toEqual([200, '']);
  });

  it.each([
    ['GET', '/api/v3/tasks/999999'],
    ['PUT', '/api/v3/tasks/999999'],
    ['DELETE', '/api/v2/tasks/999999'],
    ['GET', '/api/v3/time_registrations/999999'],
    ['PUT', '/api/v1/time_registrations/999999'],
    ['DELETE', '/api/v1/time_registrations/999999'],
    ['GET', '/api/v2/persons/999999'],
    ['GET', '/api/v1/projects/999999'],
    ['DELETE', '/api/v1/webhook_subscriptions/999999'],
    ['GET', '/api/v3/tasks/not-a-number'],
  ])('answers 404 {status, message} for unknown ids: %s %s', async (method, path) => {
    const response = await api(method, path, method === 'PUT' ? {} : undefined);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ status: 404, message: expect.any(String) });
  });

  it('does not serve writes on versions the reference does not document', async () => {
    const task = await createTask();
    expect((await api('DELETE', `/api/v3/tasks/${task.id}`)).status).toBe(404);
    expect((await api('POST', '/api/v4/time_registrations', registration({ task: task.id }))).status).toBe(404);
  });

  it('answers 400 {status, message} for an invalid body', async () => {
    const response = await api('POST', '/api/v3/tasks', { title: 'no project' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ status: 400, message: 'project_id is required' });
  });
});

describe('v4 pagination envelope', () => {
  it('defaults to page 1 of 100 and falls back to them on invalid parameters', async () => {
    await createTask();
    for (const query of ['', '?pageNumber=0&pageSize=-5', '?pageNumber=abc&pageSize=x']) {
      const { body } = await api('GET', `/api/v4/tasks${query}`);
      expect(body).toEqual({ pageNumber: 1, pageSize: 100, totalObjectCount: 1, pageContents: [expect.objectContaining({ title: 'Design' })] });
    }
  });

  it('pages by id ascending and reports the page size actually used', async () => {
    const ids = [];
    for (let index = 0; index < 5; index++) ids.push((await createTask({ title: `T${index}` })).id);
    const second = (await api('GET', '/api/v4/tasks?pageNumber=2&pageSize=2')).body;
    expect(second).toMatchObject({ pageNumber: 2, pageSize: 2, totalObjectCount: 5 });
    expect(second.pageContents.map((task: any) => task.id)).toEqual(ids.slice(2, 4));
    await control.send('PUT', `/_sim/companies/${company.companyId}/settings`, { maxPageSize: 3 });
    expect((await api('GET', '/api/v4/tasks?pageSize=50')).body).toMatchObject({ pageSize: 3, totalObjectCount: 5 });
  });

  it('filters updated_after strictly after a UTC YYYYMMDDTHHmmss instant and rejects other formats', async () => {
    const old = await createTask({ title: 'old' });
    const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').slice(0, 15);
    const future = stamp(new Date(Date.now() + 60_000));
    expect((await api('GET', `/api/v4/tasks/updated_after/${future}`)).body.totalObjectCount).toBe(0);
    const past = stamp(new Date(Date.parse(old.updated_at) - 1000));
    expect((await api('GET', `/api/v4/tasks/updated_after/${past}`)).body.pageContents.map((task: any) => task.id)).toEqual([old.id]);
    expect((await api('GET', '/api/v4/tasks/updated_after/2024-01-01')).status).toBe(400);
  });
});

describe('time registrations', () => {
  it('reads task time as project null + task_project in v4 and with card in v3', async () => {
    const task = await createTask();
    const created = await api('POST', '/api/v1/time_registrations', registration({ task: task.id }));
    expect(created.status).toBe(201);
    const v3 = (await api('GET', `/api/v3/time_registrations/${created.body.id}`)).body;
    expect(v3).toMatchObject({ task: task.id, card: task.id, project: null, time_registered: 60, approval_status: 'NOT_SUBMITTED' });
    const v4 = (await api('GET', '/api/v4/time_registrations')).body.pageContents[0];
    expect(v4).toMatchObject({ task: task.id, project: null, task_project: company.projectId, invoice: null });
    expect(v4).not.toHaveProperty('card');
  });

  it.each<[string, Record<string, unknown>]>([
    ['none', {}],
    ['two', { project: 1, task: 2 }],
  ])('requires exactly one of project, task and non_project_time (%s)', async (_case, targets) => {
    const response = await api('POST', '/api/v1/time_registrations', registration(targets));
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('Exactly one of project, task or non_project_time must be supplied');
  });

  it('refuses to move a registration to another person, task or project on update', async () => {
    const task = await createTask();
    const other = await createTask();
    const { body } = await api('POST', '/api/v1/time_registrations', registration({ task: task.id }));
    for (const move of [{ task: other.id }, { person: company.apiPersonId }, { project: company.projectId }]) {
      expect((await api('PUT', `/api/v1/time_registrations/${body.id}`, move)).status).toBe(400);
    }
    const echoed = await api('PUT', `/api/v1/time_registrations/${body.id}`, { task: task.id, time_registered: 90 });
    expect(echoed.body).toMatchObject({ task: task.id, time_registered: 90, billable_minutes_registered: 90 });
  });

  it('filters date_after on the registration date and accepts the v3 query forms', async () => {
    const task = await createTask();
    await api('POST', '/api/v1/time_registrations', registration({ task: task.id, date: '2024-03-01' }));
    const later = (await api('POST', '/api/v1/time_registrations', registration({ task: task.id, date: '2024-03-02' }))).body;
    const v4 = (await api('GET', '/api/v4/time_registrations/date_after/20240301')).body;
    expect(v4.pageContents.map((entry: any) => entry.id)).toEqual([later.id]);
    const v3 = (await api('GET', '/api/v3/time_registrations?date_after=20240301')).body;
    expect(v3.map((entry: any) => entry.id)).toEqual([later.id]);
  });
});

describe('the eleven validation messages of reference §6.5', () => {
  // Each case: the company rule, a setup that breaks only it, and the exact message.
  const cases: [string, string, () => Promise<Record<string, unknown>>][] = [
    ['dateInvalid', 'Time Registration Date is invalid', async () => ({ task: (await createTask({ assigned_persons: [company.personId] })).id, date: '2999-01-01' })],
    ['doneTasks', 'Time Registration is not allowed on Done Tasks', async () => ({ task: (await createTask({ workflow_column: company.columns.DONE })).id })],
    ['projects', 'Time Registration is not allowed on Projects', async () => ({ project: company.projectId })],
    ['billableAdjustment', 'Time Registration is not allowed to adjust Billable Minutes Registered', async () => ({ task: (await createTask()).id, billable_minutes_registered: 30 })],
    ['internalTime', 'Time Registration is not allowed on Internal Time', async () => {
      const internal = await control.send('POST', `/_sim/companies/${company.companyId}/non_project_time`, { name: 'Admin', is_internal_time: true });
      return { non_project_time: internal.id };
    }],
    ['role', 'Time Registration is not allowed to have a specified role', async () => {
      const role = await control.send('POST', `/_sim/companies/${company.companyId}/roles`, { name: 'Dev' });
      return { task: (await createTask()).id, role: role.id };
    }],
    ['noteRequired', 'Time Registration must include a Note', async () => ({ task: (await createTask()).id, notes: '  ' })],
    ['assignedOnly', 'Person registering Time must be assigned to the Task', async () => ({ task: (await createTask()).id })],
    ['projectDates', "Time Registration must be inside the Project's dates", async () => {
      await control.send('PUT', `/_sim/companies/${company.companyId}/projects/${company.projectId}`, { start_date: '2024-04-01' });
      return { task: (await createTask()).id };
    }],
    ['taskDates', "Time Registration must be inside the Task's dates", async () => ({ task: (await createTask({ start_date: '2024-03-02', end_date: '2024-03-31' })).id })],
    ['remainingEstimate', 'Time Registration must not exceed the Remaining Estimate on the Task', async () => ({ task: (await createTask({ estimate: 59 })).id })],
  ];

  it.each(cases)('rule %s answers 400 "%s" only when the company enables it', async (rule, message, setup) => {
    const body = registration(await setup());
    await control.send('PUT', `/_sim/companies/${company.companyId}/settings`, { timeRegistrationRules: { [rule]: true } });
    const rejected = await api('POST', '/api/v1/time_registrations', body);
    expect(rejected.status).toBe(400);
    expect(rejected.body).toEqual({ status: 400, message });
    await control.send('PUT', `/_sim/companies/${company.companyId}/settings`, { timeRegistrationRules: { [rule]: false } });
    expect((await api('POST', '/api/v1/time_registrations', body)).status).toBe(201);
  });

  it('applies the rules to updates too', async () => {
    const task = await createTask();
    const { body } = await api('POST', '/api/v1/time_registrations', registration({ task: task.id, notes: 'ok' }));
    await control.send('PUT', `/_sim/companies/${company.companyId}/settings`, { timeRegistrationRules: { noteRequired: true } });
    const response = await api('PUT', `/api/v1/time_registrations/${body.id}`, { notes: '' });
    expect(response.body).toEqual({ status: 400, message: 'Time Registration must include a Note' });
  });
});

describe('deleted endpoints keep their different shapes', () => {
  it('v2 tasks: snake_case, string company_task_id and billable with includeAllFields; v4: camelCase envelope', async () => {
    const task = await createTask({ un_billable: true, assigned_persons: [company.personId] });
    await api('DELETE', `/api/v2/tasks/${task.id}`);
    const v2 = (await api('GET', '/api/v2/tasks/deleted')).body;
    expect(v2).toEqual([{ id: task.id, deleted_by: company.apiPersonId, deleted_at: expect.stringMatching(/Z$/) }]);
    const v2All = (await api('GET', '/api/v2/tasks/deleted?includeAllFields=true')).body[0];
    expect(v2All).toMatchObject({ company_task_id: `T${task.company_task_id}`, billable: false, title: 'Design' });
    const v4 = (await api('GET', '/api/v4/tasks/deleted')).body;
    expect(v4).toMatchObject({ pageNumber: 1, pageSize: 100, totalObjectCount: 1 });
    expect(v4.pageContents[0]).toMatchObject({
      task: { id: task.id, name: 'Design', deleted_by: company.apiPersonId, deleted_at: expect.stringMatching(/\+00:00$/) },
      project: { id: company.projectId, name: 'Website' },
      assignedPersons: [{ id: company.personId, name: 'Ann Lee' }],
    });
  });

  it('time registrations: v3 bare {id, deleted_by, deleted_at}; v4 camelCase with a string deletedBy.id', async () => {
    const task = await createTask();
    const { body } = await api('POST', '/api/v1/time_registrations', registration({ task: task.id }));
    await api('DELETE', `/api/v1/time_registrations/${body.id}`);
    expect((await api('GET', '/api/v3/time_registrations/deleted')).body).toEqual([
      { id: body.id, deleted_by: company.apiPersonId, deleted_at: expect.any(String) },
    ]);
    const v4 = (await api('GET', '/api/v4/time_registrations/deleted')).body.pageContents[0];
    expect(v4).toMatchObject({
      id: body.id,
      minutesRegistered: 60,
      person: { id: company.personId, name: 'Ann Lee' },
      registeredOn: { type: 'TASK', id: task.id, project: { id: company.projectId } },
      deletedBy: { id: String(company.apiPersonId) },
    });
  });

  it('filters the v2/v3 deleted lists by deletion time', async () => {
    const task = await createTask();
    await api('DELETE', `/api/v2/tasks/${task.id}`);
    const future = new Date(Date.now() + 60_000).toISOString().replace(/[-:]/g, '').slice(0, 15);
    expect((await api('GET', `/api/v2/tasks/deleted?updated_after=${future}`)).body).toEqual([]);
  });
});

describe('chaos switches and counters', () => {
  it('answers 429 with Retry-After for the next N calls, then a 5xx burst, then normally; counting each call', async () => {
    await control.send('PUT', `/_sim/companies/${company.companyId}/faults`, {
      rateLimit: { remainingCalls: 1, retryAfterSeconds: 7 },
      serverErrors: { remainingCalls: 1, status: 502 },
    });
    const limited = await api('GET', '/api/v2/persons');
    expect([limited.status, limited.headers.get('retry-after'), limited.body.status]).toEqual([429, '7', 429]);
    expect((await api('GET', '/api/v2/persons')).status).toBe(502);
    expect((await api('GET', '/api/v2/persons')).status).toBe(200);
    const calls = await control.send('GET', `/_sim/companies/${company.companyId}/calls`);
    expect(calls.counts['GET /api/v2/persons']).toBe(3);
  });

  it('answers 5xx for every call naming a failing object, for as long as the switch is set, and normally for the others', async () => {
    const task = await control.send('POST', `/_sim/companies/${company.companyId}/tasks?personId=${company.personId}`, { project_id: company.projectId, title: 'Always failing' });
    const other = await control.send('POST', `/_sim/companies/${company.companyId}/tasks?personId=${company.personId}`, { project_id: company.projectId, title: 'Fine' });
    await control.send('PUT', `/_sim/companies/${company.companyId}/faults`, { failingObjects: { ids: [task.id], status: 500 } });
    expect([(await api('GET', `/api/v3/tasks/${task.id}`)).status, (await api('GET', `/api/v3/tasks/${task.id}`)).status]).toEqual([500, 500]);
    expect((await api('GET', `/api/v3/tasks/${other.id}`)).status).toBe(200);
    await control.send('PUT', `/_sim/companies/${company.companyId}/faults`, { failingObjects: { ids: [] } });
    expect((await api('GET', `/api/v3/tasks/${task.id}`)).status).toBe(200);
  });
});
