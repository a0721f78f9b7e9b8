import { api } from '../api.mjs';
import type { CompanyView } from '../api-types.mjs';
import { formatTime, h } from '../dom.mjs';
import { currentSession, saveSession } from '../session.mjs';
import { emptyState, section } from '../view-state.mjs';

/** The operator's view across companies: pick one to see its screens. */
export function renderCompanies(main: HTMLElement, navigate: (route: string) => void): void {
  const open = (company: CompanyView) => {
    const session = currentSession();
    if (session?.role !== 'operator') return;
    saveSession({ ...session, companyId: company.id });
    navigate('status');
  };
  const list = h('div', {});
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: '-1' }, 'Companies'), h('p', {}, 'Every company the sync serves. Open one to see its integration and sync status.'), list);
  void section(list, () => api<CompanyView[]>('GET', '/operator/companies'), (companies) =>
    companies.length === 0
      ? emptyState('No companies yet. Create one with POST /operator/companies (see the README).')
      : h(
          'table',
          {},
          h('caption', { class: 'visually-hidden' }, 'Companies'),
          h('thead', {}, h('tr', {}, ...['Company', 'ID', 'Integration', 'Health', 'Activated', ''].map((title) => h('th', { scope: 'col' }, title)))),
          h(
            'tbody',
            {},
            companies.map((company) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, company.name),
                h('td', {}, company.id),
                h('td', {}, h('span', { class: `badge ${company.status}` }, company.status === 'active' ? 'Active' : 'Not active')),
                h('td', {}, company.health === 'ok' ? 'OK' : `${company.health}${company.healthReason ? `: ${company.healthReason}` : ''}`),
                h('td', {}, formatTime(company.activatedAt)),
                h('td', {}, h('button', { type: 'button', 'aria-label': `Open ${company.name}`, onclick: () => open(company) }, 'Open')),
              ),
            ),
          ),
        ),
  ).reload();
}
