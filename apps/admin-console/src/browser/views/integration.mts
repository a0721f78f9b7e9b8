import { api, ApiError, companyPath } from '../api.mjs';
import type { ActivationRequest, CompanyView } from '../api-types.mjs';
import { announce, confirmAction, formatTime, h } from '../dom.mjs';
import { mayDo } from '../session.mjs';
import { clearFieldErrors, field, fieldValue, showFieldErrors, whileBusy } from '../forms.mjs';
import type { ViewContext } from '../view.mjs';
import { messageOf, section } from '../view-state.mjs';

const SECRET_HINT = 'Saved and never shown again. Enter it to activate with new settings.';

/** Integrations → TimeLog: the article's form plus our Forecast key; every field is checked live before saving. */
export function renderIntegration(main: HTMLElement, context: ViewContext): void {
  const status = h('div', { class: 'panel' });
  const formSlot = h('div', {});
  main.replaceChildren(h('h1', { id: 'page-title', tabindex: '-1' }, 'Integrations → TimeLog'), status, formSlot);
  const statusSection = section(status, () => api<CompanyView>('GET', companyPath(context.companyId)), (company) => {
    formSlot.replaceChildren(activationForm(company), company.status === 'active' ? deactivation(company) : '');
    return statusPanel(company);
  });
  void statusSection.reload();

  const afterChange = async () => {
    await context.refreshCompany();
    await statusSection.reload({ quiet: true });
  };

  function activationForm(company: CompanyView) {
    const active = company.status === 'active';
    const secret = (name: string, label: string) => field({ name, label, type: 'password', autocomplete: 'new-password', hint: active ? SECRET_HINT : undefined });
    const problem = h('div', { class: 'form-problem', role: 'alert' });
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'activation-title', onsubmit: (event: Event) => void submit(event) },
      h('h2', { id: 'activation-title' }, active ? 'TimeLog settings' : 'Connect TimeLog'),
      h('p', {}, 'The values come from TimeLog (Settings → Integrations) and Forecast (Admin → API keys). Everything is checked with TimeLog and Forecast before it is saved.'),
      problem,
      mayDo('owner') ? '' : h('p', { class: 'notice' }, 'Only an owner of this company can change the credentials; you can read them here.'),
      h(
        'fieldset',
        { requires: 'owner' },
        h('legend', {}, 'TimeLog'),
        field({ name: 'timelog.domain', label: 'Domain', type: 'url', value: company.timelogDomain, hint: 'For example https://app4.timelog.com' }),
        field({ name: 'timelog.accountName', label: 'Account Name', value: company.timelogAccountName }),
        field({ name: 'timelog.username', label: 'Username', autocomplete: 'off' }),
        secret('timelog.password', 'Password'),
        field({ name: 'timelog.siteCode', label: 'Site Code' }),
        field({ name: 'timelog.reportingUsername', label: 'Reporting username' }),
        secret('timelog.reportingPassword', 'Reporting password'),
      ),
      h('fieldset', { requires: 'owner' }, h('legend', {}, 'Forecast'), secret('forecast.apiKey', 'Forecast API key')),
      h('fieldset', { requires: 'owner', class: 'plain' }, field({ name: 'syncFrom', label: 'Sync from', type: 'date', optional: true, value: company.syncFrom, hint: 'Registrations from this day on are synced; earlier ones are left alone.' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', requires: 'owner' }, 'Activate TimeLog')),
    );

    async function submit(event: Event) {
      event.preventDefault();
      clearFieldErrors(form);
      problem.textContent = '';
      const value = (name: string) => fieldValue(form, name).trim();
      const body: ActivationRequest = {
        timelog: {
          domain: value('timelog.domain'),
          accountName: value('timelog.accountName'),
          username: value('timelog.username'),
          password: value('timelog.password'),
          siteCode: value('timelog.siteCode'),
          reportingUsername: value('timelog.reportingUsername'),
          reportingPassword: value('timelog.reportingPassword'),
        },
        forecast: { apiKey: value('forecast.apiKey') },
        ...(value('syncFrom') ? { syncFrom: value('syncFrom') } : {}),
      };
      try {
        const result = await whileBusy(form, 'Checking with TimeLog and Forecast…', () =>
          api<{ status: string; webhookSubscriptions: number }>('PUT', companyPath(context.companyId, '/activation'), body),
        );
        await afterChange();
        document.getElementById('integration-status')?.focus();
        announce(`TimeLog is active. Forecast sends changes through ${result.webhookSubscriptions} webhook subscriptions.`);
      } catch (error) {
        if (error instanceof ApiError && Object.keys(error.fields).length) {
          const count = Object.keys(error.fields).length;
          problem.textContent = `${count === 1 ? 'One field was' : `${count} fields were`} refused. Correct ${count === 1 ? 'it' : 'them'} and activate again.`;
          const unplaced = showFieldErrors(form, error.fields);
          if (unplaced.length) problem.textContent += ` ${unplaced.join(' ')}`;
        } else {
          problem.textContent = messageOf(error);
        }
      }
    }
    return form;
  }

  function deactivation(company: CompanyView) {
    const problem = h('p', { class: 'form-problem', role: 'alert' });
    const deactivate = async (event: Event) => {
      const button = event.currentTarget as HTMLButtonElement;
      const confirmed = await confirmAction(`Deactivate TimeLog for ${company.name}? Sync stops and Forecast webhooks are removed; links and history stay.`, 'Deactivate');
      if (!confirmed) return;
      button.disabled = true;
      try {
        await api('DELETE', companyPath(context.companyId, '/activation'));
        await afterChange();
        document.getElementById('integration-status')?.focus();
        announce('TimeLog deactivated. Nothing syncs until you activate again.');
      } catch (error) {
        button.disabled = false;
        problem.textContent = messageOf(error);
      }
    };
    return h(
      'section',
      { class: 'panel danger-zone', 'aria-labelledby': 'deactivate-title' },
      h('h2', { id: 'deactivate-title' }, 'Deactivate'),
      h('p', {}, 'Stops all sync for this company. You can activate again later.'),
      problem,
      h('button', { type: 'button', class: 'danger', requires: 'owner', onclick: (event: Event) => void deactivate(event) }, 'Deactivate TimeLog'),
    );
  }
}

function statusPanel(company: CompanyView) {
  const active = company.status === 'active';
  return h(
    'div',
    { id: 'integration-status', tabindex: '-1' },
    h('p', {}, 'TimeLog integration: ', h('strong', { class: `badge ${company.status}` }, active ? 'Active' : 'Not active')),
    active
      ? h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Domain'), h('dd', {}, company.timelogDomain ?? '—'),
          h('dt', {}, 'Account Name'), h('dd', {}, company.timelogAccountName ?? '—'),
          h('dt', {}, 'Active since'), h('dd', {}, formatTime(company.activatedAt)),
          h('dt', {}, 'Syncing from'), h('dd', {}, company.syncFrom ?? '—'),
          h('dt', {}, 'Health'), h('dd', {}, company.health === 'ok' ? 'OK' : `${company.health}: ${company.healthReason ?? ''}`),
        )
      : h('p', {}, 'Fill in the form and press “Activate TimeLog”. Nothing syncs until then.'),
  );
}
