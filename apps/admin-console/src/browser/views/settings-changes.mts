import { api, companyPath } from '../api.mjs';
import type { SettingsChangePage } from '../api-types.mjs';
import { formatTime, h } from '../dom.mjs';
import { field, fieldValue } from '../forms.mjs';
import type { ViewContext } from '../view.mjs';
import { emptyState, section } from '../view-state.mjs';

const SETTING_TITLES: Record<string, string> = {
  activation: 'Activation and credentials',
  'person-link': 'Person link',
  'project-link': 'Project link',
  'parked-retry': 'Parked items retried',
  'dead-letter-replay': 'Dead letter replayed',
  resync: 'Resync',
};
const PAGE_SIZE = 25;

const stateText = (state: unknown) => (state === null || state === undefined ? '—' : Object.entries(state as Record<string, unknown>).map(([key, value]) => `${key}: ${String(value)}`).join(', '));

/** Who changed what: every settings change with the person, time and before/after; filtered and paged by the server. */
export function renderSettingsChanges(main: HTMLElement, context: ViewContext): void {
  let page = 1;
  let query = '';
  const results = h('div', { 'aria-live': 'polite' });
  const settingSelect = h('select', { id: 'changes-setting', name: 'setting' }, h('option', { value: '' }, 'All settings'), Object.entries(SETTING_TITLES).map(([value, title]) => h('option', { value }, title)));
  const form = h(
    'form',
    { novalidate: true, role: 'search', 'aria-label': 'Filter the changes', class: 'search', onsubmit: (event: Event) => filter(event) },
    h('div', { class: 'field' }, h('label', { for: 'changes-setting' }, 'Setting'), settingSelect),
    field({ name: 'actor', label: 'Person', optional: true, hint: 'Part of an e-mail address.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Filter'), h('button', { type: 'button', onclick: () => (form.reset(), filter()) }, 'Clear')),
  );
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: '-1' }, 'Who changed what'), h('p', {}, 'Every change of this company’s settings, newest first. Secrets are never shown.'), form, results);
  const list = section(results, () => api<SettingsChangePage>('GET', companyPath(context.companyId, `/settings-changes?page=${page}&pageSize=${PAGE_SIZE}${query}`)), changesTable);
  void list.reload();

  function filter(event?: Event) {
    event?.preventDefault();
    const actor = fieldValue(form, 'actor').trim();
    query = `${settingSelect.value ? `&setting=${settingSelect.value}` : ''}${actor ? `&actor=${encodeURIComponent(actor)}` : ''}`;
    page = 1;
    void list.reload();
  }

  function changesTable(result: SettingsChangePage) {
    if (result.items.length === 0) return emptyState(query ? 'No change matches this filter.' : 'No settings have been changed yet.');
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const go = (to: number) => {
      page = to;
      void list.reload();
    };
    return h(
      'div',
      {},
      h(
        'table',
        { id: 'settings-changes' },
        h('caption', { class: 'visually-hidden' }, 'Settings changes'),
        h('thead', {}, h('tr', {}, ...['When', 'Who', 'Setting', 'What', 'Before', 'After'].map((title) => h('th', { scope: 'col' }, title)))),
        h(
          'tbody',
          {},
          result.items.map((entry) =>
            h(
              'tr',
              { 'data-setting': entry.setting },
              h('td', {}, formatTime(entry.changedAt)),
              h('td', { class: 'actor' }, entry.actor),
              h('td', {}, SETTING_TITLES[entry.setting] ?? entry.setting),
              h('td', { class: 'summary' }, entry.summary),
              h('td', { class: 'before' }, stateText(entry.before)),
              h('td', { class: 'after' }, stateText(entry.after)),
            ),
          ),
        ),
      ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Pages' },
        h('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, 'Previous'),
        h('span', { id: 'changes-page' }, ` Page ${page} of ${pages} (${result.total} changes) `),
        h('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next'),
      ),
    );
  }
}
