import { h } from './dom.mjs';

export interface FieldOptions {
  /** The request path of the value (`timelog.password`), so the API's per-field errors land here. */
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  hint?: string;
  value?: string | null;
  /** Marked "(optional)" in the label; fields are required unless they say so. */
  optional?: boolean;
  inputmode?: string;
}

const idOf = (name: string) => `field-${name.replace(/\W+/g, '-')}`;

/** A labelled input with its hint and an error slot, tied together by aria-describedby. */
export function field(options: FieldOptions): HTMLDivElement {
  const id = idOf(options.name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, options.label, options.optional ? h('span', { class: 'secondary-inline' }, ' (optional)') : null),
    h('input', {
      id,
      name: options.name,
      type: options.type ?? 'text',
      autocomplete: options.autocomplete ?? 'off',
      inputmode: options.inputmode,
      required: !options.optional,
      'aria-describedby': `${options.hint ? `${hintId} ` : ''}${errorId}`,
      value: options.value ?? undefined,
    }),
    options.hint ? h('p', { class: 'hint', id: hintId }, options.hint) : null,
    h('p', { class: 'field-error', id: errorId }),
  );
}

export function fieldValue(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement ? input.value : '';
}

export function clearFieldErrors(form: HTMLFormElement): void {
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
}

/** Shows each reason next to its field and moves focus to the first; returns the reasons no field could show. */
export function showFieldErrors(form: HTMLFormElement, fields: Record<string, string>): string[] {
  const unplaced: string[] = [];
  let first: HTMLInputElement | null = null;
  for (const [name, reason] of Object.entries(fields)) {
    const input = form.elements.namedItem(name);
    if (!(input instanceof HTMLInputElement)) {
      unplaced.push(reason);
      continue;
    }
    input.setAttribute('aria-invalid', 'true');
    const slot = document.getElementById(`${idOf(name)}-error`);
    if (slot) slot.textContent = reason;
    first ??= input;
  }
  first?.focus();
  return unplaced;
}

/** Disables the form's buttons and relabels the submit button while a request runs. */
export async function whileBusy<T>(form: HTMLFormElement, busyLabel: string, work: () => Promise<T>): Promise<T> {
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const idleLabel = submit?.textContent ?? '';
  const buttons = [...form.querySelectorAll('button')];
  form.setAttribute('aria-busy', 'true');
  buttons.forEach((button) => (button.disabled = true));
  if (submit) submit.textContent = busyLabel;
  try {
    return await work();
  } finally {
    form.removeAttribute('aria-busy');
    buttons.forEach((button) => (button.disabled = false));
    if (submit) submit.textContent = idleLabel;
  }
}

/** A one-field search: the server searches the whole list, not just the rows on screen. */
export function searchForm(label: string, hint: string, onSearch: (q: string) => void): HTMLFormElement {
  const id = `search-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const input = h('input', { id, type: 'search', name: 'q', autocomplete: 'off', 'aria-describedby': `${id}-hint` });
  return h(
    'form',
    { role: 'search', class: 'search', novalidate: true, onsubmit: (event: Event) => (event.preventDefault(), onSearch(input.value.trim())) },
    h('div', { class: 'field' }, h('label', { for: id }, label), input, h('p', { class: 'hint', id: `${id}-hint` }, hint)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Search')),
  );
}
