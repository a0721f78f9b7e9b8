import type { ForecastTimeRegistrationSnapshotV1 } from '@timelog-sync/contracts';
import { planWorkForRegistration, RegistrationSyncContext } from './registration-to-work';
import { deterministicWorkGuid } from './work-guid';
import { timeEntryHash } from './time-entry-content';

const registration = (overrides: Partial<ForecastTimeRegistrationSnapshotV1> = {}): ForecastTimeRegistrationSnapshotV1 => ({
  id: 501, personId: 7, projectId: 3, taskId: 11, nonProjectTimeId: null, date: '2026-11-24', minutes: 61,
  billableMinutes: null, note: 'Code review', updatedAt: '2026-11-24T10:00:00Z', ...overrides,
});
const linked: RegistrationSyncContext = {
  companyId: 'acme',
  projectLink: { timelogProjectId: 90, syncFrom: '2026-01-01' },
  userLink: { timelogInitials: 'JD' },
  timelogTaskId: 4711,
  pair: null,
};

describe('planWorkForRegistration', () => {
  it('inserts new work under the deterministic GUID with exact minutes and the note as description', () => {
    const plan = planWorkForRegistration(501, registration(), linked);
    expect(plan).toEqual({
      kind: 'insert-work',
      work: { guid: deterministicWorkGuid('acme', 501), taskId: 4711, employeeInitials: 'JD', date: '2026-11-24', minutes: 61, description: 'Code review' },
      hash: timeEntryHash({ date: '2026-11-24', minutes: 61, note: 'Code review' }),
      content: { date: '2026-11-24', minutes: 61, note: 'Code review' },
    });
  });

  it('gives the same GUID for the same company and registration, a different one elsewhere', () => {
    expect(deterministicWorkGuid('acme', 501)).toBe(deterministicWorkGuid('acme', 501));
    expect(deterministicWorkGuid('acme', 501)).not.toBe(deterministicWorkGuid('globex', 501));
    expect(deterministicWorkGuid('acme', 501)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('parks a registration of an unlinked person, waiting for that person', () => {
    expect(planWorkForRegistration(501, registration(), { ...linked, userLink: null })).toMatchObject({
      kind: 'park', reasonCode: 'person-not-linked', waitingFor: 'user:7',
    });
  });

  it('parks a registration on a task that has not synced, waiting for the task', () => {
    expect(planWorkForRegistration(501, registration(), { ...linked, timelogTaskId: null })).toMatchObject({
      kind: 'park', reasonCode: 'task-not-synced', waitingFor: 'task:11',
    });
  });

  it('holds a new registration that may be a create from TimeLog still recording its id, waiting for that create; a paired one is not held', () => {
    const awaiting = { ...linked, createAwaitingId: '3f1c0e4e-0000-4000-8000-000000000001' };
    expect(planWorkForRegistration(501, registration(), awaiting)).toMatchObject({
      kind: 'park', reasonCode: 'create-in-flight', waitingFor: 'work-create:3f1c0e4e-0000-4000-8000-000000000001',
    });
    const synced = { timelogRef: 'guid-1', syncedHash: 'older', snapshot: null, forecastDeleted: false, timelogDeleted: false };
    expect(planWorkForRegistration(501, registration(), { ...awaiting, pair: synced })).toMatchObject({ kind: 'update-work' });
  });

  it('skips what cannot exist in TimeLog, with a reason', () => {
    expect(planWorkForRegistration(501, registration({ taskId: null, nonProjectTimeId: 5, projectId: null }), linked)).toMatchObject({ kind: 'skip', reason: expect.stringContaining('non-project') });
    expect(planWorkForRegistration(501, registration({ taskId: null }), linked)).toMatchObject({ kind: 'skip', reason: expect.stringContaining('project-level') });
    expect(planWorkForRegistration(501, registration(), { ...linked, projectLink: null })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('not linked') });
    expect(planWorkForRegistration(501, registration({ date: '2025-12-31' }), linked)).toMatchObject({ kind: 'skip', reason: expect.stringContaining('sync-from') });
  });

  it('updates the existing work and drops a change that equals what was last synced (echo)', () => {
    const synced = { timelogRef: 'guid-1', syncedHash: timeEntryHash({ date: '2026-11-24', minutes: 61, note: 'Code review' }), snapshot: { date: '2026-11-24', minutes: 61, note: 'Code review' }, forecastDeleted: false, timelogDeleted: false };
    expect(planWorkForRegistration(501, registration(), { ...linked, pair: synced })).toMatchObject({ kind: 'skip', echo: true });
    const plan = planWorkForRegistration(501, registration({ minutes: 1439 }), { ...linked, pair: synced });
    expect(plan).toMatchObject({ kind: 'update-work', work: { guid: 'guid-1', minutes: 1439 }, previous: synced.snapshot });
  });

  it('deletes synced work when the registration is deleted, and ignores deletes of never-synced ones', () => {
    const synced = { timelogRef: 'guid-1', syncedHash: 'h', snapshot: null, forecastDeleted: false, timelogDeleted: false };
    expect(planWorkForRegistration(501, null, { ...linked, pair: synced })).toEqual({ kind: 'delete-work', workGuid: 'guid-1' });
    expect(planWorkForRegistration(501, null, linked)).toMatchObject({ kind: 'skip' });
    expect(planWorkForRegistration(501, null, { ...linked, pair: { ...synced, forecastDeleted: true, timelogDeleted: true } })).toMatchObject({ kind: 'skip' });
  });

  it('still deletes the work when only the Forecast side is known deleted (a poll saw the registration gone first)', () => {
    const seenGoneByPoll = { timelogRef: 'guid-1', syncedHash: 'h', snapshot: null, forecastDeleted: true, timelogDeleted: false };
    expect(planWorkForRegistration(501, null, { ...linked, pair: seenGoneByPoll })).toEqual({ kind: 'delete-work', workGuid: 'guid-1' });
  });

  it('lets a TimeLog deletion win over a later Forecast edit, and ignores a stale event of a registration deleted since', () => {
    const synced = { timelogRef: 'guid-1', syncedHash: 'h', snapshot: null, forecastDeleted: false, timelogDeleted: false };
    expect(planWorkForRegistration(501, registration(), { ...linked, pair: { ...synced, timelogDeleted: true } })).toMatchObject({ kind: 'delete-registration', reason: expect.stringContaining('deletion wins') });
    expect(planWorkForRegistration(501, registration(), { ...linked, pair: { ...synced, forecastDeleted: true } })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('stale') });
  });

  it("sends edits of a project-level registration made from TimeLog work back to that work's TimeLog task", () => {
    const synced = { timelogRef: 'guid-9', syncedHash: 'h', snapshot: null, forecastDeleted: false, timelogDeleted: false };
    expect(planWorkForRegistration(501, registration({ taskId: null }), { ...linked, pair: synced, pairedWorkTaskId: 900 })).toMatchObject({ kind: 'update-work', work: { guid: 'guid-9', taskId: 900 } });
    expect(planWorkForRegistration(501, registration({ taskId: null }), { ...linked, pair: null, pairedWorkTaskId: 900 })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('project-level') });
  });
});
