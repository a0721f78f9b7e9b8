import type { Work, WorkChange } from '@timelog-sync/domain';
import { timelogWorkChangedV1, toWorkGuid } from '@timelog-sync/contracts';
import { changeRowOf, ChangeRow } from './work-change-rows';
import { pageEvents } from './work-change-events';

const GUID_A = 'AAAAAAAA-0000-4000-8000-000000000001';
const GUID_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const live = (action: 'Created' | 'Updated', guid: string, actionDate: string): WorkChange => ({
  action, workUnitGuid: toWorkGuid(guid), removed: false, actionDate, date: '2026-03-10', minutes: 60, employeeInitials: 'JD', employeeInternalId: '2', taskGuid: '', taskNo: '', projectGuid: '',
});
const work: Work = { guid: GUID_A.toLowerCase(), taskId: 100, employeeInitials: 'JD', startDateTime: '2026-03-10T00:00:00', minutes: 61, description: 'Endpoints', isEditable: true };
const rows = (changes: WorkChange[]) => changes.map((change) => changeRowOf(change, '2026-03-10')).filter((row): row is ChangeRow => row !== null);

describe('change-log rows to events', () => {
  it('keys a deleted row, which has no ActionDate, on the window day and skips other rows of vanished work', () => {
    expect(changeRowOf({ action: 'Deleted', workUnitGuid: toWorkGuid(GUID_B), removed: true }, '2026-03-10')).toEqual({ kind: 'deleted', guid: GUID_B, action: 'Deleted', actionDate: '2026-03-10' });
    expect(changeRowOf({ action: 'Created', workUnitGuid: toWorkGuid(GUID_B), removed: true }, '2026-03-10')).toBeNull();
  });

  it('emits one upsert per GUID with the work as read, and the GUID only for a deletion', () => {
    const events = pageEvents(
      'acme',
      rows([live('Created', GUID_A, '2026-03-10T09:00:00'), { action: 'Deleted', workUnitGuid: toWorkGuid(GUID_B), removed: true }, live('Updated', GUID_A, '2026-03-10T09:05:00')]),
      new Map([[work.guid, work]]),
    );
    expect(events.map((event) => [event.key, event.value && { change: event.value.change, actionDate: event.value.actionDate, work: event.value.work }])).toEqual([
      ['acme:work:bbbbbbbb-0000-4000-8000-000000000002', { change: 'deleted', actionDate: '2026-03-10', work: null }],
      ['acme:work:aaaaaaaa-0000-4000-8000-000000000001', { change: 'upserted', actionDate: '2026-03-10T09:05:00', work: { guid: work.guid, taskId: 100, employeeInitials: 'JD', date: '2026-03-10', minutes: 61, description: 'Endpoints', isEditable: true } }],
    ]);
    for (const event of events) expect(timelogWorkChangedV1.safeParse(event.value).success).toBe(true);
  });

  it('skips an upsert whose work is gone by the time its details are read', () => {
    expect(pageEvents('acme', rows([live('Created', GUID_A, '2026-03-10T09:00:00')]), new Map())).toEqual([]);
  });
});
