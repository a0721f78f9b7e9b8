import { api, companyPath, UNAUTHORIZED_EVENT } from './api.mjs';
import type { CompanyView } from './api-types.mjs';
import { h } from './dom.mjs';
import { chooseCompany, currentRole, currentSession, endSession, loadSession } from './session.mjs';
import type { View } from './view.mjs';
import { renderActivityLog } from './views/activity-log.mjs';
import { renderCompanies } from './views/companies.mjs';
import { renderIntegration } from './views/integration.mjs';
import { renderPeople } from './views/people.mjs';
import { renderProjects } from './views/projects.mjs';
import { renderReconcile } from './views/reconcile.mjs';
import { renderSettingsChanges } from './views/settings-changes.mjs';
import { renderSignIn } from './views/sign-in.mjs';
import { renderSyncStatus } from './views/sync-status.mjs';

/** The company screens, in the order of the seed article's steps. */
const COMPANY_SCREENS: Record<string, { title: string; view: View }> = {
  integration: { title: 'Integration', view: renderIntegration },
  people: { title: 'People', view: renderPeople },
  projects: { title: 'Projects', view: renderProjects },
  status: { title: 'Sync status', view: renderSyncStatus },
  activity: { title: 'Activity log', view: renderActivityLog },
  reconcile: { title: 'Reconcile', view: renderReconcile },
  changes: { title: 'Who changed what', view: renderSettingsChanges },
};

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const companyBadge = document.getElementById('company')!;
const banner = document.getElementById('banner')!;

/** When the company's sync is stopped: the cause and the fix, on every screen. */
function showBanner(company: CompanyView | undefined) {
  const problems = company?.problems ?? [];
  banner.hidden = problems.length === 0;
  banner.replaceChildren(...problems.map((problem) => h('p', {}, h('strong', {}, `${problem.headline}: ${problem.cause}. `), problem.fix, h('span', { class: 'secondary' }, ` (${problem.reason})`))));
}
let leaving = new AbortController();
let signInNotice: string | null = null;
let badgeCompanyId: string | null = null;

const routeOf = () => location.hash.replace(/^#\/?/, '').split('?')[0] || 'status';
const navigate = (route: string) => {
  if (routeOf() === route) show();
  else location.hash = `#/${route}`;
};

async function refreshCompany(): Promise<CompanyView | undefined> {
  const companyId = currentSession()?.companyId;
  if (!companyId) return undefined;
  try {
    const company = await api<CompanyView>('GET', companyPath(companyId));
    companyBadge.replaceChildren(h('span', {}, company.name), ' ', h('span', { class: `badge ${company.status}` }, company.status === 'active' ? 'Active' : 'Not active'));
    showBanner(company);
    return company;
  } catch {
    companyBadge.textContent = companyId; // the screen itself shows the error and a retry
    return undefined;
  }
}

function renderNav(route: string) {
  const session = currentSession();
  const link = (target: string, title: string) => h('a', { href: `#/${target}`, 'aria-current': route === target ? 'page' : undefined }, title);
  const items = [
    session && (session.operator || session.companies.length > 1) ? link('companies', 'Companies') : null,
    ...(session?.companyId ? Object.entries(COMPANY_SCREENS).map(([target, screen]) => link(target, screen.title)) : []),
  ].filter((item): item is HTMLAnchorElement => item !== null);
  nav.replaceChildren(
    ...(session
      ? [
          h('ul', {}, items.map((item) => h('li', {}, item))),
          h('span', { class: 'signed-in-as' }, `${session.name ?? session.email}${currentRole() ? ` (${currentRole()})` : ''}`),
          h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, 'Sign out'),
        ]
      : []),
  );
}

async function signOut(notice?: string) {
  await endSession();
  signInNotice = notice ?? null;
  companyBadge.textContent = '';
  badgeCompanyId = null;
  navigate('sign-in');
}

/** Where a request for `route` lands: sign-in without a session, the company list for an operator who has not picked one. */
function resolveRoute(route: string): string {
  const session = currentSession();
  if (!session) return 'sign-in';
  const home = session.companyId ? 'status' : 'companies';
  if (route === 'companies') return route;
  return COMPANY_SCREENS[route] && session.companyId ? route : home;
}

function show() {
  leaving.abort();
  leaving = new AbortController();
  // A link to a company's screen (#/people?company=acme) opens that company; the API refuses it (403) without a role there.
  const linkedCompany = new URLSearchParams(location.hash.split('?')[1] ?? '').get('company');
  if (linkedCompany && currentSession()) chooseCompany(linkedCompany);
  const route = resolveRoute(routeOf());
  if (route !== routeOf()) history.replaceState(null, '', `#/${route}`);
  const session = currentSession();
  renderNav(route);
  // Every screen change re-reads the company, so the banner follows its health (and a timer while one screen stays open).
  badgeCompanyId = session?.companyId ?? null;
  if (badgeCompanyId) void refreshCompany();
  else showBanner(undefined);
  const screen = COMPANY_SCREENS[route];
  document.title = `${screen?.title ?? (route === 'companies' ? 'Companies' : 'Sign in')} · TimeLog sync admin`;
  if (route === 'sign-in') {
    renderSignIn(main, signInNotice);
    signInNotice = null;
  } else if (route === 'companies' || !session?.companyId) {
    renderCompanies(main, navigate);
  } else {
    screen.view(main, { signal: leaving.signal, companyId: session.companyId, navigate, refreshCompany });
  }
  // Moving focus to the new heading tells screen readers the page changed, and Tab starts from the content.
  document.getElementById('page-title')?.focus();
}

window.addEventListener('hashchange', show);
setInterval(() => badgeCompanyId && void refreshCompany(), 15_000);
window.addEventListener(UNAUTHORIZED_EVENT, () => void signOut('Your session ended. Sign in again.'));
// A refused sign-in comes back as #/sign-in?problem=… (from the server's callback).
signInNotice = new URLSearchParams(location.hash.split('?')[1] ?? '').get('problem');
void loadSession().then(show, show);
