// Modal dialogs: the admin key prompt and the confirmation before a replay.
import { h } from './dom.js';

/**
 * A modal with `content` and two buttons; resolves with what `onOk` returns, or null when cancelled.
 * `onOk` may throw to keep the dialog open (it shows the message).
 */
function modal(title, content, okLabel, onOk) {
  return new Promise((resolve) => {
    const problem = h('p', { class: 'error', hidden: true });
    const ok = h('button', { type: 'submit', class: 'primary' }, okLabel);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = h('form', {}, h('h2', {}, title), content, problem, h('div', { class: 'actions' }, cancel, ok));
    const dialog = h('dialog', { class: 'modal' }, form);
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      try {
        close(onOk());
      } catch (e) {
        problem.textContent = e.message;
        problem.hidden = false;
      }
    });
    cancel.addEventListener('click', () => close(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks for the admin key; resolves with it, or null when the user cancels. */
export function askKey(reason) {
  const input = h('input', {
    type: 'password',
    name: 'key',
    autocomplete: 'off',
    required: true,
    'aria-label': 'Admin key',
  });
  const content = h(
    'div',
    {},
    h('p', {}, reason || 'This Switchboard wants its admin key (http.adminKey) for this data.'),
    h('label', {}, 'Admin key ', input),
    h('p', { class: 'hint' }, 'Kept in this tab only (sessionStorage) and sent as the x-admin-key header.'),
  );
  const answer = modal('Admin key', content, 'Use key', () => {
    if (!input.value) throw new Error('Enter the key.');
    return input.value;
  });
  input.focus();
  return answer;
}

/** Asks to confirm an action; resolves true or false. */
export async function confirmAction(title, body, okLabel) {
  return (await modal(title, h('div', {}, body), okLabel, () => true)) === true;
}
