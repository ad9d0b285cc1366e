// The one place that touches @vscode/webview-ui-toolkit. The toolkit is deprecated upstream; panels
// create their controls through these functions only, so moving to its successor is a change here.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeTag } from '@vscode/webview-ui-toolkit';

let registered = false;

function ensureRegistered(): void {
  if (registered) return;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeTag());
  registered = true;
}

export function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'primary'): HTMLElement {
  ensureRegistered();
  const el = document.createElement('vscode-button');
  el.setAttribute('appearance', appearance);
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}

export function tag(text: string): HTMLElement {
  ensureRegistered();
  const el = document.createElement('vscode-tag');
  el.textContent = text;
  return el;
}

export function divider(): HTMLElement {
  ensureRegistered();
  return document.createElement('vscode-divider');
}
