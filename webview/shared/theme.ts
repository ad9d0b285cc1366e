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
