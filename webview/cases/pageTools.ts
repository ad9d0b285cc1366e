// Small DOM helpers the three analysis pages share: elements, the theme's CSS variables, and the test
// probe (act on a control, then report what the page shows).
import type { ProbeRequest, ProbeResult } from './protocol';

/** An element with attributes and children; `text` sets textContent. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'className') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== false) e.append(c);
  return e;
}

/** The value of a `--vscode-*` CSS variable (theme colours and fonts), or `fallback`. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim();
  return v || fallback;
}

/** Calls `listener` (once per burst) when VS Code switches theme: it changes <body>'s class and the variables. */
export function onThemeChange(listener: () => void): void {
  let timer: number | undefined;
  const later = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = undefined;
      listener();
    }, 30);
  };
  const observer = new MutationObserver(later);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

/** Time from now to after the next paint, in ms (what a person waits for a render to show). */
export function timeToPaint(start: number): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0)));
}

/**
 * Runs a probe: each action on an element of `root` as a person would cause it (a click; a value typed
 * into a field, with its input and change events), waiting for the page to settle after each; then
 * reports the page's text and the panel's snapshot.
 */
export async function runProbe(root: HTMLElement, request: ProbeRequest, settle: () => Promise<void>, snapshot: () => Record<string, unknown>): Promise<ProbeResult> {
  let error: string | undefined;
  for (const action of request.actions) {
    const target = root.querySelector<HTMLElement>(action.selector);
    if (!target) {
      error = `no element matches ${action.selector}`;
      break;
    }
    if (action.type === 'click') target.click();
    else {
      (target as HTMLInputElement).value = action.value;
      target.dispatchEvent(new Event('input', { bubbles: true }));
      target.dispatchEvent(new Event('change', { bubbles: true }));
    }
    await settle();
  }
  await settle();
  return { id: request.id, ok: error === undefined, ...(error ? { error } : {}), text: root.innerText, snapshot: snapshot() };
}
