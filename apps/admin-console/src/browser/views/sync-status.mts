import { api, apiPage, companyPath } from '../api.mjs';
import type { DeadLetterEntry, ParkedItem, SyncSummary } from '../api-types.mjs';
import { announce, formatTime, h } from '../dom.mjs';
import { itemLabel } from '../items.mjs';
import type { ViewContext } from '../view.mjs';
import { searchForm } from '../forms.mjs';
import { emptyState, every, ListPage, messageOf, pagedSection, pageQuery, section } from '../view-state.mjs';

const REFRESH_MS = 3000;

const table = (caption: string, columns: string[], rows: Node[]) =>
  h('table', {}, h('caption', { class: 'visually-hidden' }, caption), h('thead', {}, h('tr', {}, ...columns.map((title) => h('th', { scope: 'col' }, title)))), h('tbody', {}, rows));

/** One company's pipeline at a glance, refreshed while the screen is open; parked items and dead letters with their buttons. */
export function renderSyncStatus(main: HTMLElement, context: ViewContext): void {
  const path = (rest: string) => companyPath(context.companyId, rest);
  const summarySlot = h('div', {});
  const parkedSlot = h('div', {});
  const deadLetterSlot = h('div', {});
  const problem = h('p', { class: 'form-problem', role: 'alert' });
  const retryButton = h('button', { type: 'button', requires: 'editor', onclick: () => void retryParked() }, 'Retry parked items now');
  const pollButton = h('button', { type: 'button', requires: 'editor', onclick: () => void pollNow() }, 'Poll TimeLog now');
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Sync status'),
    h('p', { class: 'secondary' }, 'Updates by itself every few seconds.'),
    problem,
    h('section', { 'aria-labelledby': 'summary-title' }, h('h2', { id: 'summary-title' }, 'Overview'), pollButton, summarySlot),
    h(
      'section',
      { 'aria-labelledby': 'parked-title' },
      h('h2', { id: 'parked-title' }, 'Parked items'),
      h('p', {}, 'Items that wait for something the admin can fix, such as a link.'),
      retryButton,
      searchForm('Search parked items', 'Part of the item or the reason, such as “time-registration:4711” or “closed”.', (q) => ((parkedSearch = q), void parked.restart())),
      parkedSlot,
    ),
    h(
      'section',
      { 'aria-labelledby': 'dlq-title' },
      h('h2', { id: 'dlq-title' }, 'Dead letters'),
      h('p', {}, 'Messages the sync could not process. Replay one after fixing its cause.'),
      searchForm('Search dead letters', 'Part of the message key or the cause.', (q) => ((deadLetterSearch = q), void deadLetters.restart())),
      deadLetterSlot,
    ),
  );

  let parkedSearch = '';
  let deadLetterSearch = '';
  const pageOf = async <T,>(list: string, q: string, cursor: string | null, limit: number): Promise<ListPage<T>> => {
    const page = await apiPage<T[]>(path(`/${list}?${pageQuery(q, cursor, limit)}`));
    return { rows: page.body, total: page.total, nextCursor: page.nextCursor };
  };
  const parked = pagedSection(parkedSlot, 'parked items', (cursor, limit) => pageOf<ParkedItem>('parked', parkedSearch, cursor, limit), (items) => parkedTable(items, retryOne, parkedSearch !== ''));
  const deadLetters = pagedSection(deadLetterSlot, 'dead letters', (cursor, limit) => pageOf<DeadLetterEntry>('dead-letters', deadLetterSearch, cursor, limit), (entries) => deadLetterTable(entries, deadLetterSearch !== ''));
  const sections = [section(summarySlot, () => api<SyncSummary>('GET', path('/sync-summary')), summary), parked, deadLetters];
  const refresh = (quiet: boolean) => Promise.all(sections.map((part) => part.reload({ quiet }))).then(() => undefined);
  void refresh(false);
  every(REFRESH_MS, context.signal, () => refresh(true));

  async function retryParked() {
    problem.textContent = '';
    retryButton.disabled = true;
    try {
      await api('POST', path('/parked/retry'));
      announce('Retry requested. Items that can sync now will leave this list.');
      await refresh(true);
    } catch (error) {
      problem.textContent = messageOf(error);
    } finally {
      retryButton.disabled = false;
    }
  }

  async function pollNow() {
    problem.textContent = '';
    try {
      await api('POST', path('/poll-now'));
      announce('TimeLog is polled now; its changes appear in the activity log.');
    } catch (error) {
      problem.textContent = messageOf(error);
    }
  }

  async function retryOne(item: ParkedItem) {
    problem.textContent = '';
    try {
      await api('POST', path(`/parked/${item.id}/retry`));
      announce(`${itemLabel(item.key)} is tried again; its outcome appears in the activity log.`);
      await refresh(true);
    } catch (error) {
      problem.textContent = messageOf(error);
    }
  }

  async function replay(entry: DeadLetterEntry) {
    problem.textContent = '';
    try {
      await api('POST', path(`/dead-letters/${entry.id}/replay`));
      announce(`Dead letter ${entry.id} replayed.`);
      await refresh(true);
    } catch (error) {
      problem.textContent = messageOf(error);
    }
  }

  function deadLetterTable(entries: DeadLetterEntry[], searched: boolean) {
    if (entries.length === 0) return emptyState(searched ? 'No dead letter matches this search.' : 'No dead letters. Everything the sync received could be processed.');
    return table(
      'Dead letters',
      ['Message', 'Cause', 'Attempts', 'Failed at', 'Status', 'Actions'],
      entries.map((entry) =>
        h(
          'tr',
          { 'data-dead-letter-id': entry.id },
          h('th', { scope: 'row' }, itemLabel(entry.key), h('span', { class: 'secondary' }, entry.topic)),
          h('td', {}, h('strong', {}, entry.causeCode), ': ', entry.cause),
          h('td', {}, entry.attempts),
          h('td', {}, formatTime(entry.failedAt)),
          h('td', { class: 'dead-letter-status' }, entry.replayedAt ? `Replayed ${formatTime(entry.replayedAt)}` : 'Not replayed'),
          h(
            'td',
            {},
            entry.replayedAt
              ? ''
              : h('button', { type: 'button', requires: 'editor', 'data-focus-key': `replay-${entry.id}`, 'aria-label': `Replay dead letter ${entry.id} (${itemLabel(entry.key)})`, onclick: () => void replay(entry) }, 'Replay'),
          ),
        ),
      ),
    );
  }
}

