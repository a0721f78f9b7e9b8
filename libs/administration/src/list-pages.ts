import { AdministrationError } from './administration-error';

/**
 * Where a page ends: the last row's sort value and id. Pages are keyed by position, not by offset, so rows arriving
 * while the admin pages (the activity log grows all the time) neither repeat nor skip a row.
 */
export type Cursor = readonly [string, string];

const badCursor = () => new AdministrationError(400, 'list.bad_cursor', 'cursor is not one this list handed out; start again without it');

export interface PageRequest {
  /** Search text, matched case-insensitively within the list's searchable fields. */
  q?: string;
  limit: number;
  after?: Cursor;
}

export interface Page<T> {
  items: T[];
  /** Rows matching the search, on all pages. */
  total: number;
  next: Cursor | null;
}

/** The cursor as the API hands it out: opaque to clients. */
export const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodeCursor(text: string): Cursor {
  try {
    const cursor: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(cursor) && cursor.length === 2 && cursor.every((part) => typeof part === 'string' && part.length <= 300 && !/[\u0000]/.test(part))) return [cursor[0], cursor[1]];
  } catch {
    // Not JSON: refused below like any other foreign value.
  }
  throw badCursor();
}

/**
 * One page of a list held in memory (read from a vendor's API), in ascending order of `position`; ids are compared
 * as numbers when both are (Forecast ids), so 10 follows 9.
 */
export function pageInMemory<T>(items: T[], position: (item: T) => Cursor, matches: (item: T, q: string) => boolean, request: PageRequest): Page<T> {
  const compare = (a: Cursor, b: Cursor) => a[0].localeCompare(b[0]) || Number(a[1]) - Number(b[1]) || a[1].localeCompare(b[1]);
  const q = request.q?.toLowerCase();
  const found = (q ? items.filter((item) => matches(item, q)) : items).map((item) => ({ item, at: position(item) })).sort((a, b) => compare(a.at, b.at));
  const rest = request.after ? found.filter(({ at }) => compare(at, request.after!) > 0) : found;
  const page = rest.slice(0, request.limit);
  return { items: page.map(({ item }) => item), total: found.length, next: rest.length > page.length ? page[page.length - 1].at : null };
}

/**
 * A request for a list read newest first from PostgreSQL, its cursor checked: only a position such a list hands out
 * (the time with its microseconds, and a row id).
 */
export function keysetRequest(request: PageRequest): PageRequest {
  const { after } = request;
  if (after && !(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(after[0]) && /^\d{1,18}$/.test(after[1]))) throw badCursor();
  return request;
}

/** Cuts the `limit + 1` rows read to a page: the extra row only tells that there is a next one. */
export function pageOfRows<R extends { cursor_at: string; cursor_id: string }, T>(rows: R[], total: number, limit: number, map: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), total, next: rows.length > limit ? [last.cursor_at, last.cursor_id] : null };
}
