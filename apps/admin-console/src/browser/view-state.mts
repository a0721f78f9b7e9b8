import { ApiError } from './api.mjs';
import { h } from './dom.mjs';

export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong in the console. Reload the page; if it happens again, tell your operator.';
}

export const emptyState = (message: string) => h('p', { class: 'empty' }, message);

export interface Section<T> {
  /** Loads and renders again; `quiet` keeps the current content on screen instead of "Loading…". */
  reload(options?: { quiet?: boolean }): Promise<T | undefined>;
}

/**
 * A region that loads its data: "Loading…" while busy, the rendered data, or an error with a Retry
 * button. Focus inside survives a refresh when the focused control carries `data-focus-key`.
 */
export function section<T>(container: HTMLElement, load: () => Promise<T>, render: (data: T) => Node): Section<T> {
  const reload = async ({ quiet = false } = {}): Promise<T | undefined> => {
    container.setAttribute('aria-busy', 'true');
    if (!quiet) container.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
    try {
      const data = await load();
      const focusKey = container.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.focusKey : undefined;
      container.replaceChildren(render(data));
      if (focusKey) container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
      return data;
    } catch (error) {
      if (quiet && container.childElementCount && !container.querySelector('.loading')) return undefined; // keep the last good view; the next refresh may work
      container.replaceChildren(
        h('div', { class: 'error-panel', role: 'alert' }, h('p', {}, messageOf(error)), h('button', { type: 'button', onclick: () => void reload() }, 'Retry')),
      );
      return undefined;
    } finally {
      container.removeAttribute('aria-busy');
    }
  };
  return { reload };
}

/** Runs `work` every `ms` until it answers 'done' or `signal` aborts (the admin left the screen); never two runs at once. */
export function every(ms: number, signal: AbortSignal, work: () => Promise<'done' | void>): void {
  const schedule = () =>
    setTimeout(() => {
      if (signal.aborted) return;
      work().then((result) => result !== 'done' && schedule(), schedule);
    }, ms);
  schedule();
}

/** One page of a paged list as the console holds it. */
export interface ListPage<T> {
  rows: T[];
  total: number;
  nextCursor: string | null;
}

export interface PagedSection<T> extends Section<ListPage<T>> {
  /** Starts again from the first page (a new search). */
  restart(): Promise<void>;
}

/**
 * A section of a list the server pages: the first page, then "Show more" appends the next; a line says how many of
 * how many are shown. A refresh reloads from the first page as many rows as are on screen (up to the API's 500).
 */
export function pagedSection<T>(container: HTMLElement, noun: string, load: (cursor: string | null, limit: number) => Promise<ListPage<T>>, render: (rows: T[]) => Node, pageSize = 100): PagedSection<T> {
  let shown: ListPage<T> = { rows: [], total: 0, nextCursor: null };
  const view = (): Node => {
    const problem = h('p', { class: 'row-error', role: 'alert' });
    const more = h('button', { type: 'button', class: 'more', onclick: () => void showMore(more, problem) }, `Show more ${noun}`);
    return h(
      'div',
      {},
      render(shown.rows),
      shown.total > 0 ? h('p', { class: 'page-count secondary' }, `Showing ${shown.rows.length} of ${shown.total} ${noun}`) : null,
      shown.nextCursor ? h('div', { class: 'actions' }, more, problem) : null,
    );
  };
  const first = section(container, async () => (shown = await load(null, Math.min(500, Math.max(pageSize, shown.rows.length)))), view);

  async function showMore(button: HTMLButtonElement, problem: HTMLElement) {
    button.disabled = true;
    try {
      const next = await load(shown.nextCursor, pageSize);
      shown = { rows: [...shown.rows, ...next.rows], total: next.total, nextCursor: next.nextCursor };
      container.replaceChildren(view());
    } catch (error) {
      button.disabled = false;
      problem.textContent = messageOf(error);
    }
  }

  return {
    reload: (options) => first.reload(options),
    restart: async () => {
      shown = { rows: [], total: 0, nextCursor: null };
      await first.reload();
    },
  };
}

/** The query string of one page: search text, page size and the cursor the previous page handed out. */
export const pageQuery = (q: string, cursor: string | null, limit: number) =>
  `limit=${limit}${q ? `&q=${encodeURIComponent(q)}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
