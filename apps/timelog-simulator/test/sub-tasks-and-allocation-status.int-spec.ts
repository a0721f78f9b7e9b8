import { startTimeLogSimulator, RunningTimeLogSimulator } from '../src/simulator';
import { XmlElement } from '../src/xml/xml-element';
import { child, faultCode, issuedToken, NS, path, PATHS, postSoap, putJson, result, tokenXml } from './soap-probe';
import { TEST_SITE } from './test-site';

/** CreateSubTask (timelog-api.md §5.4) and SetAllocationStatus (§5.5) in raw SOAP 1.1, judged by the reference and the README. */
describe('TimeLog simulator: sub-tasks and allocation status', () => {
  let simulator: RunningTimeLogSimulator;
  let site: string;
  const control = (resource: string) => `${simulator.url}/_sim/sites/acme/${resource}`;

  beforeAll(async () => {
    simulator = await startTimeLogSimulator({ port: 0 });
    site = `${simulator.url}/acme`;
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    expect((await putJson(`${simulator.url}/_sim/clock`, { now: '2026-03-10T10:00:00Z' })).status).toBe(200);
    const projects = [...TEST_SITE.projects, { projectId: 12, name: 'Intranet', tasks: [{ taskId: 120, name: 'Plan' }] }];
    expect((await putJson(`${simulator.url}/_sim/sites/acme`, { ...TEST_SITE, projects })).status).toBe(200);
  });

  /** `action`: the operation's SOAPAction, `<Op>Request` unless it uses the WCF default (timelog-api.md §2.2). */
  const pm = async (op: string, params: string, action = `${op}Request`) => {
    const token = tokenXml(NS.v1_3, await issuedToken(site, 'admin', 'adm-secret'));
    return postSoap(`${site}/${PATHS.pm}`, action, `<${op} xmlns="${NS.v1_8}">${params}${token}</${op}>`);
  };
  const state = (envelope: XmlElement) => child(envelope, NS.api, 'ResponseState').text;
  const errorCode = (envelope: XmlElement) => child(envelope, NS.api, 'ErrorCode').text;
  const returned = (envelope: XmlElement) => child(envelope, NS.api, 'Return').children;
  const details = (task: XmlElement, name: string) => path(task, [NS.v1_7, 'Details'], [NS.v1_7, name]).text;

  const createSubTask = async (name: string, parentTaskId: number, projectId: number) => {
    const answer = await pm('CreateSubTask', `<task><t:Name xmlns:t="${NS.v1_7}">${name}</t:Name></task><parentTaskId>${parentTaskId}</parentTaskId><projectID>${projectId}</projectID>`);
    const envelope = result(answer, NS.v1_8, 'CreateSubTask');
    const [container] = returned(envelope);
    return { envelope, status: child(container, NS.v1_2, 'Status').text, item: child(container, NS.v1_2, 'Item') };
  };
  const taskById = async (taskId: number) =>
    returned(
      result(
        await pm('GetTaskByID', `<taskID>${taskId}</taskID><loadExternalKeys>false</loadExternalKeys>`, `${NS.v1_8}/ProjectManagementService/GetTaskByID`),
        NS.v1_8,
        'GetTaskByID',
      ),
    )[0];

  describe('CreateSubTask', () => {
    it('appends the task last under its parent and shows the link in GetTaskByID, Reporting and the control API', async () => {
      const first = await createSubTask('Wireframes', 100, 10);
      const second = await createSubTask('Mock-ups', 100, 10);
      expect([first.status, second.status, state(second.envelope)]).toEqual(['Success', 'Success', 'Success']);
      expect(details(second.item, 'ParentTaskID')).toBe('100');
      expect(Number(details(second.item, 'SortOrder'))).toBeGreaterThan(Number(details(first.item, 'SortOrder')));
      const secondId = Number(child(second.item, NS.v1_7, 'TaskID').text);

      const parent = await taskById(100);
      expect([details(parent, 'IsParent'), details(parent, 'ParentTaskID')]).toEqual(['true', '0']);
      expect(details(await taskById(secondId), 'IsParent')).toBe('false');

      const reporting = TEST_SITE.reporting;
      const answer = await postSoap(
        `${site}/${PATHS.reporting}`,
        `${NS.reporting}/GetTasksRaw`,
        `<GetTasksRaw xmlns="${NS.reporting}"><siteCode>${reporting.siteCode}</siteCode><apiID>${reporting.apiID}</apiID><apiPassword>${reporting.apiPassword}</apiPassword>` +
          `<taskID>0</taskID><projectID>10</projectID><status>-1</status><taskTypeID>0</taskTypeID></GetTasksRaw>`,
      );
      const rows = child(result(answer, NS.reporting, 'GetTasksRaw'), NS.reportingDoc, 'Tasks').children;
      const field = (row: XmlElement, name: string) => child(row, NS.reportingDoc, name).text;
      expect(rows.map((row) => [row.attributes.ID, field(row, 'ParentID'), field(row, 'IsParent')])).toEqual([
        ['100', '0', '1'],
        [String(secondId - 1), '100', '0'],
        [String(secondId), '100', '0'],
      ]);

      const stored = (await (await fetch(control('tasks'))).json()) as { taskId: number; parentTaskId: number | null }[];
      expect(stored.find((task) => task.taskId === secondId)?.parentTaskId).toBe(100);
      expect(stored.find((task) => task.taskId === 100)?.parentTaskId).toBeNull();
    });

    it('refuses a parent of another project (10016) and an unknown parent (10004) as Invalid items', async () => {
      const otherProject = await createSubTask('Misplaced', 120, 10);
      expect([otherProject.status, state(otherProject.envelope), errorCode(otherProject.envelope)]).toEqual(['Invalid', 'Invalid', '10016']);
      const unknown = await createSubTask('Orphan', 999, 10);
      expect([unknown.status, errorCode(unknown.envelope)]).toEqual(['Invalid', '10004']);
      expect(((await (await fetch(control('tasks'))).json()) as unknown[]).length).toBe(2);
    });

    it('faults on parameters out of contract order (projectID before parentTaskId)', async () => {
      const answer = await pm('CreateSubTask', `<task><t:Name xmlns:t="${NS.v1_7}">Swapped</t:Name></task><projectID>10</projectID><parentTaskId>100</parentTaskId>`);
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('a:DeserializationFailed');
    });
  });

  describe('SetAllocationStatus', () => {
    const allocationOfJane = async () =>
      ((await (await fetch(control('allocations'))).json()) as { guid: string; employeeId: number; isComplete: boolean }[]).find((allocation) => allocation.employeeId === 2)!;
    const setStatus = async (isComplete: boolean, guid: string) =>
      result(await pm('SetAllocationStatus', `<isComplete>${isComplete}</isComplete><allocationGuid>${guid}</allocationGuid>`), NS.v1_8, 'SetAllocationStatus');
    const registerWork = (minutes: number) => putJson(control('work'), { initials: 'JD', taskId: 100, date: '2026-03-10', minutes }, 'POST');

    it('completes an allocation: its work stays and stays editable, new work is refused (10015) until it is opened again', async () => {
      const earlier = (await (await registerWork(30)).json()) as { guid: string };
      const { guid } = await allocationOfJane();
      expect((await allocationOfJane()).isComplete).toBe(false);

      const completed = await setStatus(true, guid.toUpperCase());
      expect(state(completed)).toBe('Success');
      expect(child(returned(completed)[0], NS.v1_7, 'ID').text).toBe(guid);
      expect((await allocationOfJane()).isComplete).toBe(true);

      const refused = await registerWork(15);
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(10015);
      expect((await putJson(control(`work/${earlier.guid}`), { minutes: 45 }, 'PATCH')).status).toBe(200);
      expect(((await (await fetch(control('work'))).json()) as unknown[]).length).toBe(1);

      expect(state(await setStatus(false, guid))).toBe('Success');
      expect((await registerWork(15)).status).toBe(201);
    });

    it('refuses an unknown allocation GUID as Invalid (10014) with an empty Return', async () => {
      const envelope = await setStatus(true, '0f0f0f0f-0000-4000-8000-000000000000');
      expect([state(envelope), errorCode(envelope), returned(envelope).length]).toEqual(['Invalid', '10014', 0]);
    });
  });
});
