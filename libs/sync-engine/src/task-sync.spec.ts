import { DesiredTimeLogTask } from '@timelog-sync/domain';
import { FakeTimeLog } from './testing/fakes';
import { completeAllocation, createTimeLogTask, ensureAllocated } from './task-sync';

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
