import type { Work } from '@timelog-sync/domain';
import type { TimeLogClient } from './timelog-client';
import { readEmployeeWork } from './employee-work-reads';

const unit = (guid: string, day: string): Work => ({ guid, taskId: 1, employeeInitials: 'AD', startDateTime: `${day}T00:00:00`, minutes: 30, description: guid, isEditable: true, projectId: 10 });

describe('readEmployeeWork', () => {
  // Each day's read answers all of that day's work, most of it not what the change-log page asked about.
  const calls: string[] = [];
  const timelog = {
    getEmployeeWork: async (initials: string, from: string) => {
      calls.push(`${initials} ${from}`);
      return [unit(`${from}-asked`, from), unit(`${from}-other-1`, from), unit(`${from}-other-2`, from)];
    },
  } as unknown as TimeLogClient;

  it('reads each employee-day once and keeps only the wanted units when told which', async () => {
    const ranges = ['2026-01-01', '2026-01-02', '2026-01-01'].map((day) => ({ initials: 'AD', from: day, to: day }));
    const found = await readEmployeeWork(timelog, ranges, new Set(['2026-01-01-asked', '2026-01-02-asked']));
    expect(calls.sort()).toEqual(['AD 2026-01-01', 'AD 2026-01-02']);
    expect([...found.keys()].sort()).toEqual(['2026-01-01-asked', '2026-01-02-asked']);
    expect((await readEmployeeWork(timelog, ranges.slice(0, 1))).size).toBe(3);
  });
});
