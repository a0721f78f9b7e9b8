import { taskElementXml, tokenElement, workUnitsXml } from './wire-requests';

describe('wire-order request builders', () => {
  it('writes the token triple in contract order', () => {
    const token = { Hash: 'h', Expires: '2026-03-10T23:00:00.1234567+01:00', Initials: 'ADM' };
    expect(Object.entries(tokenElement(token))).toEqual([
      ['Initials', 'ADM'],
      ['Expires', '2026-03-10T23:00:00.1234567+01:00'],
      ['Hash', 'h'],
    ]);
  });

  it('writes WorkUnit members in contract order in v1_7, escaped, the duration as xs:duration', () => {
    const xml = workUnitsXml([
      { description: 'A & <B>\u0007', minutes: 61, startDateTime: '2026-03-10T00:00:00', employeeInitials: 'JD', taskId: 100, guid: 'g', billableMinutes: 30 },
      { description: 'd', minutes: 5, startDateTime: '2026-03-11T00:00:00', employeeInitials: 'JD', taskId: 100, guid: 'h', allocationGuid: 'a', billableMinutes: null },
    ]);
    expect([...xml.matchAll(/<w:WorkUnit xmlns:w="http:\/\/www.timelog.com\/api\/tlp\/v1_7">(.*?)<\/w:WorkUnit>/g)].map(([, unit]) => [...unit.matchAll(/<w:(\w+)>/g)].map(([, name]) => name))).toEqual([
      ['GUID', 'AllocationGUID', 'TaskID', 'EmployeeInitials', 'Duration', 'StartDateTime', 'EndDateTime', 'Description', 'BillableDuration'],
      ['GUID', 'AllocationGUID', 'TaskID', 'EmployeeInitials', 'Duration', 'StartDateTime', 'EndDateTime', 'Description'],
    ]);
    expect(xml).toContain('<w:Duration>PT1H1M</w:Duration><w:StartDateTime>2026-03-10T00:00:00</w:StartDateTime><w:EndDateTime>0001-01-01T00:00:00</w:EndDateTime><w:Description>A &amp; &lt;B&gt;</w:Description><w:BillableDuration>PT30M</w:BillableDuration>');
    expect(xml).toContain('<w:GUID>h</w:GUID><w:AllocationGUID>a</w:AllocationGUID>');
    expect(xml).toContain('<w:AllocationGUID>00000000-0000-0000-0000-000000000000</w:AllocationGUID>');
  });

  it('writes the task with inherited members in http://api.timelog.com first, own members in v1_7, escaped', () => {
    const xml = taskElementXml({ guid: 'g', name: 'A & <B>', budgetMinutes: 90, externalKeys: [{ systemName: 'forecast', externalId: '42' }], isActive: true }, 'Created');
    const names = [...xml.matchAll(/<tl:(\w+) xmlns:tl="([^"]+)"/g)].map(([, name, ns]) => `${ns.replace('http://', '')}:${name}`);
    expect(names).toEqual([
      'api.timelog.com:Action',
      'api.timelog.com:IsExternalKeysLoaded',
      'api.timelog.com:ExternalKeys',
      'api.timelog.com:ExternalSystemContext',
      'www.timelog.com/api/tlp/v1_7:ID',
      'www.timelog.com/api/tlp/v1_7:TaskID',
      'www.timelog.com/api/tlp/v1_7:Name',
      'www.timelog.com/api/tlp/v1_7:BudgetHours',
      'www.timelog.com/api/tlp/v1_7:State',
    ]);
    expect(xml).toContain('A &amp; &lt;B&gt;');
    expect(xml).toContain('<tl:BudgetHours xmlns:tl="http://www.timelog.com/api/tlp/v1_7">1.5</tl:BudgetHours>');
  });

  it('leaves external keys untouched unless given', () => {
    expect(taskElementXml({ name: 'n' }, 'Updated')).not.toContain('ExternalKeys');
  });
});
