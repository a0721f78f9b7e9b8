import { taskElementXml, tokenElement, workUnitElement } from './wire-requests';

describe('wire-order request builders', () => {
  it('writes the token triple in contract order', () => {
    const token = { Hash: 'h', Expires: '2026-03-10T23:00:00.1234567+01:00', Initials: 'ADM' };
    expect(Object.entries(tokenElement(token))).toEqual([
      ['Initials', 'ADM'],
      ['Expires', '2026-03-10T23:00:00.1234567+01:00'],
      ['Hash', 'h'],
    ]);
  });

  it('writes WorkUnit members in contract order with the duration as xs:duration', () => {
    const unit = workUnitElement({
      description: 'd',
      minutes: 61,
      startDateTime: '2026-03-10T00:00:00',
      employeeInitials: 'JD',
      taskId: 100,
      guid: 'g',
      billableMinutes: 30,
    });
    expect(Object.keys(unit)).toEqual(['GUID', 'AllocationGUID', 'TaskID', 'EmployeeInitials', 'Duration', 'StartDateTime', 'EndDateTime', 'Description', 'BillableDuration']);
    expect(unit).toMatchObject({ Duration: 'PT1H1M', BillableDuration: 'PT30M', EndDateTime: '0001-01-01T00:00:00' });
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
