import { Work } from '@timelog-sync/domain';
import { TimeLogClient } from './index';
import { RawTimeLogSite, soap } from './testing/raw-site';

/**
 * The client fed raw TimeLog responses: the exact 2015 capture of an InsertWork refused as a whole (envelope
 * Invalid, ErrorCode 10002, empty Return; timelog-api.md §4, WIRE2015) and per-item answers, for every batch write.
 */
const PM = 'http://www.timelog.com/api/tlp/v1_8';
const API = 'http://api.timelog.com';

/** The captured response body verbatim (only the service namespace is V1_8's instead of the 2015 V1_6). */
const CAPTURED_INSERT_WORK_REFUSAL = soap(`<InsertWorkResponse xmlns="${PM}">
      <InsertWorkResult xmlns:a="http://www.timelog.com/api/tlp/v1_2" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
        <Return xmlns="http://api.timelog.com" />
        <ReturnTypeDescription xmlns="http://api.timelog.com">BatchContainer&lt;WorkUnit&gt;</ReturnTypeDescription>
        <Request xmlns="http://api.timelog.com">
          <Parameters>
            <RequestParameter>
              <Name>WorkUnit</Name>
              <Value>GUID=00000000-0000-0000-0000-000000000000 | AllocationGUID=00000000-0000-0000-0000-000000000000 | TaskID=0 | EmployeeInitials= | StartDateTime=07-06-2015 22:03:25 | EndDateTime=01-01-0001 00:00:00 | Description= | AdditionalText= | </Value>
            </RequestParameter>
            <RequestParameter>
              <Name>source</Name>
              <Value>99</Value>
            </RequestParameter>
            <RequestParameter>
              <Name>SecurityToken</Name>
              <Value>Initials=[{0}], Expires=[{1}], Hash=[{2}]</Value>
            </RequestParameter>
          </Parameters>
          <ServiceClass>ProjectManagementService</ServiceClass>
          <MethodName>InsertWork</MethodName>
        </Request>
        <ResponseState xmlns="http://api.timelog.com">Invalid</ResponseState>
        <Messages xmlns="http://api.timelog.com">
          <APIMessage>
            <Message>Initials, was null or empty</Message>
            <Severity>Invalid</Severity>
            <ErrorCode>10002</ErrorCode>
          </APIMessage>
          <APIMessage>
            <Message>Successfully called TimeLog.API, ProjectManagementService :: BatchContainer&lt;WorkUnit&gt; InsertWork</Message>
            <Severity>Message</Severity>
            <ErrorCode>0</ErrorCode>
          </APIMessage>
          <APIMessage>
            <Message>Duration of call was 0,1062337 sec.</Message>
            <Severity>Message</Severity>
            <ErrorCode>0</ErrorCode>
          </APIMessage>
        </Messages>
        <ErrorCode xmlns="http://api.timelog.com">10002</ErrorCode>
        <IsReturnPaged xmlns="http://api.timelog.com">false</IsReturnPaged>
        <TotalPageCount xmlns="http://api.timelog.com">1</TotalPageCount>
      </InsertWorkResult>
    </InsertWorkResponse>`);

const message = (text: string, severity: string, code: number) => `<APIMessage><Message>${text}</Message><Severity>${severity}</Severity><ErrorCode>${code}</ErrorCode></APIMessage>`;

/** A `BatchResponseOf<T>` or `ResponseOf<T>` in the shape of the capture, with `returned` as the Return content. */
function response(operation: string, state: string, returned: string, messages: string, code: number): string {
  return soap(`<${operation}Response xmlns="${PM}"><${operation}Result xmlns:a="http://www.timelog.com/api/tlp/v1_2" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
    <Return xmlns="${API}">${returned}</Return>
    <ResponseState xmlns="${API}">${state}</ResponseState>
    <Messages xmlns="${API}">${messages}</Messages>
    <ErrorCode xmlns="${API}">${code}</ErrorCode>
  </${operation}Result></${operation}Response>`);
}

const envelopeRefusal = (operation: string, text: string, code: number) => response(operation, 'Invalid', '', message(text, 'Invalid', code), code);

