import { h } from '../dom.mjs';

/**
 * Sign-in goes through the company's identity provider (OpenID Connect): the button leaves the console and comes
 * back signed in. The admin key is a machine credential of the admin API and is not accepted here.
 */
export function renderSignIn(main: HTMLElement, notice: string | null): void {
  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Sign in'),
    h('p', {}, 'Manage how your company’s Forecast and TimeLog stay in sync.'),
    h('div', { class: 'form-problem', role: 'alert' }, notice ?? ''),
    h('p', {}, h('a', { class: 'button primary', href: `/auth/sign-in?returnTo=${encodeURIComponent('/#/status')}` }, 'Sign in with your company account')),
    h('p', { class: 'hint' }, 'You need a role in your company (owner, editor or viewer); your operator or your company’s owner grants it.'),
  );
}
