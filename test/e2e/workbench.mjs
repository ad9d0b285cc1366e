// What a person does in the VS Code workbench, as Playwright steps: open it, run a command from the
// palette, open a view container, reach into a webview. Each step waits on what the UI shows, never on
// a fixed delay.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Saves a screenshot of the whole page as test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Loads the workbench and waits until it is drawn. */
export async function openWorkbench(page, url) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

/** F1, type the command's title ("LRC: Open Dashboard"), wait for it in the list, Enter. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * In the open quick input: filter by `text`, wait until the matching row is focused, accept it. A
 * multi-step command may show its next step just after the text is typed, and the new step clears the
 * input: the text is typed again until the row shows (a few seconds each try).
 */
export async function choose(page, text) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: text });
  for (let attempt = 1; ; attempt++) {
    await input.fill(text);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt === 6) throw e;
    }
  }
  await page.keyboard.press('Enter');
}

/** The activity-bar entry whose label starts with `label`. */
export function activityBarItem(page, label) {
  return page.locator(`.part.activitybar a.action-label[aria-label^="${label}"]`).first();
}

/** The content of the webview in the editor tab titled `tabTitle`: two iframes deep. */
export async function webviewContent(page, tabTitle) {
  await page.locator('.tabs-container .tab', { hasText: tabTitle }).first().waitFor({ timeout: 30_000 });
  // Only the active editor's webview is visible; hidden ones stay in the DOM.
  const outer = page.locator('iframe.webview.ready:visible').last();
  await outer.waitFor({ timeout: 30_000 });
  return outer.contentFrame().locator('iframe#active-frame').contentFrame();
}

/** The colour themes the screenshots use: setting value and the class the workbench then carries. */
export const THEMES = { light: ['Default Light Modern', 'vs'], dark: ['Default Dark Modern', 'vs-dark'], 'high-contrast': ['Default High Contrast', 'hc-black'] };

/** Sets the workspace's colour theme (its settings file) and waits for the workbench to show it. */
export async function useTheme(page, workspace, name) {
  const [theme, workbenchClass] = THEMES[name];
  const file = join(workspace, '.vscode', 'settings.json');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...settings, 'workbench.colorTheme': theme }, null, 2));
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 30_000 });
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `lrc-distill <args>` in the workspace; resolves its stdout, rejects on a non-zero exit. */
export function cli(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`lrc-distill ${args.join(' ')} exited ${code}: ${err.slice(-500)}`))));
  });
}