const container = (itemType: string, status: string, item: string | null, text: string | null) =>
  `<a:BatchContainerOf${itemType}><a:Item${item === null ? ' i:nil="true"/>' : `>${item}</a:Item>`}<a:Status>${status}</a:Status><a:Message${text === null ? ' i:nil="true"/>' : `>${text}</a:Message>`}</a:BatchContainerOf${itemType}>`;

const WORK_UNIT = `<GUID xmlns="http://www.timelog.com/api/tlp/v1_7">5ca63e4e-0000-4000-8000-000000000001</GUID><TaskID xmlns="http://www.timelog.com/api/tlp/v1_7">100</TaskID><EmployeeInitials xmlns="http://www.timelog.com/api/tlp/v1_7">JD</EmployeeInitials><Duration xmlns="http://www.timelog.com/api/tlp/v1_7">PT1H30M</Duration><StartDateTime xmlns="http://www.timelog.com/api/tlp/v1_7">2026-03-10T00:00:00</StartDateTime><Description xmlns="http://www.timelog.com/api/tlp/v1_7">Hero</Description>`;
const TASK = `<ID xmlns="http://www.timelog.com/api/tlp/v1_7">7a5c0000-0000-4000-8000-000000000001</ID><TaskID xmlns="http://www.timelog.com/api/tlp/v1_7">1003</TaskID><Name xmlns="http://www.timelog.com/api/tlp/v1_7">Landing page</Name>`;
const ALLOCATION = `<AllocationID xmlns="http://www.timelog.com/api/tlp/v1_7">55</AllocationID><ID xmlns="http://www.timelog.com/api/tlp/v1_7">a1100000-0000-4000-8000-000000000001</ID><TaskID xmlns="http://www.timelog.com/api/tlp/v1_7">1003</TaskID><EmployeeID xmlns="http://www.timelog.com/api/tlp/v1_7">2</EmployeeID>`;

const work = (guid: string): Work => ({ guid, taskId: 100, employeeInitials: 'JD', startDateTime: '2026-03-10T00:00:00', minutes: 90, description: 'Hero' });
const GUIDS = ['5ca63e4e-0000-4000-8000-000000000001', '5ca63e4e-0000-4000-8000-000000000002', '5ca63e4e-0000-4000-8000-000000000003'];

interface BatchOperation {
  operation: string;
  itemType: string;
  item: string;
  /** How many items the call sends. */
  count: number;
  call: (client: TimeLogClient) => Promise<unknown>;
}

const BATCH_OPERATIONS: BatchOperation[] = [
  { operation: 'InsertWork', itemType: 'WorkUnit', item: WORK_UNIT, count: 3, call: (client) => client.insertWork(GUIDS.map(work)) },
  { operation: 'UpdateWork', itemType: 'WorkUnit', item: WORK_UNIT, count: 3, call: (client) => client.updateWork(GUIDS.map(work)) },
  { operation: 'DeleteWork', itemType: 'WorkUnit', item: WORK_UNIT, count: 3, call: (client) => client.deleteWork(GUIDS) },
  { operation: 'CreateTask', itemType: 'Task', item: TASK, count: 1, call: (client) => client.createTask(10, { name: 'Landing page' }).then((result) => [result]) },
  { operation: 'CreateSubTask', itemType: 'Task', item: TASK, count: 1, call: (client) => client.createSubTask(10, 1002, { name: 'Landing page' }).then((result) => [result]) },
  { operation: 'UpdateTask', itemType: 'Task', item: TASK, count: 1, call: (client) => client.updateTask(1003, { name: 'Landing page 2' }).then((result) => [result]) },
  { operation: 'AddEmployeeToTask', itemType: 'Allocation', item: ALLOCATION, count: 1, call: (client) => client.addEmployeeToTask(2, 1003).then((result) => [result]) },
];

