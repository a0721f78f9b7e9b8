import { BatchItemResult, Work } from '@timelog-sync/domain';
import { InsertWorkBatches, insertFindingCulprits, WorkInserter } from './work-batches';

const work = (guid: string, employeeInitials = 'AD'): Work => ({ guid, taskId: 1, employeeInitials, startDateTime: '2026-03-10T00:00:00', minutes: 30, description: '' });

/** A site that refuses a whole call (envelope shape) as soon as one unit has unknown initials, and records each call. */
function envelopeSite() {
  const calls: string[][] = [];
  const timelog: WorkInserter = {
    insertWork: async (works: Work[]): Promise<BatchItemResult<Work>[]> => {
      calls.push(works.map((unit) => unit.guid));
      const bad = works.some((unit) => unit.employeeInitials === 'XX');
      return works.map((unit) => (bad ? { ok: false, status: 'Invalid', message: "Employee 'XX' was not found", code: 10003, shape: 'envelope' } : { ok: true, item: unit }));
    },
  };
  return { timelog, calls };
}

describe('InsertWork batches', () => {
  it('halves a batch refused as a whole until the culprit stands alone, so the others are written', async () => {
    const { timelog, calls } = envelopeSite();
    const results = await insertFindingCulprits(timelog, [work('a'), work('b', 'XX'), work('c')]);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    expect(results[1]).toEqual(expect.objectContaining({ code: 10003, shape: 'envelope' }));
    expect(calls).toEqual([['a', 'b', 'c'], ['a', 'b'], ['a'], ['b'], ['c']]);
  });

  it('sends the registrations of one company that arrive together in one call, each caller getting its own result', async () => {
    const { timelog, calls } = envelopeSite();
    const batches = new InsertWorkBatches({ lingerMs: 20 });
    const results = await Promise.all([batches.insert('c1', timelog, work('a')), batches.insert('c1', timelog, work('b')), batches.insert('c2', timelog, work('z'))]);
    expect(results.map((result) => result.ok && result.item.guid)).toEqual(['a', 'b', 'z']);
    expect(calls).toEqual([['a', 'b'], ['z']]);
  });

  it('lets whoever arrives during a call go together in the next one', async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const firstCall = new Promise<void>((resolve) => (release = resolve));
    const timelog: WorkInserter = {
      insertWork: async (works: Work[]) => {
        calls.push(works.map((unit) => unit.guid));
        if (calls.length === 1) await firstCall;
        return works.map((unit) => ({ ok: true, item: unit }));
      },
    };
    const batches = new InsertWorkBatches();
    const first = batches.insert('c1', timelog, work('a'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = [batches.insert('c1', timelog, work('b')), batches.insert('c1', timelog, work('c'))];
    release();
    await Promise.all([first, ...later]);
    expect(calls).toEqual([['a'], ['b', 'c']]);
  });
});
