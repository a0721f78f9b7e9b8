import { type CompanyRole, currentRole, mayDo } from './session.mjs';

type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined | ((event: Event) => void);

/**
 * Builds an element. `on*` attributes become listeners, `true` an empty attribute, `false`/null nothing;
 * `value` is set as a property after the children (a select needs its options first). Text is never parsed as HTML.
 * `requires: 'editor'` (or viewer, owner) disables the control (a fieldset: all it holds) for people without that
 * role in the company on screen; the server refuses them anyway, this only shows it.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, AttributeValue> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'requires') {
      if (!mayDo(value as CompanyRole)) {
        element.setAttribute('disabled', '');
        element.setAttribute('title', `Your role (${currentRole() ?? 'none'}) cannot change this; it needs ${String(value)}`);
      }
    } else if (name === 'value' || value === false || value === null || value === undefined) continue;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child): child is Node | string | number => child !== null && child !== undefined && child !== false).map((child) => (typeof child === 'number' ? String(child) : child)));
  if ('value' in attributes && attributes.value !== undefined && attributes.value !== null) (element as unknown as { value: string }).value = String(attributes.value);
  return element;
}

/** Tells screen-reader users about a change that happened away from their focus. */
export function announce(message: string): void {
  const announcer = document.getElementById('announcer');
  if (!announcer) return;
  // Re-setting the same text is not announced again; clearing first makes every call heard.
  announcer.textContent = '';
  requestAnimationFrame(() => (announcer.textContent = message));
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—';
}

/** A modal question with Cancel focused first, so Enter or Escape never destroys anything by accident. */
export function confirmAction(question: string, confirmLabel: string): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'confirm-question', class: 'confirm' },
    h('p', { id: 'confirm-question' }, question),
    h('form', { method: 'dialog', class: 'actions' }, h('button', { value: 'cancel', autofocus: true }, 'Cancel'), h('button', { value: 'confirm', class: 'danger' }, confirmLabel)),
  );
  document.body.append(dialog);
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
      if (opener?.isConnected) opener.focus();
    }),
  );
}