function summary(data: SyncSummary) {
  const fact = (term: string, value: string | number, id: string) => [h('dt', {}, term), h('dd', { id }, String(value))];
  const poll = data.timelogPoll;
  return h(
    'dl',
    { class: 'facts summary' },
    fact('Last TimeLog poll', poll ? formatTime(poll.lastSuccessAt) : 'Not polled yet', 'last-poll'),
    fact('Next TimeLog poll', poll ? formatTime(poll.nextPollAt) : '—', 'next-poll'),
    poll?.lastError ? fact('Last poll error', poll.lastError, 'poll-error') : [],
    fact('Forecast webhooks today', data.webhooks.receivedToday, 'webhooks-today'),
    fact('Last webhook', formatTime(data.webhooks.lastReceivedAt), 'last-webhook'),
    fact('Items synced today', data.syncedToday, 'synced-today'),
    fact('Parked items', data.parkedItems, 'parked-count'),
    fact('Dead letters to replay', data.deadLetters, 'dead-letter-count'),
  );
}

function parkedTable(items: ParkedItem[], retryOne: (item: ParkedItem) => Promise<void>, searched: boolean) {
  if (items.length === 0) return emptyState(searched ? 'No parked item matches this search.' : 'Nothing is parked.');
  return table(
    'Parked items',
    ['Item', 'Reason', 'Waiting for', 'Attempts', 'Parked at', ''],
    items.map((item) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, itemLabel(item.key)),
        h('td', {}, item.reason),
        h('td', {}, waitingForLabel(item.waitingFor)),
        h('td', {}, item.attempts),
        h('td', {}, formatTime(item.parkedAt)),
        h('td', {}, h('button', { type: 'button', requires: 'editor', 'aria-label': `Retry ${itemLabel(item.key)}`, onclick: () => void retryOne(item) }, 'Retry')),
      ),
    ),
  );
}

function waitingForLabel(waitingFor: string | null): string {
  const [kind, id] = (waitingFor ?? '').split(':');
  if (kind === 'user') return `Link for Forecast person ${id} (People)`;
  if (kind === 'task') return `Forecast task ${id} to sync first`;
  if (kind === 'company') return 'The company to be reachable again';
  if (kind === 'pause') return id === 'company' ? 'The company’s sync to be resumed' : `Its project’s sync to be resumed (Projects)`;
  return waitingFor ?? 'A retry';
}
