import { type TimelogWorkSnapshotV1, toWorkGuid } from '@timelog-sync/contracts';
import { planRegistrationForWork, WorkSyncContext } from './work-to-registration';
import { timeEntryHash } from './time-entry-content';

const work = (overrides: Partial<TimelogWorkSnapshotV1> = {}): TimelogWorkSnapshotV1 => ({
  guid: toWorkGuid('6f9619ff-8b86-d011-b42d-00c04fc964ff'), taskId: 4711, employeeInitials: 'AD', date: '2026-11-24', minutes: 59, description: 'Workshop', isEditable: true, ...overrides,
});
const context: WorkSyncContext = { forecastPersonId: 7, target: { kind: 'task', forecastTaskId: 11 }, pair: null };

describe('planRegistrationForWork', () => {
  it('creates a registration on the Forecast task, minutes and note as in TimeLog', () => {
    expect(planRegistrationForWork(work(), context)).toEqual({
      kind: 'create-registration', personId: 7, target: { kind: 'task', forecastTaskId: 11 },
      content: { date: '2026-11-24', minutes: 59, note: 'Workshop' }, hash: timeEntryHash({ date: '2026-11-24', minutes: 59, note: 'Workshop' }),
    });
  });

  it('drops our own write coming back (same content hash) and updates on a real change', () => {
    const synced = { forecastId: 501, timelogRef: 'g', syncedHash: timeEntryHash({ date: '2026-11-24', minutes: 59, note: 'Workshop' }), snapshot: { date: '2026-11-24', minutes: 59, note: 'Workshop' }, forecastDeleted: false, timelogDeleted: false };
    expect(planRegistrationForWork(work(), { ...context, pair: synced })).toMatchObject({ kind: 'skip', echo: true });
    expect(planRegistrationForWork(work({ minutes: 61 }), { ...context, pair: synced })).toMatchObject({ kind: 'update-registration', forecastId: 501, content: { minutes: 61 } });
  });

  it('deletes the registration when the work is deleted, once', () => {
    const synced = { forecastId: 501, timelogRef: 'g', syncedHash: 'h', snapshot: null, forecastDeleted: false, timelogDeleted: false };
    expect(planRegistrationForWork(null, { ...context, pair: synced })).toEqual({ kind: 'delete-registration', forecastId: 501 });
    expect(planRegistrationForWork(null, { ...context, pair: { ...synced, forecastDeleted: true } })).toMatchObject({ kind: 'skip', echo: true });
    expect(planRegistrationForWork(null, context)).toMatchObject({ kind: 'skip' });
  });

  it('deletes the work when the registration was deleted in Forecast (the deletion wins), and ignores a stale event of deleted work', () => {
    const synced = { forecastId: 501, timelogRef: 'g', syncedHash: 'h', snapshot: null, forecastDeleted: false, timelogDeleted: false };
    expect(planRegistrationForWork(work({ minutes: 61 }), { ...context, pair: { ...synced, forecastDeleted: true } })).toMatchObject({ kind: 'delete-work', reason: expect.stringContaining('deletion wins') });
    expect(planRegistrationForWork(work({ minutes: 61 }), { ...context, pair: { ...synced, timelogDeleted: true } })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('stale') });
  });

  it('leaves work of unlinked users and unlinked projects alone, with a reason', () => {
    expect(planRegistrationForWork(work(), { ...context, forecastPersonId: null })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('not linked') });
    expect(planRegistrationForWork(work(), { ...context, target: null })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('linked project') });
  });
});
