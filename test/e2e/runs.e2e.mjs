// The run features as a person uses them: a teacher run made in a terminal appears in the Runs view;
// "LRC: New Distillation Run" in the palette walks through the wizard and starts an LRC run; its
// dashboard draws the curves live; Pause, Next stage now and new weights from the dashboard reach the
// trainer (its metrics.jsonl says so), invalid weights are refused on the page; the status bar follows
// the run; Stop from the explorer's context menu leaves a stopped run. Screenshots in light, dark and
// high contrast themes (the `workbench.colorTheme` setting of the workspace).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activityBarItem, choose, screenshot, useTheme, webviewContent } from './workbench.mjs';
import { tinyTsv } from '../fixtures/tinyTsv.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cli(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lrc-distill ${args[0]} exited ${code}: ${err.slice(-500)}`))));
  });
}

async function until(what, probe, timeoutMs = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The workspace's theme, and the dashboard page showing it when a frame is given. */
async function useThemeOn(page, workspace, name, frame) {
  await useTheme(page, workspace, name);
  if (frame) await frame.locator(`#dashboard-root[data-theme="${name}"]`).waitFor({ timeout: 30_000 });
}


/** F1 and a command's title; the quick input stays open for the command's own questions. */
async function palette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** Shows the LRC Distill sidebar (a click on its icon would close it when it is already open). */
async function showRunsView(page) {
  const title = page.locator('.part.sidebar .title-label h2', { hasText: 'LRC Distill' });
  if (await title.isVisible()) return;
  await activityBarItem(page, 'LRC Distill').click();
  await title.waitFor();
}

/** In the open input box whose prompt says `prompt`: type `value` and accept. */
async function answer(page, prompt, value) {
  await page.locator('.quick-input-widget', { hasText: prompt }).waitFor({ timeout: 30_000 });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(value);
  await page.keyboard.press('Enter');
}

function runsOf(workspace) {
  const dir = join(workspace, '.lrc', 'runs');
  return existsSync(dir) ? readdirSync(dir).filter((d) => !d.startsWith('.')) : [];
}

function metricsOf(workspace, runId) {
  const file = join(workspace, '.lrc', 'runs', runId, 'metrics.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

const runRow = (page, text) => page.locator('.part.sidebar .monaco-list[aria-label="Runs"] .monaco-list-row', { hasText: text }).first();

export const tests = [
  {
    name: 'a teacher run made in a terminal shows in the Runs view',
    async run({ page, workspace }) {
      mkdirSync(join(workspace, 'data'), { recursive: true });
      writeFileSync(join(workspace, 'data', 'train.tsv'), tinyTsv(60, 1));
      writeFileSync(join(workspace, 'data', 'dev.tsv'), tinyTsv(24, 2));
      await cli([
        'train-teacher', '--runs', join(workspace, '.lrc', 'runs'), '--task', 'file', '--train', 'data/train.tsv', '--dev', 'data/dev.tsv',
        '--text-column', 'sentence', '--label-column', 'label', '--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32',
        '--max-length', '16', '--epochs', '4', '--batch-size', '8', '--lr', '0.001', '--eval-every', '10', '--name', 'tiny teacher', '--plain', '--backend', 'wasm',
      ], workspace);
      await useThemeOn(page, workspace, 'light');
      await showRunsView(page);
      const row = runRow(page, 'tiny teacher');
      await row.waitFor({ timeout: 30_000 });
      await row.locator('.label-description', { hasText: 'finished' }).waitFor({ timeout: 30_000 });
      // The overview dashboard (opened before) lists it with a button to its own dashboard.
      const overview = await webviewContent(page, 'LRC Dashboard');
      await overview.locator('#overview-runs li', { hasText: 'tiny teacher' }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'runs-view-teacher-light');
    },
  },
  {
    name: 'the palette\'s New Distillation Run walks through the wizard and starts an LRC run',
    async run({ page, workspace, state }) {
      const before = new Set(runsOf(workspace));
      await palette(page, 'LRC: New Distillation Run');
      await choose(page, 'tiny teacher'); // 1: the teacher run made above
      await page.locator('.quick-input-widget input[placeholder="The task and its data"]').waitFor();
      await screenshot(page, 'wizard-task-light');
      await choose(page, 'The teacher run\'s task'); // 2
      await choose(page, 'Tiny: 1 layer x 32'); // 3: student
      await choose(page, 'LRC-BERT'); // 4: loss
      await answer(page, 'Share of the steps in stage 1', '0.5'); // 5
      await answer(page, 'Epochs', '3000'); // 6
      await answer(page, 'Peak learning rate', '0.001'); // 7
      await choose(page, 'wasm'); // 8: backend
      await answer(page, 'A name for the run', 'e2e lrc'); // 9
      await choose(page, 'Start now');
      assert.ok(existsSync(join(workspace, '.lrc', 'configs', 'e2e-lrc.json')), 'the wizard saved no config');
      const runId = await until('the new run folder', () => runsOf(workspace).find((d) => !before.has(d) && d.includes('-lrc-')));
      state.runId = runId;
      const config = JSON.parse(readFileSync(join(workspace, '.lrc', 'configs', 'e2e-lrc.json'), 'utf8'));
      assert.equal(config.kind, 'lrc');
      assert.deepEqual(config.stages, { split: 0.5 });
      assert.equal(config.student.hidden, 32);
      state.dashboard = await webviewContent(page, 'LRC Dashboard: e2e lrc');
    },
  },
  {
    name: 'the dashboard draws the run live: curves, stage timeline, status bar',
    async run({ page, state }) {
      assert.ok(state.dashboard, 'needs the dashboard of the test before');
      const frame = state.dashboard;
      await frame.locator('#run-status', { hasText: 'running' }).waitFor({ timeout: 60_000 });
      await frame.locator('#chart-loss canvas').waitFor({ timeout: 60_000 });
      const step = async () => Number(((await frame.locator('#run-step').textContent()) ?? '0').split('/')[0]);
      const first = await step();
      await until('the step to advance', async () => (await step()) > first + 20);
      const legend = await frame.locator('#chart-loss .u-legend').innerText();
      assert.match(legend, /L_mid/);
      assert.match(legend, /perturbed/);
      assert.match(await frame.locator('#stage-timeline').innerText(), /stage 1: L_mid/);
      assert.match(await frame.locator('#run-backend').innerText(), /backend wasm/i);
      const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'LRC lrc' });
      await status.waitFor({ timeout: 30_000 });
      assert.match(await status.innerText(), /stage 1 · \d+\/12000 · loss/);
      await screenshot(page, 'dashboard-running-light');
    },
  },
  {
    name: 'Pause, Next stage now and new weights from the dashboard reach the trainer',
    async run({ page, workspace, state }) {
      const frame = state.dashboard;
      await frame.locator('#btn-pause').click();
      await frame.locator('#run-status', { hasText: 'paused' }).waitFor({ timeout: 30_000 });
      // The page refuses what the trainer would: T must be > 0.
      const temperature = frame.locator('#weight-temperature input');
      await temperature.fill('0');
      await frame.locator('#weight-errors', { hasText: 'temperature must be > 0' }).waitFor();
      assert.equal(await frame.locator('#btn-apply').getAttribute('disabled'), '', 'Apply stays enabled with T = 0');
      await screenshot(page, 'dashboard-invalid-weight-light');
      await temperature.fill('1.5');
      await frame.locator('#btn-next-stage').click();
      await frame.locator('#control-feedback', { hasText: 'sent nextStage' }).waitFor();
      await frame.locator('#weight-gamma input').fill('4');
      await frame.locator('#btn-apply').click();
      await frame.locator('#control-feedback', { hasText: 'sent setWeights' }).waitFor();
      await frame.locator('#btn-resume').click();
      await frame.locator('#run-stage', { hasText: '2' }).waitFor({ timeout: 30_000 });
      const m = await until('the controls and the new weights in metrics.jsonl', () => {
        const records = metricsOf(workspace, state.runId);
        const set = records.find((r) => r.type === 'control' && r.request.type === 'setWeights');
        const after = set && records.find((r) => r.type === 'progress' && r.step > set.step);
        return after ? { records, set, after } : undefined;
      });
      assert.ok(m.records.some((r) => r.type === 'control' && r.request.type === 'nextStage'), 'no nextStage record');
      assert.equal(m.set.request.gamma, 4);
      assert.equal(m.set.request.temperature, 1.5);
      assert.equal(m.after.stage, 2);
      assert.equal(m.after.weights.gamma, 4);
      assert.equal(m.after.weights.temperature, 1.5);
      await frame.locator('#stage-timeline', { hasText: 'stage 2 began at step' }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'screenshots of the dashboard and the Runs view in dark and high contrast themes',
    async run({ page, workspace, state }) {
      const frame = state.dashboard;
      await useThemeOn(page, workspace, 'dark', frame);
      await frame.locator('#chart-loss canvas').waitFor();
      await screenshot(page, 'dashboard-stage2-dark');
      await useThemeOn(page, workspace, 'high-contrast', frame);
      await frame.locator('#chart-loss canvas').waitFor();
      await screenshot(page, 'dashboard-stage2-high-contrast');
      await useThemeOn(page, workspace, 'dark', frame);
    },
  },
  {
    name: 'Stop from the explorer\'s context menu leaves a stopped run',
    async run({ page, workspace, state }) {
      await showRunsView(page);
      const row = runRow(page, 'e2e lrc');
      await row.click({ button: 'right' });
      const stop = page.locator('.monaco-menu .action-item', { hasText: /^Stop$/ }).first();
      await stop.waitFor({ timeout: 15_000 });
      // The menu fades in: take its picture once it and its ancestors are fully opaque.
      await until('the context menu opaque', () => stop.evaluate((e) => {
        for (let n = e; n; n = n.parentElement ?? n.getRootNode().host) if (getComputedStyle(n).opacity !== '1') return false;
        return true;
      }), 10_000);
      await screenshot(page, 'runs-view-context-menu-dark');
      await stop.click();
      await until('the run stopped', () => JSON.parse(readFileSync(join(workspace, '.lrc', 'runs', state.runId, 'run.json'), 'utf8')).status === 'stopped');
      await row.locator('.label-description', { hasText: 'stopped' }).waitFor({ timeout: 30_000 });
      const frame = state.dashboard;
      await frame.locator('#run-status', { hasText: 'stopped' }).waitFor({ timeout: 30_000 });
      await frame.locator('#btn-start:not([hidden])').waitFor();
      await screenshot(page, 'dashboard-stopped-dark');
      await useThemeOn(page, workspace, 'light', frame);
    },
  },
  {
    name: 'a finished run\'s dashboard, opened from the overview, shows its history',
    async run({ page }) {
      await page.locator('.tabs-container .tab', { hasText: /^LRC Dashboard$/ }).first().click();
      const overview = await webviewContent(page, 'LRC Dashboard');
      await overview.locator('#overview-runs li', { hasText: 'tiny teacher' }).locator('vscode-button').click();
      const frame = await webviewContent(page, 'LRC Dashboard: tiny teacher');
      await frame.locator('#run-status', { hasText: 'finished' }).waitFor({ timeout: 30_000 });
      await frame.locator('#chart-eval canvas').waitFor({ timeout: 30_000 });
      assert.match(await frame.locator('#chart-eval .u-legend').innerText(), /accuracy \(primary\)/);
      assert.match(await frame.locator('#run-step').innerText(), /^32 \/ 32$/);
      assert.match(await frame.locator('#stage-timeline').innerText(), /teacher fine-tuning/);
      assert.equal(await frame.locator('#btn-pause').isVisible(), false, 'a finished run offers Pause');
      await screenshot(page, 'dashboard-finished-teacher-light');
    },
  },
];
