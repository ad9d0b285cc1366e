// Sweeps as a person uses them: a sweep file opened in the editor offers its CodeLens; "Run sweep
// (local)" starts a tiny sweep (2 tasks x LRC / MSE / alone x 3 seeds, a teacher per task, 2 workers);
// the Runs view shows the sweep's node live with its runs under it; a click on the node opens the
// sweep panel, which follows the sweep to its end and shows the comparisons, the strip plots and the
// cells table with the numbers of `lrc-distill sweep report --format json`; Open report shows the
// markdown report. Screenshots of the explorer and the panel in the dark and the light theme
// (test-results/screenshots/sweep-*.png).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activityBarItem, cli, runCommand, screenshot, useTheme, webviewContent } from './workbench.mjs';
import { tinyTsv } from '../fixtures/tinyTsv.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));


const data = (task) => ({ data: { task: 'file', train: `sweep-data/${task}-train.tsv`, dev: `sweep-data/${task}-dev.tsv`, columns: { text: 'sentence', label: 'label' } } });

const SWEEP = {
  name: 'tiny-e2e',
  description: 'LRC against MSE and the student alone on two tiny tasks, three seeds',
  base: {
    backend: 'wasm', maxLength: 16, builtVocabSize: 200,
    student: { layers: 1, hidden: 16, heads: 2, intermediate: 32, dropout: 0.1 },
    optim: { epochs: 4, batchSize: 8, learningRate: 0.003 }, eval: { everySteps: 12, analysis: false },
  },
  students: { optim: { learningRate: 0.01, epochs: 6 }, stages: { split: 0.5 } },
  axes: { task: { A: data('A'), B: data('B') }, method: { LRC: { kind: 'lrc' }, MSE: { kind: 'mse' }, alone: { kind: 'student' } }, seed: [42, 7, 13] },
  teacher: { config: { model: { layers: 2, hidden: 32, heads: 4, intermediate: 64, dropout: 0.1 }, optim: { epochs: 6 } } },
  compare: [{ axis: 'method', a: 'LRC', b: 'MSE' }, { axis: 'method', a: 'LRC', b: 'alone' }],
  local: { workers: 2 },
};

const text = async (locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
const value = (v) => (v === null ? '-' : v.toFixed(4));
const meanSd = (s, digits = 4) => (s.mean === null ? '-' : s.sd !== null ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits));

/** Shows the LRC Distill sidebar (a click on its icon would close it when it is already open). */
async function showRunsView(page) {
  const title = page.locator('.part.sidebar .title-label h2', { hasText: 'LRC Distill' });
  if (await title.isVisible()) return;
  await activityBarItem(page, 'LRC Distill').click();
  await title.waitFor();
}

