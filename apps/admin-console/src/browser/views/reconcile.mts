import { api, companyPath } from '../api.mjs';
import type { Difference, ReconciliationReport } from '../api-types.mjs';
import { announce, h } from '../dom.mjs';
import type { ViewContext } from '../view.mjs';
import { emptyState, messageOf, section } from '../view-state.mjs';

const KIND_TITLES: Record<Difference['kind'], string> = {
  'missing-in-timelog': 'Missing in TimeLog',
  'missing-in-forecast': 'Missing in Forecast',
  'content-differs': 'Different content',
  duplicate: 'Duplicate in Forecast',
};
const SIDE_TITLES = { forecast: 'Forecast', timelog: 'TimeLog' } as const;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Do Forecast and TimeLog agree for a date range, and where not: both versions, and a resync per row or for all. */
export function renderReconcile(main: HTMLElement, context: ViewContext): void {
  const path = (rest: string) => companyPath(context.companyId, `/reconciliation${rest}`);
  const from = h('input', { type: 'date', id: 'reconcile-from', name: 'from', required: true, value: day(-6) });
  const to = h('input', { type: 'date', id: 'reconcile-to', name: 'to', required: true, value: day(0) });
  const problem = h('p', { class: 'form-problem', role: 'alert' });
  const resultSlot = h('div', {});
  const range = () => ({ from: from.value, to: to.value });
  let current: ReconciliationReport | undefined;

  const result = section(resultSlot, () => api<ReconciliationReport>('GET', path(`?from=${from.value}&to=${to.value}`)), render);
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Reconcile'),
    h('p', {}, 'Compares Forecast registrations of linked people on linked projects with TimeLog work. Resync sends one side again through the sync; by default the side the conflict rule says wins.'),
    h(
      'form',
      { class: 'inline-form', onsubmit: (event: Event) => (event.preventDefault(), void compare()) },
      h('label', { for: 'reconcile-from' }, 'From'),
      from,
      h('label', { for: 'reconcile-to' }, 'To'),
      to,
      h('button', { type: 'submit' }, 'Compare'),
    ),
    problem,
    resultSlot,
  );

  async function compare() {
    problem.textContent = '';
    current = await result.reload();
    if (current) announce(`${current.differences.length} differences between ${current.from} and ${current.to}.`);
  }

  async function act(request: () => Promise<unknown>, done: string) {
    problem.textContent = '';
    try {
      await request();
      announce(done);
      await result.reload({ quiet: true });
    } catch (error) {
      problem.textContent = messageOf(error);
    }
  }

  const resync = (difference: Difference, side: Difference['winner']) =>
    act(() => api('POST', path(`/differences/${encodeURIComponent(difference.id)}/resync`), { ...range(), side }), `Resync of ${KIND_TITLES[difference.kind].toLowerCase()} requested from ${SIDE_TITLES[side]}.`);

  function render(report: ReconciliationReport): Node {
    const counts = h(
      'dl',
      { class: 'facts', id: 'reconcile-counts' },
      ...Object.entries(report.counts).flatMap(([kind, count]) => [h('dt', {}, KIND_TITLES[kind as Difference['kind']]), h('dd', { 'data-kind': kind }, String(count))]),
    );
    if (report.differences.length === 0) return h('div', {}, counts, emptyState(`Forecast and TimeLog agree from ${report.from} to ${report.to}.`));
    const version = (entry: Difference['forecast']) => (entry ? `${entry.date} · ${entry.minutes} min · "${entry.note}" (${entry.who}, ${entry.where})` : '—');
    return h(
      'div',
      {},
      counts,
      h('button', { type: 'button', id: 'resync-all', requires: 'editor', onclick: () => void act(() => api('POST', path('/resync-all'), range()), 'Resync of every difference requested.') }, 'Resync all'),
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Differences'),
        h('thead', {}, h('tr', {}, ...['Difference', 'Forecast', 'TimeLog', 'Winner', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))),
        h(
          'tbody',
          {},
          report.differences.map((difference) =>
            h(
              'tr',
              { 'data-difference-id': difference.id, 'data-kind': difference.kind },
              h('th', { scope: 'row' }, KIND_TITLES[difference.kind], h('span', { class: 'secondary' }, difference.reason)),
              h('td', {}, version(difference.forecast)),
              h('td', {}, version(difference.timelog)),
              h('td', {}, SIDE_TITLES[difference.winner]),
              h(
                'td',
                {},
                h('button', { type: 'button', class: 'resync', requires: 'editor', 'data-focus-key': `resync-${difference.id}`, onclick: () => void resync(difference, difference.winner) }, `Resync from ${SIDE_TITLES[difference.winner]}`),
                difference.kind === 'duplicate'
                  ? ''
                  : h('button', { type: 'button', class: 'link resync-other', requires: 'editor', onclick: () => void resync(difference, difference.winner === 'forecast' ? 'timelog' : 'forecast') }, `Use ${SIDE_TITLES[difference.winner === 'forecast' ? 'timelog' : 'forecast']} instead`),
              ),
            ),
          ),
        ),
      ),
    );
  }
}
