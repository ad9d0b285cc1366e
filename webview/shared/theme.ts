// The VS Code theme as the page sees it: colours from the workbench's CSS variables (light, dark and
// high contrast alike), and a callback when the user switches theme.

/** The value of a `--vscode-*` CSS variable, or `fallback` when the theme does not define it. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(`--vscode-${name}`).trim();
  return v || fallback;
}

/** The kind of theme: VS Code sets one of these classes on <body>. */
export function themeKind(): 'light' | 'dark' | 'high-contrast' | 'high-contrast-light' {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

/** Calls `listener` (debounced) whenever the theme's class or variables change. */
export function onThemeChange(listener: () => void): void {
  let pending: number | undefined;
  const later = () => {
    if (pending !== undefined) clearTimeout(pending);
    pending = window.setTimeout(() => {
      pending = undefined;
      listener();
    }, 50);
  };
  const observer = new MutationObserver(later);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

/** Distinct series colours of the theme (the workbench's chart colours). */
export function seriesColors(): string[] {
  return [
    themeColor('charts-blue', '#3794ff'),
    themeColor('charts-orange', '#d18616'),
    themeColor('charts-green', '#89d185'),
    themeColor('charts-purple', '#b180d7'),
    themeColor('charts-red', '#f14c4c'),
    themeColor('charts-yellow', '#cca700'),
    themeColor('charts-foreground', '#cccccc'),
  ];
}

/** A CSS colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()) with its alpha scaled by `alpha`; other forms unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  let r: number, g: number, b: number, a = 1;
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c);
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)$/i.exec(c);
  if (hex) {
    let h = hex[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((x) => x + x).join('');
    if (h.length !== 6 && h.length !== 8) return c;
    [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    if (h.length === 8) a = parseInt(h.slice(6, 8), 16) / 255;
  } else if (rgb) {
    [r, g, b] = [rgb[1], rgb[2], rgb[3]].map(Number);
    if (rgb[4]) a = rgb[4].endsWith('%') ? parseFloat(rgb[4]) / 100 : Number(rgb[4]);
  } else {
    return c;
  }
  return `rgba(${r}, ${g}, ${b}, ${+(a * alpha).toFixed(3)})`;
}
