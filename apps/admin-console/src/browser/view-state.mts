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
