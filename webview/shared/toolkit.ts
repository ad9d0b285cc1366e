// The one place that touches @vscode/webview-ui-toolkit. The toolkit is deprecated upstream; panels
// create their controls through these functions only, so moving to its successor is a change here.
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeDivider,
  vsCodeProgressRing,
  vsCodeTag,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeTag(), vsCodeTextField(), vsCodeBadge(), vsCodeProgressRing());
  registered = true;
}

export function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'primary'): HTMLElement {
  ensureRegistered();
  const el = document.createElement('vscode-button');
  el.setAttribute('appearance', appearance);
  el.textContent = label;
  el.addEventListener('click', () => {
    if (!isDisabled(el)) onClick();
  });
  return el;
}

/** Enables or disables a control made here. */
export function setDisabled(el: HTMLElement, disabled: boolean): void {
  if (disabled) el.setAttribute('disabled', '');
  else el.removeAttribute('disabled');
}

export function isDisabled(el: HTMLElement): boolean {
  return el.hasAttribute('disabled');
}

export function tag(text: string): HTMLElement {
  ensureRegistered();
  const el = document.createElement('vscode-tag');
  el.textContent = text;
  return el;
}

export function badge(text: string): HTMLElement {
  ensureRegistered();
  const el = document.createElement('vscode-badge');
  el.textContent = text;
  return el;
}

export function divider(): HTMLElement {
  ensureRegistered();
  return document.createElement('vscode-divider');
}

export function progressRing(): HTMLElement {
  ensureRegistered();
  return document.createElement('vscode-progress-ring');
}

export interface TextField {
  element: HTMLElement;
  get value(): string;
  set value(v: string);
}

/** A labelled one-line text field; `onInput` runs on every edit. */
export function textField(label: string, value: string, onInput: (value: string) => void, size = 6): TextField {
  ensureRegistered();
  const el = document.createElement('vscode-text-field') as HTMLElement & { value: string };
  el.setAttribute('size', String(size));
  el.setAttribute('value', value);
  el.value = value;
  el.textContent = label;
  el.addEventListener('input', () => onInput(el.value));
  return {
    element: el,
    get value() {
      return el.value;
    },
    set value(v: string) {
      el.value = v;
    },
  };
}
