import { api, apiPage, companyPath } from '../api.mjs';
import type { CompanyView, PauseView, ProjectRow, Projects } from '../api-types.mjs';
import { announce, confirmAction, h } from '../dom.mjs';
import { mayDo } from '../session.mjs';
import type { ViewContext } from '../view.mjs';
import { searchForm } from '../forms.mjs';
import { emptyState, messageOf, pagedSection, pageQuery } from '../view-state.mjs';

const today = () => new Date().toISOString().slice(0, 10);

/** Forecast projects beside TimeLog projects; linking starts a backfill from the "sync from" date. */
export function renderProjects(main: HTMLElement, context: ViewContext): void {
  const list = h('div', {});
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Projects'),
    h('p', {}, 'Link a Forecast project to its TimeLog project. Registrations from the “sync from” date on are copied over when you link.'),
    searchForm('Search projects', 'Part of a project’s name, or its Forecast id.', (q) => ((search = q), void projects.restart())),
    list,
  );
  let search = '';
  let loaded: { data: Projects; company: CompanyView; pauses: PauseView[] } | undefined;
  const projects = pagedSection<ProjectRow>(
    list,
    'projects',
    async (cursor, limit) => {
      const [page, company, pauses] = await Promise.all([
        apiPage<Projects>(companyPath(context.companyId, `/projects?${pageQuery(search, cursor, limit)}`)),
        api<CompanyView>('GET', companyPath(context.companyId)),
        api<PauseView[]>('GET', companyPath(context.companyId, '/pauses')),
      ]);
      loaded = { data: page.body, company, pauses };
      return { rows: page.body.projects, total: page.total, nextCursor: page.nextCursor };
    },
    (rows) => {
      if (rows.length === 0) return emptyState(search ? 'No project matches this search.' : 'Forecast has no projects for this company yet.');
      const { data, company, pauses } = loaded!;
      return h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, 'Forecast projects and their TimeLog projects'),
        h('thead', {}, h('tr', {}, ...['Forecast project', 'TimeLog project', 'Sync from', 'Actions', 'Sync'].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, rows.map((project) => projectRow(project, data, company.syncFrom ?? today(), pauses.find((pause) => pause.forecastProjectId === project.forecastProjectId)))),
      );
    },
  );
  void projects.reload();

  function projectRow(project: ProjectRow, data: Projects, defaultSyncFrom: string, pause: PauseView | undefined) {
    const select = h(
      'select',
      { 'aria-label': `TimeLog project for ${project.name}`, onchange: () => updateButtons() },
      h('option', { value: '' }, '— Not linked —'),
      data.timelogProjects.map((candidate) => h('option', { value: candidate.projectId }, `${candidate.name} (${candidate.no})${candidate.isActive ? '' : ' – inactive'}`)),
    );
    select.value = String(project.link?.timelogProjectId ?? project.suggestion?.timelogProjectId ?? '');
    const syncFrom = h('input', { type: 'date', 'aria-label': `Sync ${project.name} from`, value: project.link?.syncFrom ?? defaultSyncFrom, onchange: () => updateButtons() });
    const state = h('p', { class: 'hint' }, project.link ? 'Linked' : project.suggestion ? `Suggested (${project.suggestion.reason}), not saved yet` : 'Not linked');
    const problem = h('p', { class: 'row-error', role: 'alert' });
    const linkButton = h('button', { type: 'button', class: 'primary', requires: 'editor', onclick: () => void link() }, 'Link');
    const unlinkButton = h('button', { type: 'button', requires: 'editor', 'aria-label': `Unlink ${project.name}`, onclick: () => void unlink() }, 'Unlink');
    let current = project.link ? { timelogProjectId: String(project.link.timelogProjectId), syncFrom: project.link.syncFrom } : null;

    function updateButtons() {
      const unchanged = current && current.timelogProjectId === select.value && current.syncFrom === syncFrom.value;
      linkButton.disabled = !mayDo('editor') || !select.value || !syncFrom.value || !!unchanged;
      linkButton.textContent = current ? 'Save link' : 'Link';
      linkButton.setAttribute('aria-label', `${linkButton.textContent} ${project.name}`);
      unlinkButton.hidden = !current;
    }
    updateButtons();

    async function link() {
      problem.textContent = '';
      linkButton.disabled = true;
      try {
        const linked = await api<{ timelogProjectId: number; syncFrom: string }>('PUT', companyPath(context.companyId, `/projects/${project.forecastProjectId}/link`), {
          timelogProjectId: Number(select.value),
          syncFrom: syncFrom.value,
        });
        current = { timelogProjectId: String(linked.timelogProjectId), syncFrom: linked.syncFrom };
        state.textContent = `Linked; syncing from ${linked.syncFrom}`;
        announce(`${project.name} is linked. Registrations from ${linked.syncFrom} on are being copied.`);
      } catch (error) {
        problem.textContent = messageOf(error);
      } finally {
        updateButtons();
      }
    }

    async function unlink() {
      if (!(await confirmAction(`Unlink ${project.name}? Its new tasks and registrations stop syncing; what already synced stays.`, 'Unlink'))) return;
      problem.textContent = '';
      try {
        await api('DELETE', companyPath(context.companyId, `/projects/${project.forecastProjectId}/link`));
        announce(`${project.name} is no longer linked.`);
        await projects.reload({ quiet: true });
      } catch (error) {
        problem.textContent = messageOf(error);
      }
    }

    return h(
      'tr',
      { 'data-project-id': project.forecastProjectId },
      h('th', { scope: 'row' }, project.name),
      h('td', {}, select, state),
      h('td', {}, syncFrom),
      h('td', {}, h('div', { class: 'actions' }, linkButton, unlinkButton), problem),
      h('td', { class: 'sync-pause' }, project.link ? pauseControl(project, pause) : ''),
    );
  }

  /** Pause holds the project's changes on both sides (they wait, counted); resume applies them. */
  function pauseControl(project: ProjectRow, pause: PauseView | undefined) {
    const path = companyPath(context.companyId, `/projects/${project.forecastProjectId}/pause`);
    const toggle = async () => {
      await api(pause ? 'DELETE' : 'PUT', path);
      announce(pause ? `Sync of ${project.name} resumed; waiting changes are applied now.` : `Sync of ${project.name} paused.`);
      await projects.reload({ quiet: true });
    };
    return h(
      'div',
      {},
      h('p', { class: 'pause-state' }, pause ? `Paused: ${pause.waiting} waiting` : 'Running'),
      h('button', { type: 'button', requires: 'editor', 'aria-label': `${pause ? 'Resume' : 'Pause'} sync of ${project.name}`, onclick: () => void toggle() }, pause ? 'Resume' : 'Pause'),
    );
  }
}
