import { Page, readAllPages, TooManyPagesError } from './pagination';

function pagesOf(total: number, pageSize: number) {
  const requested: number[] = [];
  const fetchPage = async (pageNumber: number): Promise<Page<number>> => {
    requested.push(pageNumber);
    const start = (pageNumber - 1) * pageSize;
    const contents = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, index) => start + index);
    return { pageNumber, pageSize, totalObjectCount: total, pageContents: contents };
  };
  return { requested, fetchPage };
}

it.each([
  [0, 100, [1]],
  [99, 100, [1]],
  [100, 100, [1]],
  [200, 100, [1, 2]],
  [201, 100, [1, 2, 3]],
])('reads %i objects in pages of %i with exactly the pages %p', async (total, pageSize, pages) => {
  const { requested, fetchPage } = pagesOf(total, pageSize);
  const items = await readAllPages(fetchPage);
  expect(items).toEqual(Array.from({ length: total }, (_, index) => index));
  expect(requested).toEqual(pages);
});

it('stops on an empty page even if the total claims more', async () => {
  const pages = [
    { pageNumber: 1, pageSize: 2, totalObjectCount: 9, pageContents: [1, 2] },
    { pageNumber: 2, pageSize: 2, totalObjectCount: 9, pageContents: [] },
  ];
  expect(await readAllPages(async (pageNumber) => pages[pageNumber - 1])).toEqual([1, 2]);
});

it('refuses a list that claims more pages than the bound instead of reading without end', async () => {
  const endless = async (pageNumber: number): Promise<Page<number>> => ({ pageNumber, pageSize: 1, totalObjectCount: Number.MAX_SAFE_INTEGER, pageContents: [pageNumber] });
  await expect(readAllPages(endless, 5)).rejects.toThrow(TooManyPagesError);
});
