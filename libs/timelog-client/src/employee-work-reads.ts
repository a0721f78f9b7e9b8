import type { Work } from '@timelog-sync/domain';
import type { TimeLogClient } from './timelog-client';
import { forEachBounded } from '@timelog-sync/domain';

export interface EmployeeWorkRange {
  initials: string;
  from: string;
  to: string;
}

/** A company's detail reads run a few at a time: TimeLog asks for "decent frequency patterns". */
const DETAIL_READS_IN_FLIGHT = 4;

/**
 * What the change log lacks (description, exact minutes, task, editability), read with one GetEmployeeWork per
 * employee and date range, never one call per row. Keyed by lower-case GUID; with `wanted`, only those units are
 * kept: a change-log page of a backfill touches hundreds of days, each day's read answers all of that day's work,
 * and keeping it all (a hundred thousand units per page, each holding its response's text) ran the poller out of memory.
 */
export async function readEmployeeWork(timelog: TimeLogClient, ranges: EmployeeWorkRange[], wanted?: ReadonlySet<string>): Promise<Map<string, Work>> {
  const unique = [...new Map(ranges.map((range) => [`${range.initials}\u0000${range.from}\u0000${range.to}`, range])).values()];
  const found = new Map<string, Work>();
  await forEachBounded(unique, DETAIL_READS_IN_FLIGHT, async ({ initials, from, to }) => {
    for (const work of await timelog.getEmployeeWork(initials, from, to)) {
      if (wanted && !wanted.has(work.guid)) continue;
      // A copy, key included: the parsed unit's strings are slices of the whole response text and keep all of it alive.
      const kept = structuredClone(work);
      found.set(kept.guid, kept);
    }
  });
  return found;
}
