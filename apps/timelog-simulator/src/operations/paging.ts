import { fail, ok, Outcome, violations } from '../store/rule-violation';

export interface PageSlice<T> {
  items: T[];
  totalPageCount: number;
}

/** 1-based pages with a per-operation maximum size (PM 500, Organisation 100). */
export function pageOf<T>(all: T[], page: unknown, pageSize: unknown, maxPageSize: number): Outcome<PageSlice<T>> {
  const size = Number(pageSize);
  const number = Number(page);
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) return fail(violations.pageSizeTooLarge(maxPageSize));
  if (!Number.isInteger(number) || number < 1) return fail(violations.invalidValue('page'));
  return ok({ items: all.slice((number - 1) * size, number * size), totalPageCount: Math.ceil(all.length / size) });
}
