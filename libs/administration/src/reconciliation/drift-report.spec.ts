import { deterministicWorkGuid, TimeRegistration, Work } from '@timelog-sync/domain';
import { compareSides, ScopedState } from './drift-report';

const registration = (id: number, minutes: number, customFields: Record<string, string> = {}): TimeRegistration => ({
  id, personId: 7, target: { kind: 'task', taskId: 11, projectId: 3 }, roleId: null, phaseId: null, minutes, billableMinutes: minutes, date: '2026-11-24',
  notes: 'Review', approvalStatus: null, createdBy: null, updatedBy: null, createdAt: null, updatedAt: null, customFields,
});
const work = (guid: string, minutes: number): Work => ({ guid, taskId: 4711, employeeInitials: 'JD', startDateTime: '2026-11-24T00:00:00', minutes, description: 'Review' });
const state = (overrides: Partial<ScopedState>): ScopedState => ({ registrations: [], work: [], pairs: [], initialsOfPerson: new Map([[7, 'JD']]), timelogTasks: new Map(), ...overrides });
const guid = (id: number) => deterministicWorkGuid('acme', id);

describe('compareSides', () => {
  it('finds nothing when every registration has its work with the same content', () => {
    expect(compareSides('acme', state({ registrations: [registration(1, 30)], work: [work(guid(1), 30)], pairs: [{ forecastId: 1, timelogRef: guid(1) }] }))).toEqual([]);
  });

  it('tells the kinds apart, with the winner the conflict rule gives', () => {
    const tlOnly = '6f9619ff-8b86-d011-b42d-00c04fc964ff';
    const differences = compareSides(
      'acme',
      state({
        registrations: [registration(1, 35), registration(2, 45), registration(3, 60), registration(4, 60, { timelog_work_guid: guid(3) }), registration(5, 15)],
        work: [work(guid(1), 30), work(guid(3), 60), work(tlOnly, 20)],
        pairs: [{ forecastId: 1, timelogRef: guid(1) }, { forecastId: 2, timelogRef: guid(2) }, { forecastId: 3, timelogRef: guid(3) }],
      }),
    );
    expect(differences.map((d) => [d.id, d.winner])).toEqual([
      ['content-differs:1', 'forecast'],
      ['duplicate:4', 'timelog'],
      [`missing-in-forecast:${tlOnly}`, 'timelog'],
      ['missing-in-timelog:2', 'timelog'],
      ['missing-in-timelog:5', 'forecast'],
    ]);
    expect(differences[0]).toMatchObject({ forecast: { minutes: 35 }, timelog: { minutes: 30 } });
  });

  it('finds the work of a GUID typed into the custom field in upper case', () => {
    const marked = registration(6, 15, { timelog_work_guid: guid(60).toUpperCase() });
    expect(compareSides('acme', state({ registrations: [marked], work: [work(guid(60), 15)] }))).toEqual([]);
  });

  it('lets a Forecast deletion of a synced pair win over its remaining work', () => {
    const [difference] = compareSides('acme', state({ work: [work(guid(9), 30)], pairs: [{ forecastId: 9, timelogRef: guid(9) }] }));
    expect(difference).toMatchObject({ kind: 'missing-in-forecast', forecastId: 9, winner: 'forecast' });
  });
});
