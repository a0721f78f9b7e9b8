import { api, companyPath } from '../api.mjs';
import type { ActivityEntry } from '../api-types.mjs';
import { formatTime, h } from '../dom.mjs';
import { clearFieldErrors, field, fieldValue, showFieldErrors } from '../forms.mjs';
import { actionLabel, kindLabel } from '../items.mjs';
import type { ViewContext } from '../view.mjs';
import { emptyState, section } from '../view-state.mjs';

const DIRECTIONS: Record<string, string> = { 'forecast-to-timelog': 'Forecast → TimeLog', 'timelog-to-forecast': 'TimeLog → Forecast' };

/** The audit rows, newest first, searchable by Forecast or TimeLog id; conflicts show both versions. */
export function renderActivityLog(main: HTMLElement, context: ViewContext): void {
  let query = '';
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'aria-label': 'Search the activity log', class: 'search', onsubmit: (event: Event) => search(event) },
    field({ name: 'forecastId', label: 'Forecast id', optional: true, inputmode: 'numeric', hint: 'A task or time registration id.' }),
    field({ name: 'timelogRef', label: 'TimeLog id', optional: true, hint: 'A work GUID or a task id.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Search'), h('button', { type: 'button', onclick: () => (form.reset(), search()) }, 'Clear')),
  );
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: '-1' }, 'Activity log'), h('p', {}, 'Everything the sync did for this company, newest first.'), form, results);
  const log = section(results, () => api<ActivityEntry[]>('GET', companyPath(context.companyId, `/activity?limit=100${query}`)), (entries) => activityTable(entries, query !== ''));
  void log.reload();

  function search(event?: Event) {
    event?.preventDefault();
    clearFieldErrors(form);
    const forecastId = fieldValue(form, 'forecastId').trim();
    const timelogRef = fieldValue(form, 'timelogRef').trim();
    if (forecastId && !/^[1-9]\d*$/.test(forecastId)) return void showFieldErrors(form, { forecastId: 'A Forecast id is a whole number, such as 4711.' });
    query = `${forecastId ? `&forecastId=${forecastId}` : ''}${timelogRef ? `&timelogRef=${encodeURIComponent(timelogRef)}` : ''}`;
    void log.reload();
  }
}

function activityTable(entries: ActivityEntry[], filtered: boolean) {
  if (entries.length === 0) return emptyState(filtered ? 'Nothing matches this search. Check the id, or clear the search to see all activity.' : 'No activity yet. It appears here as soon as something syncs.');
  return h(
    'table',
    { class: 'activity' },
    h('caption', { class: 'visually-hidden' }, 'Activity'),
    h('thead', {}, h('tr', {}, ...['When', 'Direction', 'Item', 'Forecast id', 'TimeLog id', 'Action', 'Reason', 'Versions'].map((title) => h('th', { scope: 'col' }, title)))),
    h(
      'tbody',
      {},
      entries.map((entry) =>
        h(
          'tr',
          { 'data-activity-id': entry.id, 'data-action': entry.action },
          h('td', {}, formatTime(entry.occurredAt)),
          h('td', {}, DIRECTIONS[entry.direction] ?? entry.direction),
          h('td', {}, kindLabel(entry.entityKind)),
          h('td', {}, entry.forecastId ?? '—'),
          h('td', { class: 'mono' }, entry.timelogRef ?? '—'),
          h('th', { scope: 'row' }, actionLabel(entry.action)),
          h('td', {}, entry.reason ?? ''),
          h('td', {}, versions(entry)),
        ),
      ),
    ),
  );
}

/** A conflict's `before` is the losing version and `after` the winner; other rows show what changed. */
function versions(entry: ActivityEntry) {
  if (entry.before == null && entry.after == null) return '';
  const conflict = entry.action === 'conflict-resolved';
  const version = (title: string, value: unknown) => h('div', { class: 'version' }, h('h3', {}, title), h('pre', {}, value == null ? '—' : JSON.stringify(value, null, 2)));
  return h(
    'details',
    { open: conflict },
    h('summary', {}, conflict ? 'Both versions' : 'Details'),
    h('div', { class: 'versions' }, version(conflict ? 'Lost' : 'Before', entry.before), version(conflict ? 'Won' : 'After', entry.after)),
  );
}
