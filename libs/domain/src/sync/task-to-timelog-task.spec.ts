import type { ForecastTaskSnapshotV1 } from '@timelog-sync/contracts';
import { planAllocations, planTimeLogTask, TaskSyncContext } from './task-to-timelog-task';

const task = (overrides: Partial<ForecastTaskSnapshotV1> = {}): ForecastTaskSnapshotV1 => ({
  id: 11, projectId: 3, parentTaskId: null, title: 'Build API', description: 'REST part', startDate: '2026-11-01',
  endDate: '2026-11-30', estimateMinutes: 90, assignedPersonIds: [7], updatedAt: '2026-11-24T10:00:00Z', ...overrides,
});
const context: TaskSyncContext = { projectLink: { timelogProjectId: 90 }, timelogParentTaskId: null, pair: null };

describe('planTimeLogTask', () => {
  it('creates a task in the linked project, keyed by the Forecast task id, estimate as hours', () => {
    expect(planTimeLogTask(11, task(), context)).toMatchObject({
      kind: 'create-task',
      task: { externalKey: 'forecast-task-11', timelogProjectId: 90, timelogParentTaskId: null, name: 'Build API', budgetHours: 1.5 },
    });
  });

  it('puts a sub-task under its synced parent and parks it while the parent has not synced', () => {
    expect(planTimeLogTask(12, task({ id: 12, parentTaskId: 11 }), { ...context, timelogParentTaskId: 4711 })).toMatchObject({
      kind: 'create-task', task: { timelogParentTaskId: 4711 },
    });
    expect(planTimeLogTask(12, task({ id: 12, parentTaskId: 11 }), context)).toMatchObject({ kind: 'park', waitingFor: 'task:11' });
  });

  it('updates only when the mapped content changed', () => {
    const created = planTimeLogTask(11, task(), context);
    if (created.kind !== 'create-task') throw new Error('expected create');
    const pair = { timelogTaskId: 4711, syncedHash: created.hash, deleted: false };
    expect(planTimeLogTask(11, task({ updatedAt: '2026-11-25T00:00:00Z', assignedPersonIds: [8] }), { ...context, pair })).toMatchObject({ kind: 'skip' });
    expect(planTimeLogTask(11, task({ title: 'Build REST API' }), { ...context, pair })).toMatchObject({ kind: 'update-task', timelogTaskId: 4711, task: { name: 'Build REST API' } });
  });

  it('never brings back a task deleted in Forecast: a later upsert is an old event', () => {
    expect(planTimeLogTask(11, task(), { ...context, pair: { timelogTaskId: 4711, syncedHash: 'x', deleted: true } })).toMatchObject({ kind: 'skip', reason: expect.stringContaining('stale') });
  });

  it('deactivates a deleted task that synced, and skips unlinked projects', () => {
    expect(planTimeLogTask(11, null, { ...context, pair: { timelogTaskId: 4711, syncedHash: 'x', deleted: false } })).toEqual({ kind: 'deactivate-task', timelogTaskId: 4711 });
    expect(planTimeLogTask(11, task(), { ...context, projectLink: null })).toMatchObject({ kind: 'skip' });
  });
});

describe('planAllocations', () => {
  const links = new Map([
    [7, { timelogInitials: 'JD', timelogUserId: 70 }],
    [8, { timelogInitials: 'AB', timelogUserId: 80 }],
  ]);

  it('allocates newly assigned linked people once, ends allocations of unassigned ones, reports the unlinked', () => {
    expect(planAllocations([7, 8, 9, 7], links, new Set(['AB', 'ZZ']))).toEqual({
      allocate: [{ forecastPersonId: 7, timelogInitials: 'JD', timelogUserId: 70 }],
      end: [{ timelogInitials: 'ZZ' }],
      unlinked: [9],
    });
  });
});
