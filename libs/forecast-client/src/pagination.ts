export interface Page<T> {
  pageNumber: number;
  pageSize: number;
  totalObjectCount: number;
  pageContents: T[];
}

/**
 * Reads every page of a v4 list. Stops on an empty page or once the pages seen cover
 * `totalObjectCount`, using the page size the server reports (it may cap what was asked for).
 * Not `pageNumber == total / pageSize + 1`, which over-reads when total is a multiple of pageSize.
 */
export async function readAllPages<T>(fetchPage: (pageNumber: number) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await fetchPage(pageNumber);
    items.push(...page.pageContents);
    if (page.pageContents.length === 0 || page.pageNumber * page.pageSize >= page.totalObjectCount) return items;
  }
}
