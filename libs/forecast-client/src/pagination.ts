export interface Page<T> {
  pageNumber: number;
  pageSize: number;
  totalObjectCount: number;
  pageContents: T[];
}

/** Beyond this many pages (up to 1,000 objects each) a list is refused rather than read without end. */
export const MAX_PAGES = 1000;

export class TooManyPagesError extends Error {}

/**
 * Reads every page of a v4 list, at most `maxPages`. Stops on an empty page or once the pages seen cover
 * `totalObjectCount`, using the page size the server reports (it may cap what was asked for).
 * Not `pageNumber == total / pageSize + 1`, which over-reads when total is a multiple of pageSize.
 */
export async function readAllPages<T>(fetchPage: (pageNumber: number) => Promise<Page<T>>, maxPages = MAX_PAGES): Promise<T[]> {
  const items: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    if (pageNumber > maxPages) throw new TooManyPagesError(`more than ${maxPages} pages`);
    const page = await fetchPage(pageNumber);
    items.push(...page.pageContents);
    if (page.pageContents.length === 0 || page.pageNumber * page.pageSize >= page.totalObjectCount) return items;
  }
}
