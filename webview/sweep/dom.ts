// The sweep panel's one DOM helper: an element with attributes ('text' for its text, 'className') and
// children; undefined attributes and children are left out.
export function el<K extends keyof HTMLElementTagNameMap>(tagName: K, attrs: Record<string, string | undefined> = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tagName);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'className') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined) e.append(c);
  return e;
}
