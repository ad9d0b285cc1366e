// Suite "extension": the extension in a real VS Code (code-server in Debian's Chromium, as the e2e
// tier runs it, scripts/vscode-server.mjs): how long the workbench takes to show the extension's
// activity-bar entry, how long the Runs view takes to be ready when first opened (this activates the
// extension: it has no startup activation), the activation time VS Code itself measures (its Running
// Extensions editor), and for each webview the time from the command's Enter to its root element
// having content (first render). Uses the built extension in dist/ (built first when missing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fmt, type Table } from '../lib/report';
import type { Suite, SuiteContext } from '../lib/suite';

/** The webview panels and how to see that each has rendered. Add a row per new panel. */
const WEBVIEWS = [{ command: 'LRC: Open Dashboard', tab: 'LRC Dashboard', ready: '#dashboard-root h1' }];

interface Step { name: string; ms?: number; error?: string; detail?: string }

interface VscodeServerModule {
  startCodeServer(o: { workspace: string; provision?: boolean }): Promise<{ remoteUri(p: string): string; workbenchUrl(o: { folder: string; payload: [string, string][] }): string; stop(): Promise<unknown> }>;
  launchBrowser(): Promise<{ page: Page; close(): Promise<void> }>;
}
interface ProvisionModule { provisionVscode(): Promise<unknown> }
interface WorkbenchModule {
  activityBarItem(page: Page, label: string): ReturnType<Page['locator']>;
  runCommand(page: Page, title: string): Promise<void>;
  webviewContent(page: Page, tab: string): Promise<ReturnType<ReturnType<Page['locator']>['contentFrame']>>;
}

/** Runs a step; its figure is the time f took, unless f returns its own (ms) or a text (detail) instead. */
async function timed(steps: Step[], name: string, f: () => Promise<{ ms?: number; detail?: string } | void>): Promise<boolean> {
  const t0 = performance.now();
  try {
    const own = (await f()) ?? {};
    steps.push({ name, ms: own.detail !== undefined ? undefined : own.ms ?? performance.now() - t0, ...(own.detail ? { detail: own.detail } : {}) });
    return true;
  } catch (e) {
    steps.push({ name, error: ((e as Error).message ?? String(e)).split('\n')[0] });
    return false;
  }
}

/** F1, the command's title, its row in the list; then the clock starts at Enter. */
async function openPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
}

function ensureBuilt(ctx: SuiteContext): string {
  const bundle = join(ctx.root, 'dist', 'extension.js');
  if (!existsSync(bundle) || !existsSync(join(ctx.root, 'dist', 'webview'))) {
    ctx.log('extension: building (node esbuild.mjs)');
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ctx.root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node esbuild.mjs failed: ${r.stderr.slice(-500)}`);
  }
  return new Date(statSync(bundle).mtimeMs).toISOString();
}

export const extensionSuite: Suite = {
  name: 'extension',
  title: 'Extension activation and webview first render (code-server + Chromium)',
  needsBackend: false,
  async run(ctx) {
    const built = ensureBuilt(ctx);
    const { provisionVscode } = (await import('../../scripts/provision-vscode.mjs')) as ProvisionModule;
    try {
      await provisionVscode();
    } catch (e) {
      return { tables: [], notes: [], data: {}, skipped: `code-server and Chromium are not available here: ${(e as Error).message.split('\n')[0]}` };
    }
    const { startCodeServer, launchBrowser } = (await import('../../scripts/vscode-server.mjs')) as VscodeServerModule;
    const { activityBarItem, runCommand, webviewContent } = (await import('../../test/e2e/workbench.mjs')) as WorkbenchModule;
    const workspace = mkdtempSync(join(tmpdir(), 'lrc-bench-workspace-'));
    const steps: Step[] = [];
    const server = await startCodeServer({ workspace, provision: false });
    let browser: Awaited<ReturnType<VscodeServerModule['launchBrowser']>> | undefined;
    try {
      browser = await launchBrowser();
      const { page } = browser;
      const payload: [string, string][] = [['extensionDevelopmentPath', server.remoteUri(ctx.root.replace(/\/$/, ''))], ['skipWelcome', 'true']];
      ctx.log('extension: workbench');
      const loaded = await timed(steps, 'workbench drawn (page load to .monaco-workbench)', async () => {
        await page.goto(server.workbenchUrl({ folder: workspace, payload }));
        await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      });
      if (loaded) {
        const icon = activityBarItem(page, 'LRC Distill');
        await timed(steps, 'LRC Distill icon in the activity bar (after the workbench is drawn)', async () => { await icon.waitFor({ timeout: 60_000 }); });
        await timed(steps, 'Runs view ready after a click on the icon (activates the extension)', async () => {
          await icon.click();
          await page.locator('.part.sidebar .welcome-view-content', { hasText: 'No distillation runs' }).waitFor({ timeout: 60_000 });
          await page.locator('.part.activitybar li.action-item', { has: page.locator('a.action-label[aria-label^="LRC Distill"]') })
            .locator('.badge.progress-badge').waitFor({ state: 'detached', timeout: 60_000 });
        });
        for (const w of WEBVIEWS) {
          ctx.log(`extension: ${w.command}`);
          await timed(steps, `${w.command}: Enter to ${w.ready} rendered`, async () => {
            await openPalette(page, w.command);
            const t0 = performance.now();
            await page.keyboard.press('Enter');
            const frame = await webviewContent(page, w.tab);
            await frame.locator(w.ready).first().waitFor({ timeout: 60_000 });
            return { ms: performance.now() - t0 };
          });
        }
        await timed(steps, "VS Code's own activation time (Developer: Show Running Extensions)", async () => {
          await runCommand(page, 'Developer: Show Running Extensions');
          const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'lrc-distill' }).first();
          const text = await row.locator('.activation-time').innerText({ timeout: 30_000 });
          return { detail: text.trim() };
        });
      }
    } finally {
      await browser?.close();
      await server.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
    const table: Table = {
      title: 'Extension timings',
      columns: ['what', 'ms', 'note'],
      rows: steps.map((s) => [s.name, s.ms === undefined ? '-' : fmt.ms(s.ms), s.error ? `FAILED: ${s.error}` : s.detail ?? '']),
      note: `dist/extension.js built ${built}. One cold run; the workbench runs in headless Chromium on the same 2 cores.`,
    };
    return { tables: [table], notes: [], data: { steps, built } };
  },
};