/** The Runs view's row whose label is exactly `label`. */
const treeRow = (page, label) =>
  page.locator('.part.sidebar .monaco-list[aria-label="Runs"] .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

/** The workspace's theme, and the sweep panel showing it. */
async function useThemeOn(page, workspace, name, frame) {
  await useTheme(page, workspace, name);
  await frame.locator(`#sweep-root[data-theme="${name}"]`).waitFor({ timeout: 30_000 });
}

export const tests = [
  {
    name: 'a sweep file\'s CodeLens "Run sweep (local)" starts the sweep; the Runs view shows it live with its runs',
    async run({ page, workspace, state }) {
      mkdirSync(join(workspace, 'sweep-data'), { recursive: true });
      for (const [task, seed] of [['A', 11], ['B', 21]]) {
        writeFileSync(join(workspace, 'sweep-data', `${task}-train.tsv`), tinyTsv(60, seed));
        writeFileSync(join(workspace, 'sweep-data', `${task}-dev.tsv`), tinyTsv(24, seed + 1));
      }
      writeFileSync(join(workspace, 'tiny-e2e.sweep.json'), `${JSON.stringify(SWEEP, null, 2)}\n`);
      await useTheme(page, workspace, 'dark');
      await page.keyboard.press('Escape');
      // Quick Open, as a person opens a file by name.
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('tiny-e2e.sweep.json');
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'tiny-e2e.sweep.json' }).waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: 'tiny-e2e.sweep.json' }).waitFor({ timeout: 30_000 });
      const lenses = page.locator('.monaco-editor .codelens-decoration');
      const run = lenses.locator('a', { hasText: 'Run sweep (local)' });
      await run.waitFor({ timeout: 60_000 });
      assert.match(await text(lenses.first()), /Run sweep \(local\) \| Run sweep on Slurm \| Dry run/);
      await showRunsView(page);
      await run.click();
      const row = treeRow(page, 'tiny-e2e');
      await row.waitFor({ timeout: 30_000 });
      await row.locator('.label-description', { hasText: /\d+ running.* · local ×2/ }).waitFor({ timeout: 30_000 });
      // Live, its runs under it: one of them running (its icon spins) at a step.
      await page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.codicon-sync.codicon-modifier-spin') })
        .locator('.label-description', { hasText: /^step \d+\/\d+$/ }).first().waitFor({ timeout: 30_000 });
      const sweeps = JSON.parse(await cli(['sweep', 'list', '--json'], workspace)).sweeps.filter((s) => s.name === 'tiny-e2e');
      assert.equal(sweeps.length, 1, 'the CodeLens made no sweep, or more than one');
      state.sweepId = sweeps[0].id;
      await runCommand(page, 'Notifications: Clear All Notifications');
      await screenshot(page, 'sweep-explorer-live-dark');
      // The CodeLens now offers the sweep made from this file.
      await lenses.locator('a', { hasText: `Open sweep ${state.sweepId}` }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'a click on the sweep\'s node opens its panel, which follows the sweep to its end with the report\'s numbers',
    async run({ page, workspace, state }) {
      assert.ok(state.sweepId, 'needs the sweep of the test before');
      await treeRow(page, 'tiny-e2e').locator('.label-name').click();
      const frame = await webviewContent(page, 'LRC Sweep: tiny-e2e');
      state.sweepFrame = frame;
      await frame.locator('#sweep-title', { hasText: 'Sweep tiny-e2e' }).waitFor({ timeout: 30_000 });
      const live = await frame.locator('#sweep-root').getAttribute('data-live');
      if (live === 'true') {
        await frame.locator('#btn-cancel').waitFor();
        await runCommand(page, 'Notifications: Clear All Notifications');
        await screenshot(page, 'sweep-panel-live-dark');
      }
      await frame.locator('#sweep-root[data-done="true"]').waitFor({ timeout: 120_000 });
      const row = treeRow(page, 'tiny-e2e');
      await row.locator('.label-description', { hasText: /^20 finished · local ×2 · / }).waitFor({ timeout: 30_000 });
      const counts = {};
      for (const st of ['finished', 'running', 'pending', 'waiting', 'failed']) counts[st] = await text(frame.locator(`#sweep-counts .state-count[data-state="${st}"] b`));
      assert.deepEqual(counts, { finished: '20', running: '0', pending: '0', waiting: '0', failed: '0' });
      // The last runs measure their export's serving cost after they finish (issue 23): the pool ends a
      // few seconds after the counts say 20 finished, and Cancel goes with it.
      await frame.locator('#sweep-root[data-live="false"]').waitFor({ timeout: 60_000 });
      assert.equal(await frame.locator('#btn-cancel').count(), 0, 'a finished sweep offers Cancel');

      // What the page shows against `lrc-distill sweep report --format json`.
      const report = JSON.parse(await cli(['sweep', 'report', state.sweepId, '--format', 'json'], workspace));
      assert.equal(report.comparisons.length, 2);
      for (const [ci, c] of report.comparisons.entries()) {
        for (const [gi, g] of c.groups.entries()) {
          const card = frame.locator(`#cmp-${ci}-${gi}`);
          assert.equal(await text(card.locator('h4')), `${Object.entries(g.cell).map(([a, l]) => `${a} ${l}`).join(', ')} · ${g.primary}`);
          for (const s of g.seeds) {
            const cells = card.locator(`tbody tr[data-seed="${s.seed}"] td`);
            assert.deepEqual((await cells.allTextContents()).map((t) => t.trim()),
              [String(s.seed), value(s.a), value(s.b), s.dropped ? 'dropped' : `${s.difference.toFixed(2)} pt`], `${c.name} ${JSON.stringify(g.cell)} seed ${s.seed}`);
          }
          const foot = (await card.locator('tfoot tr > *').allTextContents()).map((t) => t.trim());
          assert.deepEqual(foot, [`mean ± sd (${g.difference.n})`, meanSd(g.a), meanSd(g.b), `${meanSd(g.difference, 2)} pt`]);
          assert.equal(await text(card.locator('.ahead-count')), `${c.a} ahead on ${g.signTest.aAhead} of ${g.difference.n}`);
          assert.equal(await text(card.locator('.sign-p')), `sign test p = ${g.signTest.p === null ? '-' : g.signTest.p.toPrecision(3)}`);
          assert.equal(await text(card.locator('.at-last')), `at the last evaluation: ${meanSd(g.lastDifference, 2)} pt`);
        }
      }
      const rows = frame.locator('#cells-table tbody tr');
      assert.equal(await rows.count(), report.cells.length);
      for (const [i, c] of report.cells.entries()) {
        const cells = (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
        assert.deepEqual(cells, [c.cell.task, c.cell.method, c.primary, `${c.finished} of ${c.runs}`, c.seeds.map((s) => `${s.seed}: ${value(s.value)}`).join(', '),
          meanSd(c.value), meanSd(c.last), value(c.teacherValue), c.keptOfTeacher === null ? '-' : `${c.keptOfTeacher.toFixed(1)}%`,
          c.teacherLead === null ? '-' : `${c.teacherLead.toFixed(2)} pt`], `cell ${JSON.stringify(c.cell)}`);
      }
      // The strip plots: one per task, a dot per finished seed at its value.
      const plots = frame.locator('#strip-plots .plot');
      assert.equal(await plots.count(), 2);
      for (const [i, c] of report.cells.entries()) {
        const plot = plots.nth(i < 3 ? 0 : 1);
        const dots = plot.locator(`.strip-row[data-label="${c.cell.method}"] .strip-dot`);
        assert.deepEqual(await dots.evaluateAll((ds) => ds.map((d) => [Number(d.getAttribute('data-seed')), d.getAttribute('data-value')])),
          c.seeds.map((s) => [s.seed, value(s.value)]), `dots of ${JSON.stringify(c.cell)}`);
      }
      assert.equal(await frame.locator('#runs-table tbody tr[data-state="finished"]').count(), 20);
      await runCommand(page, 'Notifications: Clear All Notifications');
      await screenshot(page, 'sweep-panel-done-dark');
      await frame.locator('#cells').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await screenshot(page, 'sweep-panel-cells-dark');
    },
  },
  {
    name: 'the explorer and the sweep panel in the light theme; Open report shows the markdown report',
    async run({ page, workspace, state }) {
      const frame = state.sweepFrame;
      assert.ok(frame, 'needs the panel of the test before');
      await useThemeOn(page, workspace, 'light', frame);
      await runCommand(page, 'Notifications: Clear All Notifications');
      await frame.locator('#sweep-root').evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'sweep-panel-done-light');
      await frame.locator('#cells').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await screenshot(page, 'sweep-panel-cells-light');
      await frame.locator('#btn-report').click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'tiny-e2e report.md' });
      await tab.waitFor({ timeout: 30_000 });
      const editor = page.locator('.editor-instance .monaco-editor .view-lines').last();
      await editor.locator('.view-line', { hasText: `## Sweep tiny-e2e (${state.sweepId})` }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'sweep-report-light');
    },
  },
];