describe('TimeLog batch refusals, raw XML', () => {
  const site = new RawTimeLogSite();
  let client: TimeLogClient;

  beforeAll(() => site.start());
  afterAll(() => site.stop());
  beforeEach(() => {
    site.answers = { GetTaskByID: response('GetTaskByID', 'Success', `<a:Task xmlns:a="http://www.timelog.com/api/tlp/v1_7">${TASK.replace(/ xmlns="[^"]+"/g, '')}</a:Task>`, '', 0) };
    client = site.client();
  });

  it('maps the captured InsertWork refusal (envelope Invalid 10002, empty Return) onto every item sent', async () => {
    site.answers.InsertWork = CAPTURED_INSERT_WORK_REFUSAL;
    const results = await client.insertWork(GUIDS.map(work));
    expect(results).toEqual(GUIDS.map(() => ({ ok: false, status: 'Invalid', message: 'Initials, was null or empty', code: 10002, shape: 'envelope' })));
  });

  it.each(BATCH_OPERATIONS)('$operation: an envelope refusal with an empty Return refuses every item with its code and message', async ({ operation, count, call }) => {
    site.answers[operation] = envelopeRefusal(operation, 'The timesheet week of 2026-03-09 is closed', 10006);
    expect(await call(client)).toEqual(Array.from({ length: count }, () => ({ ok: false, status: 'Invalid', message: 'The timesheet week of 2026-03-09 is closed', code: 10006, shape: 'envelope' })));
  });

  it.each(BATCH_OPERATIONS)('$operation: per-item containers give per-item results, the refused one with its code', async ({ operation, itemType, item, count, call }) => {
    const refusal = container(itemType, 'Invalid', null, 'Employee JD is not allocated to task 100');
    const containers = [refusal, ...Array.from({ length: count - 1 }, () => container(itemType, 'Success', item, null))];
    site.answers[operation] = response(operation, 'Invalid', containers.join(''), message('Employee JD is not allocated to task 100', 'Invalid', 10005), 10005);
    const results = (await call(client)) as { ok: boolean }[];
    expect(results[0]).toEqual({ ok: false, status: 'Invalid', message: 'Employee JD is not allocated to task 100', code: 10005, shape: 'per-item' });
    expect(results.slice(1).map((result) => result.ok)).toEqual(Array.from({ length: count - 1 }, () => true));
  });

  it('SetAllocationStatus (ResponseOf<Allocation>): a refusal is an item result, not an exception', async () => {
    site.answers.SetAllocationStatus = envelopeRefusal('SetAllocationStatus', 'Allocation a11 was not found', 10014);
    expect(await client.setAllocationStatus('a1100000-0000-4000-8000-000000000001', true)).toEqual({ ok: false, status: 'Invalid', message: 'Allocation a11 was not found', code: 10014, shape: 'envelope' });
    site.answers.SetAllocationStatus = response('SetAllocationStatus', 'Success', `<a:Allocation xmlns:a="http://www.timelog.com/api/tlp/v1_7">${ALLOCATION.replace(/ xmlns="[^"]+"/g, '')}</a:Allocation>`, '', 0);
    expect(await client.setAllocationStatus('a1100000-0000-4000-8000-000000000001', true)).toEqual({ ok: true, item: expect.objectContaining({ allocationId: 55, taskId: 1003 }) });
  });

  it('takes a Success container without its Item as the work sent, and marks a missing container as not confirmed', async () => {
    site.answers.InsertWork = response('InsertWork', 'Success', container('WorkUnit', 'Success', null, null), '', 0);
    expect(await client.insertWork(GUIDS.slice(0, 2).map(work))).toEqual([
      { ok: true, item: work(GUIDS[0]) },
      { ok: false, status: 'NotSet', message: 'TimeLog returned no result for this item', code: 0, shape: 'per-item' },
    ]);
  });

  it('keeps a refused token an error (the company is marked, nothing is refused item by item)', async () => {
    site.answers.InsertWork = envelopeRefusal('InsertWork', 'Invalid token: the security token is unknown, altered or expired', 10401);
    await expect(client.insertWork([work(GUIDS[0])])).rejects.toEqual(expect.objectContaining({ code: '10401' }));
  });
});
