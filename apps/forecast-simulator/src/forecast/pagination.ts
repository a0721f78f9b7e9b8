export interface PageEnvelope<T> {
  pageNumber: number;
  pageSize: number;
  totalObjectCount: number;
  pageContents: T[];
}

const DEFAULT_PAGE_SIZE = 100;

function positiveInt(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return value >= 1 ? value : null;
}

export function sortedById<T extends { id: number }>(records: Iterable<T>): T[] {
  return [...records].sort((a, b) => a.id - b.id);
}

/** v4 envelope over records already in page order; invalid parameters fall back to the defaults 1 and 100. */
export function paginate<T, R>(
  ordered: T[],
  query: Record<string, unknown>,
  maxPageSize: number,
  represent: (record: T) => R,
): PageEnvelope<R> {
  const pageNumber = positiveInt(query['pageNumber']) ?? 1;
  const pageSize = Math.min(positiveInt(query['pageSize']) ?? DEFAULT_PAGE_SIZE, maxPageSize);
  const start = (pageNumber - 1) * pageSize;
  return {
    pageNumber,
    pageSize,
    totalObjectCount: ordered.length,
    pageContents: ordered.slice(start, start + pageSize).map(represent),
  };
}
