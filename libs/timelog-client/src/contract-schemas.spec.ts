import { ExternalCallError } from '@timelog-sync/domain';
import { RawTimeLogSite, soap } from './testing/raw-site';

const V1_7 = 'http://www.timelog.com/api/tlp/v1_7';

/** A member of the wrong type is an error naming the member, never a silent '' or 0. */
describe('TimeLog responses read through their contract schemas', () => {
  const site = new RawTimeLogSite();
  beforeAll(() => site.start());
  afterAll(() => site.stop());

  const allocations = (allocationId: string) =>
    soap(`<GetAllocationsToEmployeeResponse xmlns="http://www.timelog.com/api/tlp/v1_8"><GetAllocationsToEmployeeResult>
      <Return xmlns="http://api.timelog.com"><a:Allocation xmlns:a="${V1_7}"><a:AllocationID>${allocationId}</a:AllocationID><a:ID>a1100000-0000-4000-8000-000000000001</a:ID><a:TaskID>1003</a:TaskID><a:HoursAllocated>1.5</a:HoursAllocated><a:EmployeeID>2</a:EmployeeID></a:Allocation></Return>
      <ResponseState xmlns="http://api.timelog.com">Success</ResponseState></GetAllocationsToEmployeeResult></GetAllocationsToEmployeeResponse>`);

  it('reads well-typed members', async () => {
    site.answers.GetAllocationsToEmployee = allocations('55');
    expect(await site.client().getAllocationsToEmployee('JD')).toEqual([expect.objectContaining({ allocationId: 55, taskId: 1003, employeeId: 2, allocatedMinutes: 90 })]);
  });

  it('refuses a Transactional member of the wrong type, naming it', async () => {
    site.answers.GetAllocationsToEmployee = allocations('fifty-five');
    const failure = await site.client().getAllocationsToEmployee('JD').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExternalCallError);
    expect(failure).toMatchObject({ failureClass: 'permanent', code: 'unexpected-response', message: 'timelog Allocation: Allocation.AllocationID: expected an integer, got "fifty-five"' });
  });

  it('refuses a Reporting value of the wrong type, naming it', async () => {
    site.answers.GetWorkUnitsRaw = soap(
      `<GetWorkUnitsRawResponse xmlns="http://www.timelog.com/ws/tlp/v4_4"><GetWorkUnitsRawResult><tlp:WorkUnits xmlns:tlp="http://www.timelog.com/XML/Schema/tlp/v4_4"><tlp:WorkUnit ID="7"><tlp:TimeRegistrationGuid>5ca63e4e-0000-4000-8000-000000000001</tlp:TimeRegistrationGuid><tlp:RegHours>one and a half</tlp:RegHours></tlp:WorkUnit></tlp:WorkUnits></GetWorkUnitsRawResult></GetWorkUnitsRawResponse>`,
    );
    const failure = await site.client().getWorkUnitsRaw().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'unexpected-response', message: expect.stringContaining('RegHours: expected a number, got "one and a half"') });
  });
});
