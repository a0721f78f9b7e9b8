import type { ForecastTaskSnapshotV1 } from '@timelog-sync/contracts';
import { DesiredTimeLogTask, TaskStatus } from '@timelog-sync/domain';
import { FakeSyncContext, fakeSyncWorld, FakeTimeLog } from './testing/fakes';
import { completeAllocation, createTimeLogTask, ensureAllocated, TaskSync } from './task-sync';

/** The TimeLog calls the task writer makes, recorded; Ann already has allocations to tasks 41 and 42. */
function fakeTimeLog() {
  const timelog = new FakeTimeLog();
  timelog.allocations.push({ guid: 'guid-41', taskId: 41, initials: 'AD', complete: false }, { guid: 'guid-42', taskId: 42, initials: 'AD', complete: false });
  return { timelog, calls: timelog.writes };
}

describe('task writer TimeLog calls', () => {
  const desired = (timelogParentTaskId: number | null): DesiredTimeLogTask => ({
    externalKey: 'forecast-task-12', timelogProjectId: 90, timelogParentTaskId, name: 'Wireframes', description: '', startDate: null, endDate: null, budgetHours: null,
  });
  const draft = { name: 'Wireframes' };

  it('creates a first-level task with CreateTask and a sub-task under its TimeLog parent with CreateSubTask', async () => {
    const { timelog, calls } = fakeTimeLog();
    await createTimeLogTask(timelog, desired(null), draft);
    await createTimeLogTask(timelog, desired(4711), draft);
    expect(calls).toEqual([
      ['createTask', 90, draft],
      ['createSubTask', 90, 4711, draft],
    ]);
  });

  it('completes only the allocation to the task the person left, and nothing when TimeLog has none', async () => {
    const { timelog, calls } = fakeTimeLog();
    await completeAllocation(timelog, 'AD', 42);
    await completeAllocation(timelog, 'AD', 99);
    expect(calls).toEqual([['setAllocationStatus', 'guid-42', true]]);
  });

  it('opens an existing allocation again instead of adding a second one, and adds one where there is none', async () => {
    const { timelog, calls } = fakeTimeLog();
    await ensureAllocated(timelog, 'AD', 7, 42);
    await ensureAllocated(timelog, 'AD', 7, 43);
    expect(calls).toEqual([
      ['setAllocationStatus', 'guid-42', false],
      ['addEmployeeToTask', 7, 43],
    ]);
  });
});

/** TaskSync's decisions (Forecast task -> TimeLog task and allocations) against in-memory TimeLog and storage. */
describe('TaskSync', () => {
  function setup() {
    const world = fakeSyncWorld();
    const { companyId, storage, timelog } = world;
    storage.userLinks[0].timelogUserId = 70;
    timelog.employees.push({ employeeId: 70, initials: 'JD' });
    const sync = new TaskSync<FakeSyncContext>(storage, world.connections, 'Forecast');
    const fromForecast = (taskId: number, task: Partial<ForecastTaskSnapshotV1> | null) =>
      sync.handle(
        {
          companyId, taskId, change: task ? 'upserted' : 'deleted', source: 'webhook', observedAt: new Date().toISOString(),
          task: task && { id: taskId, projectId: 3, parentTaskId: null, title: 'Wireframes', description: '', startDate: null, endDate: null, estimateMinutes: 90, assignedPersonIds: [7], updatedAt: null, ...task },
        },
        { key: `${companyId}:task:${taskId}`, attempt: 1 },
      );
    const pairOf = (taskId: number) => storage.pair(companyId, 'task', { forecastId: taskId });
    return { ...world, fromForecast, pairOf };
  }

  it('creates the task under the linked project with the budget in minutes, allocates the linked assignee and releases what waited for it', async () => {
    const { timelog, storage, fromForecast, pairOf, actions } = setup();
    await fromForecast(21, {});
    expect(timelog.writes).toEqual([
      ['createTask', 90, expect.objectContaining({ name: 'Wireframes', budgetMinutes: 90, externalKeys: [{ systemName: 'Forecast', externalId: 'forecast-task-21' }] })],
      ['addEmployeeToTask', 70, 5000],
    ]);
    expect(pairOf(21)).toMatchObject({ timelogRef: '5000', origin: 'forecast' });
    expect(storage.allocations).toEqual([expect.objectContaining({ timelogTaskId: 5000, initials: 'JD', status: 'active' })]);
    expect(storage.requeued).toEqual([{ companyId: 'company-1', waitingFor: 'task:21' }]);
    expect(actions()).toEqual(['created', 'allocated']);
  });

  it('writes nothing for content TimeLog already has, and updates the task when it changes', async () => {
    const { timelog, fromForecast, actions } = setup();
    await fromForecast(22, {});
    const writes = timelog.writes.length;
    await fromForecast(22, {});
    expect(timelog.writes.length).toBe(writes);
    await fromForecast(22, { title: 'Wireframes v2' });
    expect(timelog.writes.at(-1)).toEqual(['updateTask', 5000, expect.objectContaining({ name: 'Wireframes v2' })]);
    expect(actions()).toEqual(['created', 'allocated', 'unchanged', 'updated']);
  });

  it('ends the allocation of a person no longer assigned, and deactivates the task deleted in Forecast', async () => {
    const { timelog, fromForecast, pairOf, actions } = setup();
    await fromForecast(23, {});
    await fromForecast(23, { title: 'Alone', assignedPersonIds: [] });
    expect(timelog.allocations).toEqual([expect.objectContaining({ taskId: 5000, initials: 'JD', complete: true })]);
    await fromForecast(23, null);
    expect(timelog.writes.at(-1)).toEqual(['changeTaskStatus', 'task-guid-5000', TaskStatus.Cancelled]);
    expect(pairOf(23)?.deletedAt).toEqual(expect.any(Date));
    expect(actions()).toEqual(['created', 'allocated', 'updated', 'allocation-ended', 'deactivated']);
  });

  it('parks a sub-task until its parent has synced', async () => {
    const { companyId, timelog, storage, fromForecast } = setup();
    await fromForecast(24, { parentTaskId: 99 });
    expect(timelog.writes).toEqual([]);
    expect(storage.openParked(companyId).map((entry) => [entry.decision.reasonCode, entry.decision.waitingFor])).toEqual([['task-not-synced', 'task:99']]);
  });
});
