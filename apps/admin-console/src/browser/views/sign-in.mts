import { ApiError, companyPath, request } from '../api.mjs';
import type { CompanyView } from '../api-types.mjs';
import { h } from '../dom.mjs';
import { clearFieldErrors, field, fieldValue, showFieldErrors, whileBusy } from '../forms.mjs';
import { saveSession } from '../session.mjs';
import { messageOf } from '../view-state.mjs';

/** Sign-in with a company's admin key, or with the operator token for the view across companies. */
export function renderSignIn(main: HTMLElement, navigate: (route: string) => void, notice: string | null): void {
  const problem = h('div', { class: 'form-problem', role: 'alert' }, notice ?? '');
  const companyField = field({ name: 'companyId', label: 'Company ID', autocomplete: 'username' });
  const secretField = field({ name: 'secret', label: 'Admin key', type: 'password', autocomplete: 'current-password', hint: 'The key your operator gave you when the company was created.' });
  const role = () => (form.elements.namedItem('role') as RadioNodeList).value as 'admin' | 'operator';
  const onRoleChange = () => {
    const operator = role() === 'operator';
    companyField.hidden = operator;
    companyField.querySelector('input')!.required = !operator;
    secretField.querySelector('label')!.firstChild!.textContent = operator ? 'Operator token' : 'Admin key';
    secretField.querySelector('.hint')!.textContent = operator ? 'For SREs: opens every company.' : 'The key your operator gave you when the company was created.';
  };
  const radio = (value: string, label: string, checked = false) =>
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'role', value, checked, onchange: onRoleChange }), ` ${label}`);

  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'page-title', onsubmit: (event: Event) => void submit(event) },
    problem,
    h('fieldset', {}, h('legend', {}, 'Sign in as'), radio('admin', 'Company admin', true), radio('operator', 'Operator (SRE)')),
    companyField,
    secretField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')),
  );

  async function submit(event: Event) {
    event.preventDefault();
    clearFieldErrors(form);
    problem.textContent = '';
    const companyId = fieldValue(form, 'companyId').trim();
    const secret = fieldValue(form, 'secret').trim();
    const missing = {
      ...(role() === 'admin' && !companyId ? { companyId: 'Enter your company ID' } : {}),
      ...(!secret ? { secret: role() === 'admin' ? 'Enter the admin key' : 'Enter the operator token' } : {}),
    };
    if (Object.keys(missing).length) return void showFieldErrors(form, missing);
    try {
      await whileBusy(form, 'Signing in…', async () => {
        if (role() === 'operator') {
          await request('GET', '/operator/companies', secret);
          saveSession({ role: 'operator', companyId: null, secret });
          navigate('companies');
        } else {
          const company = await request<CompanyView>('GET', companyPath(companyId), secret);
          saveSession({ role: 'admin', companyId, secret });
          navigate(company.status === 'active' ? 'status' : 'integration');
        }
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        showFieldErrors(form, { secret: role() === 'admin' ? `This key does not open company ${companyId}. Check both values.` : 'This is not the operator token.' });
      } else {
        problem.textContent = messageOf(error);
      }
    }
  }

  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Sign in'),
    h('p', {}, 'Manage how your company’s Forecast and TimeLog stay in sync.'),
    form,
  );
}
