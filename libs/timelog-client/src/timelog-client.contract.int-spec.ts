import { ExternalCallError, TaskStatus, Work } from '@timelog-sync/domain';
import { RunningTimeLogSimulator, startTimeLogSimulator } from '../../../apps/timelog-simulator/src/simulator';
import { createTimeLogClient, TimeLogClient } from './index';
import { soapClient, TIMELOG_SERVICES, TimeLogService } from './soap-services';
import { isWorkWriteAnswer, readSoapResponse } from './soap-response';

type Reading = { value: unknown } | { error: string };
const readingOf = (read: () => unknown): Reading => {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

/**
 * Where our reading of a response differs from node-soap's own: node-soap types text from the schema (7 for "7",
 * true for "true"), makes a schema list of one an array, and an empty element '' or null by its type; ours keeps
 * text and makes every empty element null (the contracts and mappings read '' and null alike). Elements in `omitted`
 * are ours to leave out (a work batch write's `Details`).
 */
function differences(ours: unknown, theirs: unknown, omitted: readonly string[], path = ''): string[] {
  if (Array.isArray(theirs) && theirs.length === 1 && !Array.isArray(ours)) return differences(ours, theirs[0], omitted, path);
  if (typeof theirs === 'number') return typeof ours === 'string' && Number(ours) === theirs ? [] : [`${path}: ${String(ours)} / ${theirs}`];
  if (typeof theirs === 'boolean') return typeof ours === 'string' && (ours === 'true' || ours === '1') === theirs ? [] : [`${path}: ${String(ours)} / ${theirs}`];
  if (ours === null && (theirs === '' || theirs === null)) return [];
  if (theirs && typeof theirs === 'object' && ours && typeof ours === 'object') {
    const keys = [...new Set([...Object.keys(theirs), ...Object.keys(ours)])].filter((key) => key in ours || !omitted.includes(key));
    return keys.flatMap((key) => differences((ours as Record<string, unknown>)[key], (theirs as Record<string, unknown>)[key], omitted, `${path}/${key}`));
  }
  return ours === theirs ? [] : [`${path}: ${JSON.stringify(ours)} / ${JSON.stringify(theirs)}`];
}

const NOW = '2026-03-10T10:00:00Z';
const TODAY = '2026-03-10';

const SITE = {
  reporting: { siteCode: 'SITE-1', apiID: 'reporter', apiPassword: 'rep-secret' },
  employees: [
    { employeeId: 1, initials: 'ADM', username: 'admin', email: 'admin@example.test', firstName: 'Ada', lastName: 'Admin', password: 'adm-secret', isAdministrator: true },
    { employeeId: 2, initials: 'JD', username: 'jdoe', email: 'jd@example.test', firstName: 'Jane', lastName: 'Doe' },
    { employeeId: 3, initials: 'NA', username: 'nalloc', email: 'na@example.test', firstName: 'Not', lastName: 'Allocated' },
  ],
  projects: [
    { projectId: 10, name: 'Website', tasks: [{ taskId: 100, name: 'Design', allocatedInitials: ['JD'] }] },
    { projectId: 11, name: 'Old project', isActive: false, statusId: 4 },
  ],
};

/** The client against the simulator: every operation the sync uses, through node-soap and our WSDL files. */
describe('TimeLog client contract', () => {
  let simulator: RunningTimeLogSimulator;
  let account: string;
  let client: TimeLogClient;
  let siteNumber = 0;

  const control = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'PUT') =>
    fetch(`${simulator.url}/_sim${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const calls = async () => (await (await control(`/sites/${account}/calls`)).json()) as Record<string, number>;
  const credentials = (overrides: Partial<Parameters<typeof createTimeLogClient>[0]> = {}) => ({
    domain: simulator.url,
    accountName: account,
    username: 'admin',
    password: 'adm-secret',
    siteCode: 'SITE-1',
    reportingUsername: 'reporter',
    reportingPassword: 'rep-secret',
    ...overrides,
  });
  const work = (guid: string, minutes: number, overrides: Partial<Work> = {}): Work => ({
    guid,
    taskId: 100,
    employeeInitials: 'JD',
    startDateTime: `${TODAY}T00:00:00`,
    minutes,
    description: `registered ${minutes} min`,
    ...overrides,
  });
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ExternalCallError);

  /** Every response body of the suite, with the service that answered it, for the last test. */
  const answered: { service: TimeLogService; body: string }[] = [];

  beforeAll(async () => {
    simulator = await startTimeLogSimulator({ port: 0 });
    for (const service of Object.keys(TIMELOG_SERVICES) as TimeLogService[]) {
      const { wsdl } = await soapClient(service);
      const reading = wsdl.xmlToObject.bind(wsdl);
      wsdl.xmlToObject = (xml: unknown, callback?: unknown) => {
        if (typeof xml === 'string') answered.push({ service, body: xml });
        return reading(xml, callback);
      };
    }
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    account = `site-${++siteNumber}`;
    expect((await control('/clock', { now: NOW })).status).toBe(200);
    expect((await control(`/sites/${account}`, SITE)).status).toBe(200);
    client = createTimeLogClient(credentials(), { now: () => Date.parse(NOW) });
  });

  describe('security', () => {
    it('answers IsAlive and reads the token user, fetching the token once and echoing it unchanged', async () => {
      expect(await client.isAlive()).toBe(true);
      expect(await client.getUser()).toEqual(expect.objectContaining({ employeeId: 1, initials: 'ADM', firstName: 'Ada' }));
      await client.getAllocationsToEmployee('JD');
      expect(await calls()).toEqual(expect.objectContaining({ GetToken: 1, GetUser: 1, GetAllocationsToEmployee: 1 }));
    });

    it('keeps no request or response on the cached SOAP clients after a call, answered or failed', async () => {
      await client.getUser();
      await failureOf(client.getEmployeesPaged(1, 101));
      for (const service of ['security', 'organisation'] as const) {
        const soap = await soapClient(service);
        expect([soap.lastRequest, soap.lastResponse, soap.lastResponseHeaders, soap.lastMessage]).toEqual([undefined, undefined, undefined, undefined]);
      }
    });

    it('refuses bad transactional credentials as a permanent failure without the password in the message', async () => {
      const wrong = createTimeLogClient(credentials({ password: 'Not-The-Password' }), { now: () => Date.parse(NOW) });
      const failure = await failureOf(wrong.authenticate());
      expect(failure).toBeInstanceOf(ExternalCallError);
      expect(failure?.failureClass).toBe('permanent');
      expect(failure?.message).not.toContain('Not-The-Password');
    });

    it('gets a new token when the site refuses the cached one (expired on the site clock)', async () => {
      await client.getAllocationsToEmployee('JD');
      await control('/clock', { now: '2026-03-10T23:00:00Z' });
      expect(await client.getAllocationsToEmployee('JD')).toHaveLength(1);
      expect((await calls()).GetToken).toBe(2);
    });
  });

  describe('organisation and projects', () => {
    it('pages employees and classifies a page size over 100 as permanent', async () => {
      const page = await client.getEmployeesPaged(1, 2);
      expect(page.items.map((employee) => employee.username)).toEqual(['admin', 'jdoe']);
      expect(page.totalPageCount).toBe(2);
      expect((await failureOf(client.getEmployeesPaged(1, 101)))?.failureClass).toBe('permanent');
    });

    it('lists projects including inactive ones and reads one by id', async () => {
      expect((await client.getProjects()).map((project) => [project.projectId, project.isActive])).toEqual([
        [10, true],
        [11, false],
      ]);
      expect((await client.getProjects({ includeInactive: false })).map((project) => project.projectId)).toEqual([10]);
      expect(await client.getProjectById(10)).toEqual(expect.objectContaining({ projectId: 10, name: 'Website' }));
      expect(await client.getProjectById(999)).toBeNull();
    });
  });

  describe('tasks and allocations', () => {
    const FORECAST_KEY = { systemName: 'forecast', externalId: 'task-42' };
    const TASK_GUID = '6f9619ff-8b86-d011-b42d-00c04fc964ff';

    it('creates a task keeping our GUID and external key, finds it by key, updates and closes it', async () => {
      const created = await client.createTask(10, { guid: TASK_GUID, name: 'Build & <ship>', budgetMinutes: 90, externalKeys: [FORECAST_KEY] });
      if (!created.ok) throw new Error(created.message);
      expect(created.item).toEqual(expect.objectContaining({ guid: TASK_GUID, projectId: 10, name: 'Build & <ship>', budgetMinutes: 90, isActive: true }));

      const found = await client.getTaskByExternalKey(FORECAST_KEY);
      expect(found?.taskId).toBe(created.item.taskId);
      expect(await client.getTaskByExternalKey({ ...FORECAST_KEY, externalId: 'task-43' })).toBeNull();

      const updated = await client.updateTask(created.item.taskId, { name: 'Build and ship', endDate: '2026-04-30' });
      expect(updated).toEqual({ ok: true, item: expect.objectContaining({ name: 'Build and ship', endDate: '2026-04-30', budgetMinutes: 90, externalKeys: [FORECAST_KEY] }) });

      const closed = await client.changeTaskStatus(TASK_GUID, TaskStatus.Completed);
      expect(closed.isActive).toBe(false);
      expect(await client.getTaskById(created.item.taskId)).toEqual(expect.objectContaining({ isActive: false, name: 'Build and ship' }));
      const stored = (await (await control(`/sites/${account}/tasks`)).json()) as { guid: string; statusDetailed: number }[];
      expect(stored.find((task) => task.guid === TASK_GUID)?.statusDetailed).toBe(TaskStatus.Completed);
    });

    it('creates a sub-task under its parent, read back with its parent id; a parent of another project is a failed item', async () => {
      const created = await client.createSubTask(10, 100, { name: 'Wireframes', externalKeys: [FORECAST_KEY] });
      if (!created.ok) throw new Error(created.message);
      expect(created.item).toEqual(expect.objectContaining({ projectId: 10, parentTaskId: 100, name: 'Wireframes' }));
      expect(await client.getTaskById(created.item.taskId)).toEqual(expect.objectContaining({ parentTaskId: 100, externalKeys: [FORECAST_KEY] }));
      expect((await client.getTaskById(100))?.parentTaskId).toBeNull();
      expect((await client.getTasksRaw({ projectId: 10 })).map((task) => [task.taskId, task.parentTaskId])).toEqual([
        [100, null],
        [created.item.taskId, 100],
      ]);

      await control(`/sites/${account}`, { ...SITE, projects: [...SITE.projects, { projectId: 12, name: 'Intranet', tasks: [{ taskId: 120, name: 'Plan' }] }] });
      const misplaced = await client.createSubTask(10, 120, { name: 'Misplaced' });
      expect(misplaced).toEqual({ ok: false, status: 'Invalid', message: 'Parent task 120 does not belong to project 10', code: 10016, shape: 'per-item' });
    });

    it('completes an allocation so new work is refused while earlier work stays, and opens it again', async () => {
      const [earlier] = await client.insertWork([work('e0000000-0000-4000-8000-000000000001', 30)]);
      expect(earlier.ok).toBe(true);
      const [allocation] = await client.getAllocationsToEmployee('JD');

      expect(await client.setAllocationStatus(allocation.guid, true)).toEqual({ ok: true, item: allocation });
      const [refused] = await client.insertWork([work('e0000000-0000-4000-8000-000000000002', 15)]);
      expect(refused).toEqual({ ok: false, status: 'Invalid', message: expect.stringMatching(/complete/), code: 10015, shape: 'per-item' });
      expect((await client.getEmployeeWork('JD', TODAY, TODAY)).map((unit) => unit.minutes)).toEqual([30]);

      await client.setAllocationStatus(allocation.guid, false);
      expect((await client.insertWork([work('e0000000-0000-4000-8000-000000000002', 15)]))[0].ok).toBe(true);
      expect(await client.setAllocationStatus('0f0f0f0f-0000-4000-8000-000000000000', true)).toEqual(expect.objectContaining({ ok: false, code: 10014, shape: 'envelope' }));
    });

    it('allocates an employee once; a second allocation is a failed item, not an exception', async () => {
      const first = await client.addEmployeeToTask(3, 100, 120);
      expect(first).toEqual({ ok: true, item: expect.objectContaining({ employeeId: 3, taskId: 100, allocatedMinutes: 120 }) });
      expect((await client.addEmployeeToTask(3, 100)).ok).toBe(false);
      expect((await client.getAllocationsToEmployee('NA')).map((allocation) => allocation.taskId)).toEqual([100]);
    });
  });

  describe('work', () => {
    const GUIDS = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-000000000004'];

    it('gets a batch with a unit without initials refused as a whole (as captured), and per item where the site answers so', async () => {
      const batch = [...[1, 59, 61, 1439].map((minutes, index) => work(GUIDS[index], minutes)), work('b0000000-0000-4000-8000-000000000009', 5, { employeeInitials: '' })];
      const whole = await client.insertWork(batch);
      expect(whole).toEqual(batch.map(() => ({ ok: false, status: 'Invalid', message: 'Initials, was null or empty', code: 10002, shape: 'envelope' })));
      expect(await client.getEmployeeWork('JD', TODAY, TODAY)).toEqual([]);

      await control(`/sites/${account}/refusal-shape`, { refusalShape: 'per-item' });
      const results = await client.insertWork(batch);
      expect(results.map((outcome) => outcome.ok)).toEqual([true, true, true, true, false]);
      expect(results[4]).toEqual({ ok: false, status: 'Invalid', message: 'Initials, was null or empty', code: 10002, shape: 'per-item' });
      const read = await client.getEmployeeWork('JD', TODAY, TODAY);
      expect(read.map((unit) => [unit.guid, unit.minutes])).toEqual(GUIDS.map((guid, index) => [guid, [1, 59, 61, 1439][index]]));
      expect(read[0]).toEqual(expect.objectContaining({ description: 'registered 1 min', isEditable: true, billableMinutes: null, projectId: 10 }));
    });

    it('feeds creates, updates and deletes through the change log, deletes with only GUID and action', async () => {
      await client.insertWork([work(GUIDS[0], 30), work(GUIDS[1], 45)]);
      const [updated] = await client.updateWork([work(GUIDS[0], 75, { description: 'longer' })]);
      expect(updated).toEqual({ ok: true, item: expect.objectContaining({ minutes: 75, description: 'longer' }) });
      expect((await client.deleteWork([GUIDS[1]]))[0].ok).toBe(true);

      const page = await client.getWorkChangeLogPaged({ from: TODAY, to: TODAY, page: 1, pageSize: 500 });
      expect(page.items.map((change) => [change.action, change.workUnitGuid, change.removed])).toEqual([
        ['Created', GUIDS[0], false],
        ['Created', GUIDS[1], true],
        ['Updated', GUIDS[0], false],
        ['Deleted', GUIDS[1], true],
      ]);
      expect(page.items[2]).toEqual(expect.objectContaining({ minutes: 75, employeeInitials: 'JD', date: TODAY }));
      const onlyDeletes = await client.getWorkChangeLogPaged({ from: TODAY, to: TODAY, page: 1, pageSize: 1, includeCreates: false, includeUpdates: false });
      expect(onlyDeletes).toEqual({ items: [{ action: 'Deleted', workUnitGuid: GUIDS[1], removed: true }], totalPageCount: 1 });
      expect((await failureOf(client.getWorkChangeLogPaged({ from: TODAY, to: TODAY, page: 1, pageSize: 501 })))?.failureClass).toBe('permanent');
    });

    it('sends notes and task names with control characters without TimeLog refusing the request', async () => {
      const [written] = await client.insertWork([work(GUIDS[0], 30, { description: 'bell\u0007, escape\u001b[0m, tab\tand emoji \u{1F600}' })]);
      expect(written).toEqual({ ok: true, item: expect.objectContaining({ description: 'bell, escape[0m, tab\tand emoji \u{1F600}' }) });
      const task = await client.createTask(10, { name: 'Launch\u0000 \u000bplan', description: 'form\u000cfeed' });
      expect(task).toEqual({ ok: true, item: expect.objectContaining({ name: 'Launch plan', description: 'formfeed' }) });
    });

    it('reports a closed week as a failed item with IsEditable=false on the unit', async () => {
      await client.insertWork([work(GUIDS[0], 30)]);
      await control(`/sites/${account}/closed-weeks`, { initials: 'JD', date: TODAY, closed: true });
      const [refused] = await client.updateWork([work(GUIDS[0], 60)]);
      expect(refused.ok).toBe(false);
      expect((await client.getEmployeeWork('JD', TODAY, TODAY))[0].isEditable).toBe(false);
    });
  });

  describe('reporting', () => {
    it('validates credentials: true, and false on HTTP 401', async () => {
      expect(await client.validateReportingCredentials()).toBe(true);
      const wrong = createTimeLogClient(credentials({ reportingPassword: 'nope' }));
      expect(await wrong.validateReportingCredentials()).toBe(false);
      expect((await failureOf(wrong.getEmployeesRaw()))?.code).toBe('http-401');
    });

    it('reads employees with e-mail, projects, tasks and work units', async () => {
      expect((await client.getEmployeesRaw()).find((employee) => employee.initials === 'JD')).toEqual(
        expect.objectContaining({ employeeId: 2, email: 'jd@example.test', username: 'jdoe', isActive: true }),
      );
      expect((await client.getProjectsRaw()).map((project) => project.projectId)).toEqual([10, 11]);
      expect((await client.getTasksRaw({ projectId: 10 })).map((task) => [task.taskId, task.name])).toEqual([[100, 'Design']]);

      await client.insertWork([work('c0000000-0000-4000-8000-000000000001', 59), work('c0000000-0000-4000-8000-000000000002', 61)]);
      const units = await client.getWorkUnitsRaw({ from: TODAY, to: TODAY });
      expect(units.map((unit) => [unit.timeRegistrationGuid, unit.minutes])).toEqual([
        ['c0000000-0000-4000-8000-000000000001', 59],
        ['c0000000-0000-4000-8000-000000000002', 61],
      ]);
      const paged = await client.getWorkUnitsRawPaged({ from: TODAY, to: TODAY, page: 2, pageSize: 1 });
      expect(paged).toEqual({ items: [expect.objectContaining({ minutes: 61 })], totalPageCount: 2, totalRecords: 2 });
    });
  });

  describe('failure classification', () => {
    it('classifies injected HTTP 503 and SOAP faults as retryable, and does no extra writes', async () => {
      await client.authenticate();
      await control(`/sites/${account}/faults`, { failNext: 1, kind: 'http-503', operation: 'InsertWork' });
      const unavailable = await failureOf(client.insertWork([work('d0000000-0000-4000-8000-000000000001', 10)]));
      expect(unavailable).toEqual(expect.objectContaining({ failureClass: 'retryable', code: 'http-503' }));
      await control(`/sites/${account}/faults`, { failNext: 1, kind: 'soap-fault' });
      expect((await failureOf(client.getAllocationsToEmployee('JD')))?.failureClass).toBe('retryable');
      expect((await calls()).InsertWork).toBe(1);
      expect((await (await control(`/sites/${account}/work`)).json()) as unknown[]).toHaveLength(0);
    });

    it('refuses a response over the size bound as permanent, without holding it', async () => {
      const small = createTimeLogClient(credentials(), { now: () => Date.parse(NOW), maxResponseBytes: 256 });
      const refused = await failureOf(small.getEmployeesRaw());
      expect(refused).toEqual(expect.objectContaining({ failureClass: 'permanent', code: 'ERR_BAD_RESPONSE' }));
      expect(await client.getEmployeesRaw()).toHaveLength(3);
    });

    it('classifies a timeout as retryable, and then refuses the site\'s calls at once while it is paused', async () => {
      await client.authenticate();
      await control(`/sites/${account}/faults`, { latencyMs: 1_000, operation: 'GetAllocationsToEmployee' });
      const slow = createTimeLogClient(credentials(), { now: () => Date.parse(NOW), timeoutMs: 200, pauseAfterTimeoutSeconds: 30 });
      expect(await failureOf(slow.getAllocationsToEmployee('JD'))).toEqual(expect.objectContaining({ failureClass: 'retryable', code: 'TIMEOUT' }));
      const before = (await calls()).GetAllocationsToEmployee;
      expect(await failureOf(slow.getAllocationsToEmployee('JD'))).toEqual(expect.objectContaining({ failureClass: 'retryable', code: 'PAUSED', retryAfterSeconds: 30 }));
      expect(slow.pausedUntil()).not.toBeNull();
      expect((await calls()).GetAllocationsToEmployee).toBe(before);
    });

    it('classifies a validation refusal as permanent', async () => {
      const failure = await failureOf(client.getAllocationsToEmployee('nobody'));
      expect(failure).toEqual(expect.objectContaining({ failureClass: 'permanent', code: '10003' }));
    });
  });

  // Runs last: it reads every response the tests above received (run the whole file).
  it('reads every response of this suite as node-soap itself reads it', async () => {
    const operations = new Set(answered.map(({ body }) => /<(?:\w+:)?Body>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1]));
    for (const operation of ['GetTokenResponse', 'InsertWorkResponse', 'GetEmployeeWorkResponse', 'GetWorkChangeLogPagedResponse', 'GetEmployeesRawResponse', 'Fault']) {
      expect(operations).toContain(operation);
    }
    for (const { service, body } of answered) {
      const { wsdl } = await soapClient(service);
      const theirs = readingOf(() => Object.getPrototypeOf(wsdl).xmlToObject.call(wsdl, body));
      const ours = readingOf(() => readSoapResponse(body));
      const omitted = isWorkWriteAnswer(body) ? ['Details'] : [];
      if ('error' in theirs) expect(ours).toEqual({ error: expect.any(String) });
      else expect({ body: body.slice(0, 300), differences: differences('value' in ours ? ours.value : ours, theirs.value, omitted) }).toEqual({ body: body.slice(0, 300), differences: [] });
    }
  });
});
