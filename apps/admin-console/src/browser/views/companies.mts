import { formatTime, h } from '../dom.mjs';
import { chooseCompany, currentSession } from '../session.mjs';
import { emptyState } from '../view-state.mjs';

const ROLE_TITLES = { viewer: 'Viewer', editor: 'Editor', owner: 'Owner', operator: 'Operator' } as const;

/** The companies the signed-in person may open (all of them for an operator): pick one to see its screens. */
export function renderCompanies(main: HTMLElement, navigate: (route: string) => void): void {
  const companies = currentSession()?.companies ?? [];
  const open = (companyId: string) => {
    chooseCompany(companyId);
    navigate('status');
  };
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Companies'),
    h('p', {}, 'The companies you may open, with your role in each.'),
    companies.length === 0
      ? emptyState('No companies yet. Create one with POST /operator/companies (see the README).')
      : h(
          'table',
          {},
          h('caption', { class: 'visually-hidden' }, 'Companies'),
          h('thead', {}, h('tr', {}, ...['Company', 'ID', 'Your role', 'Integration', 'Health', 'Activated', ''].map((title) => h('th', { scope: 'col' }, title)))),
          h(
            'tbody',
            {},
            companies.map((company) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, company.name),
                h('td', {}, company.id),
                h('td', {}, ROLE_TITLES[company.role]),
                h('td', {}, h('span', { class: `badge ${company.status}` }, company.status === 'active' ? 'Active' : 'Not active')),
                h('td', {}, company.health === 'ok' ? 'OK' : `${company.health}${company.healthReason ? `: ${company.healthReason}` : ''}`),
                h('td', {}, formatTime(company.activatedAt)),
                h('td', {}, h('button', { type: 'button', 'aria-label': `Open ${company.name}`, onclick: () => open(company.id) }, 'Open')),
              ),
            ),
          ),
        ),
  );
}
