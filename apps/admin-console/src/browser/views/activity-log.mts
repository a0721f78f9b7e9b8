import { api, apiPage, companyPath } from '../api.mjs';
import type { ActivityEntry } from '../api-types.mjs';
import { announce, formatTime, h } from '../dom.mjs';
import { clearFieldErrors, field, fieldValue, showFieldErrors } from '../forms.mjs';
import { actionLabel, kindLabel } from '../items.mjs';
import type { ViewContext } from '../view.mjs';
import { emptyState, messageOf, pagedSection, pageQuery } from '../view-state.mjs';

/** What can be resynced by id, and the admin API path of each. */
const RESYNC_KINDS = {
  registration: { label: 'Forecast time registration', path: (id: string) => `/registrations/${id}/resync`, valid: /^[1-9]\d{0,15}$/, hint: 'A whole number, such as 4711.' },
  work: { label: 'TimeLog work (GUID)', path: (id: string) => `/works/${encodeURIComponent(id)}/resync`, valid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, hint: 'A GUID, such as 5ca63e4e-0000-4000-8000-000000000001.' },
  task: { label: 'Forecast task', path: (id: string) => `/tasks/${id}/resync`, valid: /^[1-9]\d{0,15}$/, hint: 'A whole number, such as 4711.' },
} as const;
type ResyncKind = keyof typeof RESYNC_KINDS;

const DIRECTIONS: Record<string, string> = { 'forecast-to-timelog': 'Forecast → TimeLog', 'timelog-to-forecast': 'TimeLog → Forecast' };

/** The audit rows, newest first, searchable by Forecast or TimeLog id; conflicts show both versions. */
export function renderActivityLog(main: HTMLElement, context: ViewContext): void {
  let query = '';
  let text = '';
  const results = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'aria-label': 'Search the activity log', class: 'search', onsubmit: (event: Event) => search(event) },
    field({ name: 'forecastId', label: 'Forecast id', optional: true, inputmode: 'numeric', hint: 'A task or time registration id.' }),
    field({ name: 'timelogRef', label: 'TimeLog id', optional: true, hint: 'A work GUID or a task id.' }),
    field({ name: 'q', label: 'Text', optional: true, hint: 'Part of an action or reason, such as “resync”.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Search'), h('button', { type: 'button', onclick: () => (form.reset(), search()) }, 'Clear')),
  );
  const resyncOutcome = h('p', { id: 'resync-outcome', role: 'status' });
  const kindSelect = h('select', { id: 'resync-kind', name: 'kind' }, ...Object.entries(RESYNC_KINDS).map(([kind, { label }]) => h('option', { value: kind }, label)));
  const resyncForm = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'resync-title', onsubmit: (event: Event) => (event.preventDefault(), void resyncById()) },
    h(
      'fieldset',
      { requires: 'editor', class: 'search plain' },
      h('div', { class: 'field' }, h('label', { for: 'resync-kind' }, 'Item'), kindSelect),
      field({ name: 'resyncId', label: 'Id', hint: 'A registration or task id, or a work GUID.' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Resync')),
    ),
  );
  const resyncSection = h(
    'section',
    { 'aria-labelledby': 'resync-title' },
    h('h2', { id: 'resync-title' }, 'Resync by id'),
    h('p', {}, 'Compares one item on both sides and sends the winning version through the sync again.'),
    resyncForm,
    resyncOutcome,
  );
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: '-1' }, 'Activity log'), h('p', {}, 'Everything the sync did for this company, newest first.'), form, resyncSection, results);
  const log = pagedSection(
    results,
    'entries',
    async (cursor, limit) => {
      const page = await apiPage<ActivityEntry[]>(companyPath(context.companyId, `/activity?${pageQuery(text, cursor, limit)}${query}`));
      return { rows: page.body, total: page.total, nextCursor: page.nextCursor };
    },
    (entries) => activityTable(entries, query !== '' || text !== '', resync),
  );
  void log.reload();

  function resyncById() {
    clearFieldErrors(resyncForm);
    const kind = kindSelect.value as ResyncKind;
    const id = fieldValue(resyncForm, 'resyncId').trim();
    if (!RESYNC_KINDS[kind].valid.test(id)) return void showFieldErrors(resyncForm, { resyncId: RESYNC_KINDS[kind].hint });
    void resync(kind, id);
  }

  async function resync(kind: ResyncKind, id: string) {
    resyncOutcome.textContent = '';
    try {
      const { summary } = await api<{ summary: string }>('POST', companyPath(context.companyId, RESYNC_KINDS[kind].path(id)));
      resyncOutcome.textContent = `${RESYNC_KINDS[kind].label} ${id}: ${summary}.`;
      announce(resyncOutcome.textContent);
      await log.reload({ quiet: true });
    } catch (error) {
      resyncOutcome.textContent = `${RESYNC_KINDS[kind].label} ${id} was not resynced: ${messageOf(error)}`;
    }
  }

  function search(event?: Event) {
    event?.preventDefault();
    clearFieldErrors(form);
    const forecastId = fieldValue(form, 'forecastId').trim();
    const timelogRef = fieldValue(form, 'timelogRef').trim();
    if (forecastId && !/^[1-9]\d*$/.test(forecastId)) return void showFieldErrors(form, { forecastId: 'A Forecast id is a whole number, such as 4711.' });
    query = `${forecastId ? `&forecastId=${forecastId}` : ''}${timelogRef ? `&timelogRef=${encodeURIComponent(timelogRef)}` : ''}`;
    text = fieldValue(form, 'q').trim();
    void log.restart();
  }
}

/** The item an activity row is about, as resync addresses it. */
function resyncTarget(entry: ActivityEntry): { kind: ResyncKind; id: string } | null {
  if (entry.entityKind === 'task' && entry.forecastId !== null) return { kind: 'task', id: String(entry.forecastId) };
  if (entry.entityKind !== 'time-registration') return null;
  if (entry.forecastId !== null) return { kind: 'registration', id: String(entry.forecastId) };
  return entry.timelogRef ? { kind: 'work', id: entry.timelogRef } : null;
}

function activityTable(entries: ActivityEntry[], filtered: boolean, resync: (kind: ResyncKind, id: string) => Promise<void>) {
  if (entries.length === 0) return emptyState(filtered ? 'Nothing matches this search. Check the id, or clear the search to see all activity.' : 'No activity yet. It appears here as soon as something syncs.');
  return h(
    'table',
    { class: 'activity' },
    h('caption', { class: 'visually-hidden' }, 'Activity'),
    h('thead', {}, h('tr', {}, ...['When', 'Direction', 'Item', 'Forecast id', 'TimeLog id', 'Action', 'Reason', 'Versions', 'Act'].map((title) => h('th', { scope: 'col' }, title)))),
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
          h('td', {}, resyncButton(entry, resync)),
        ),
      ),
    ),
  );
}

function resyncButton(entry: ActivityEntry, resync: (kind: ResyncKind, id: string) => Promise<void>) {
  const target = resyncTarget(entry);
  if (!target) return '';
  return h('button', { type: 'button', requires: 'editor', 'aria-label': `Resync ${RESYNC_KINDS[target.kind].label} ${target.id}`, onclick: () => void resync(target.kind, target.id) }, 'Resync');
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
