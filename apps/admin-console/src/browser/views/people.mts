import { api, apiPage, companyPath } from '../api.mjs';
import type { ParkedItem, People, Person } from '../api-types.mjs';
import { announce, confirmAction, h } from '../dom.mjs';
import { mayDo } from '../session.mjs';
import { itemLabel, outcomeOf } from '../items.mjs';
import type { ViewContext } from '../view.mjs';
import { searchForm } from '../forms.mjs';
import { emptyState, every, messageOf, pagedSection, pageQuery } from '../view-state.mjs';

const WATCH_INTERVAL_MS = 2000;
const waitingFor = (person: Person) => `user:${person.forecastPersonId}`;

/** The article's step: every Forecast person with a TimeLog dropdown; suggestions are pre-selected but saved only on "Link". */
export function renderPeople(main: HTMLElement, context: ViewContext): void {
  const onlyUnlinked = h('input', { type: 'checkbox', id: 'only-unlinked', onchange: () => applyFilter() });
  const totals = h('p', { role: 'status', id: 'parked-total' });
  const list = h('div', {});
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'People'),
    h('p', {}, 'Link each Forecast person to their TimeLog user. A suggestion by e-mail is pre-selected, but nothing is saved until you press Link.'),
    searchForm('Search people', 'Part of a name, an e-mail or TimeLog initials.', (q) => ((search = q), void people.restart())),
    h('div', { class: 'toolbar' }, h('label', { class: 'choice', for: 'only-unlinked' }, onlyUnlinked, ' Show only unlinked people')),
    totals,
    list,
  );

  let waiting = 0;
  function showWaiting() {
    totals.textContent = waiting === 0 ? 'No items are parked because of an unlinked person.' : `${waiting} ${waiting === 1 ? 'item is' : 'items are'} parked because a person is unlinked.`;
  }

  function applyFilter() {
    // Rows linked while the filter is on stay until the next load, so the admin can watch their parked items sync.
    for (const row of list.querySelectorAll<HTMLTableRowElement>('tr[data-linked]')) row.hidden = onlyUnlinked.checked && row.dataset.linked === 'true' && !row.dataset.justLinked;
  }

  let search = '';
  let data: People | undefined;
  let parked: ParkedItem[] = [];
  const people = pagedSection<Person>(
    list,
    'people',
    async (cursor, limit) => {
      const [page, parkedPage] = await Promise.all([
        apiPage<People>(companyPath(context.companyId, `/people?${pageQuery(search, cursor, limit)}`)),
        api<ParkedItem[]>('GET', companyPath(context.companyId, '/parked?limit=500')),
      ]);
      data = page.body;
      parked = parkedPage;
      waiting = page.body.parkedItems;
      showWaiting();
      return { rows: page.body.people, total: page.total, nextCursor: page.nextCursor };
    },
    (rows) => {
      if (rows.length === 0) return emptyState(search ? 'Nobody matches this search.' : 'Forecast has no people for this company yet.');
      const table = h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Forecast people and their TimeLog users'),
        h('thead', {}, h('tr', {}, ...['Forecast person', 'TimeLog user', 'Parked items', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, rows.map((person) => personRow(person, data!, parked.filter((item) => item.waitingFor === waitingFor(person))))),
      );
      queueMicrotask(applyFilter);
      return table;
    },
  );
  void people.reload();

  function personRow(person: Person, data: People, parked: ParkedItem[]) {
    const name = person.name || person.email || `Person ${person.forecastPersonId}`;
    const select = h(
      'select',
      { 'aria-label': `TimeLog user for ${name}`, 'data-focus-key': `select-${person.forecastPersonId}`, onchange: () => updateButtons() },
      h('option', { value: '' }, '— Not linked —'),
      data.timelogUsers.map((user) => h('option', { value: user.initials }, `${user.name || user.initials} (${user.initials})${user.isActive ? '' : ' – inactive'}`)),
    );
    select.value = person.link?.timelogInitials ?? person.suggestion?.timelogInitials ?? '';
    const state = h('p', { class: 'hint' }, linkState(person));
    const problem = h('p', { class: 'row-error', role: 'alert' });
    const linkButton = h('button', { type: 'button', class: 'primary', requires: 'editor', onclick: () => void link() }, 'Link');
    const unlinkButton = h('button', { type: 'button', requires: 'editor', onclick: () => void unlink() }, 'Unlink');
    const items = parked.map((item) => ({ item, status: h('span', { class: 'item-status parked' }, `Parked: ${item.reason}`) }));
    const row = h(
      'tr',
      { 'data-linked': String(!!person.link), 'data-person-id': person.forecastPersonId },
      h('th', { scope: 'row' }, name, h('span', { class: 'secondary' }, person.email ?? '')),
      h('td', {}, select, state),
      h(
        'td',
        {},
        items.length === 0
          ? person.parkedItems > 0
            ? `${person.parkedItems} parked`
            : h('span', { class: 'secondary' }, 'None')
          : h('ul', { class: 'items', 'aria-live': 'polite' }, items.map(({ item, status }) => h('li', {}, `${itemLabel(item.key)}: `, status))),
      ),
      h('td', {}, h('div', { class: 'actions' }, linkButton, unlinkButton), problem),
    );
    let current = person.link?.timelogInitials ?? null;

    function updateButtons() {
      linkButton.disabled = !mayDo('editor') || !select.value || select.value === current;
      linkButton.textContent = current ? 'Change link' : 'Link';
      linkButton.setAttribute('aria-label', `${linkButton.textContent} ${name}`);
      unlinkButton.hidden = !current;
      unlinkButton.setAttribute('aria-label', `Unlink ${name}`);
    }
    updateButtons();

    async function link() {
      problem.textContent = '';
      linkButton.disabled = true;
      try {
        const linked = await api<{ timelogInitials: string }>('PUT', companyPath(context.companyId, `/people/${person.forecastPersonId}/link`), { timelogInitials: select.value });
        current = linked.timelogInitials;
        row.dataset.linked = 'true';
        row.dataset.justLinked = 'true';
        state.textContent = `Linked to ${linked.timelogInitials}`;
        announce(`${name} is linked to TimeLog user ${linked.timelogInitials}.${items.length ? ' Parked items will sync now.' : ''}`);
        if (items.length) watchParked();
      } catch (error) {
        problem.textContent = messageOf(error);
      } finally {
        updateButtons();
      }
    }

    async function unlink() {
      if (!(await confirmAction(`Unlink ${name} from TimeLog user ${current}? Their new registrations are parked until they are linked again.`, 'Unlink'))) return;
      problem.textContent = '';
      try {
        await api('DELETE', companyPath(context.companyId, `/people/${person.forecastPersonId}/link`));
        announce(`${name} is no longer linked.`);
        await people.reload({ quiet: true });
      } catch (error) {
        problem.textContent = messageOf(error);
      }
    }

    /** Follows this person's parked items on screen until each has synced (or the admin leaves). */
    function watchParked() {
      let pending = items.slice();
      every(WATCH_INTERVAL_MS, context.signal, async () => {
        const stillParked = await api<ParkedItem[]>('GET', companyPath(context.companyId, '/parked'));
        for (const entry of pending) {
          const outcome = await outcomeOf(context.companyId, entry.item, stillParked);
          if (outcome.state === 'parked') continue;
          entry.status.textContent = outcome.text;
          entry.status.className = `item-status ${outcome.state}`;
          pending = pending.filter((candidate) => candidate !== entry);
          waiting = Math.max(0, waiting - 1);
          showWaiting();
          announce(`${itemLabel(entry.item.key)} of ${name}: ${outcome.text}.`);
        }
        return pending.length === 0 ? 'done' : undefined;
      });
    }
    return row;
  }
}

function linkState(person: Person): string {
  if (person.link) return `Linked to ${person.link.timelogInitials}`;
  if (person.suggestion) return `Suggested (${person.suggestion.reason}), not saved yet`;
  return 'Not linked';
}
