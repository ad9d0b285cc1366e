// The analysis views as a person uses them: "LRC: Open Layer Heatmap" and "LRC: Open Case Analysis"
// from the palette on a tiny real run set (teacher, LRC student, MSE baseline, made with the CLI),
// the step slider by keyboard, a hover over a cell, a filter and a row; the CodeLens over the lines of
// the run's dev.tsv; "LRC: Analyze Selection" on a selected line; the case table with 5,000 synthetic
// cases and its render time. What the pages show is checked against the analysis files; screenshots
// in the dark and the light theme (test-results/screenshots/analysis-*.png).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTinyRuns, writeSyntheticRun } from './analysisFixtures.mjs';
import { choose, runCommand, screenshot, useTheme, webviewContent } from './workbench.mjs';

/** The workspace's theme, then a moment for the webviews to repaint with the new variables. */
async function useThemeAndRepaint(page, workspace, name) {
  await useTheme(page, workspace, name);
  await page.waitForTimeout(300);
}

/** Runs a command from the palette that asks for a run, and picks the run whose row shows `runText`. */
async function runCommandOnRun(page, title, runText) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  // the command's own quick pick, titled like the command
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  await choose(page, runText);
}

async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
}

const analysisFile = (workspace, runId, step) =>
  JSON.parse(readFileSync(join(workspace, '.lrc', 'runs', runId, 'analysis', `step-${String(step).padStart(6, '0')}.json`), 'utf8'));

const text = async (locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();

export const tests = [
  {
    name: 'a tiny LRC run and its MSE baseline made with the CLI, and a synthetic run of 5,000 cases',
    async run({ workspace, state }) {
      const settings = join(workspace, '.vscode', 'settings.json');
      state.analysisSettings = existsSync(settings) ? readFileSync(settings, 'utf8') : undefined;
      const t0 = Date.now();
      state.analysis = makeTinyRuns(workspace, join(workspace, '.lrc', 'runs'));
      state.synthetic = writeSyntheticRun(join(workspace, '.lrc', 'runs'), 5000);
      console.log(`      run set made in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${state.analysis.lrcId}, ${state.analysis.mseId}, ${state.synthetic.runId}`);
    },
  },
  {
    name: 'the palette opens the layer heatmap: both students, the file\'s values, the step slider, a hover',
    async run({ page, workspace, state }) {
      const { lrcId, mseId } = state.analysis;
      await useThemeAndRepaint(page, workspace, 'dark');
      await runCommandOnRun(page, 'LRC: Open Layer Heatmap', lrcId);
      const frame = await webviewContent(page, 'Layer Heatmap');
      const root = frame.locator('#heatmap-root');
      await root.locator('#grid-table-mse').waitFor({ state: 'attached', timeout: 30_000 });
      // the latest step: the paired analysis, both students from the LRC run's last file
      const last = analysisFile(workspace, lrcId, 10);
      assert.match(await text(root.locator('#step-label')), /^step 10 \(5 of 5\)/);
      for (const role of ['lrc', 'mse']) {
        const cells = await root.locator(`#grid-table-${role} td`).allTextContents();
        assert.deepEqual(cells.map(Number), last.students[role].grid.angular.flat(), `${role} grid shown = file`);
      }
      // hover the LRC student's mapped cell (student layer 1, teacher layer 1)
      const canvas = root.locator('#heatmap-canvas');
      const geometry = JSON.parse(await canvas.getAttribute('data-layout'));
      const lrcOrigin = geometry.sides.find((s) => s.role === 'lrc');
      await canvas.hover({ position: { x: lrcOrigin.x + 1.5 * geometry.cell, y: lrcOrigin.y + 1.5 * geometry.cell } });
      const tip = await text(root.locator('#tooltip'));
      assert.ok(tip.includes(`angular distance ${last.students.lrc.grid.angular[1][1]}`), tip);
      assert.ok(tip.includes(`MSE ${last.students.lrc.grid.mse[1][1]}`), tip);
      assert.ok(tip.includes(`${last.counts.examples} examples`) && tip.includes('mapped pair'), tip);
      await screenshot(page, 'analysis-heatmap-dark');
      // the slider by keyboard: the first evaluation, from each run's own file
      await root.locator('#step-slider').press('Home');
      await root.locator('#step-label', { hasText: /^step 2 \(1 of 5\)/ }).waitFor({ timeout: 10_000 });
      await root.locator('#grid-table-mse[data-source-step="2"]').waitFor({ state: 'attached', timeout: 10_000 });
      const first = { lrc: analysisFile(workspace, lrcId, 2), mse: analysisFile(workspace, mseId, 2) };
      for (const role of ['lrc', 'mse']) {
        const cells = await root.locator(`#grid-table-${role} td`).allTextContents();
        assert.deepEqual(cells.map(Number), first[role].students[role].grid.angular.flat(), `${role} grid at step 2 = its run's file`);
      }
      await root.locator('#step-slider').press('ArrowRight');
      await root.locator('#step-label', { hasText: /^step 4 / }).waitFor({ timeout: 10_000 });
      await root.locator('#kind-mse').click();
      await root.locator('#grid-table-lrc caption', { hasText: 'MSE at step 4' }).waitFor({ state: 'attached', timeout: 10_000 });
      const mseCells = await root.locator('#grid-table-lrc td').allTextContents();
      assert.deepEqual(mseCells.map(Number), analysisFile(workspace, lrcId, 4).students.lrc.grid.mse.flat());
      await useThemeAndRepaint(page, workspace, 'light');
      await screenshot(page, 'analysis-heatmap-mse-light');
      console.log(`      heatmap draw ${await root.getAttribute('data-draw-ms')} ms (canvas only)`);
      await closeAllEditors(page);
    },
  },
  {
    name: 'the palette opens the case analysis: the paired file\'s cases, a filter, a row and its chart',
    async run({ page, workspace, state }) {
      const { lrcId } = state.analysis;
      await useThemeAndRepaint(page, workspace, 'dark');
      await runCommandOnRun(page, 'LRC: Open Case Analysis', lrcId);
      const frame = await webviewContent(page, 'Case Analysis');
      const root = frame.locator('#cases-root');
      await root.locator('#case-table tbody tr[data-case-id]').first().waitFor({ timeout: 30_000 });
      const file = analysisFile(workspace, lrcId, 10);
      const cases = file.cases;
      assert.equal(await text(root.locator('#page-label')), `1–${cases.length} of ${cases.length} (page 1 of 1)`);
      const ids = await root.locator('#case-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
      assert.deepEqual(ids, cases.map((c) => c.id));
      // the filter "Disagree with teacher", counted here from the file
      const disagree = cases.filter((c) => c.lrc.prediction !== c.teacher.prediction || c.mse.prediction !== c.teacher.prediction).map((c) => c.id);
      await root.locator('#filter-teacherDisagree').click();
      await root.locator('#filter-teacherDisagree[aria-checked="true"]').waitFor();
      const shown = await root.locator('#case-table tbody tr[data-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
      assert.deepEqual(shown, disagree);
      assert.match(await text(root.locator('#filter-teacherDisagree')), new RegExp(`\\(${disagree.length}\\)`));
      await root.locator('#filter-all').click();
      const row = root.locator(`#case-table tbody tr[data-case-id="${cases[1].id}"]`);
      await row.click();
      await root.locator('#chart-angular').waitFor();
      const layerTable = await root.locator('#layer-table tr').allTextContents();
      assert.equal(layerTable.length, 1 + file.students.lrc.mapping.length);
      assert.ok(layerTable[1].includes(String(cases[1].lrc.angular[0]).slice(0, 5)), `${layerTable[1]} shows ${cases[1].lrc.angular[0]}`);
      await screenshot(page, 'analysis-cases-dark');
      await useThemeAndRepaint(page, workspace, 'light');
      await screenshot(page, 'analysis-cases-light');
      await closeAllEditors(page);
    },
  },
  {
    name: 'the dev.tsv of the run shows each example\'s three predictions in a CodeLens; Analyze Selection opens beside it',
    async run({ page, workspace, state }) {
      await useThemeAndRepaint(page, workspace, 'dark');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill('dev.tsv');
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'dev.tsv' }).first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Teacher' }).first();
      await lens.waitFor({ timeout: 30_000 });
      const title = await text(lens);
      const file = analysisFile(workspace, state.analysis.lrcId, 10);
      const labels = file.task.labelNames;
      const c = file.cases[0]; // line 2 of dev.tsv
      assert.ok(title.startsWith(`Teacher ${c.teacher.prediction === c.label ? '✓' : '✗'} ${labels[c.teacher.prediction]}`), title);
      assert.match(title, /LRC [✓✗] \w+ [\d.]+ ∠[\d.]+ mse [\d.e-]+ · MSE [✓✗]/);
      await screenshot(page, 'analysis-codelens-dark');
      // select the text of line 3 and analyse it
      await page.locator('.monaco-editor .view-line', { hasText: file.cases[1].text }).first().click();
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+End');
      await runCommand(page, 'LRC: Analyze Selection');
      const frame = await webviewContent(page, 'LRC: Analyze Selection');
      const section = frame.locator('#selection-root section.analysis').first();
      await section.waitFor({ timeout: 120_000 });
      const shown = await text(section);
      assert.ok(shown.includes(file.cases[1].text), shown);
      assert.equal(await section.locator('p.case-text').count(), 1, 'the selected line is one text (its label column is no second text)');
      assert.match(shown, /Teacher/);
      assert.match(shown, /LRC student/);
      assert.match(shown, /MSE baseline/);
      await screenshot(page, 'analysis-selection-dark');
      await closeAllEditors(page);
    },
  },
  {
    name: 'the case table with 5,000 cases: render time, a filter and paging',
    async run({ page, workspace, state }) {
      await useThemeAndRepaint(page, workspace, 'light');
      const { runId } = state.synthetic;
      await runCommandOnRun(page, 'LRC: Open Case Analysis', runId);
      const frame = await webviewContent(page, 'Case Analysis');
      const root = frame.locator('#cases-root');
      await frame.locator('#cases-root[data-load-paint-ms]').waitFor({ timeout: 60_000 });
      const file = JSON.parse(readFileSync(state.synthetic.file, 'utf8'));
      assert.equal(await root.getAttribute('data-cases'), '5000');
      assert.equal(await text(root.locator('#page-label')), '1–50 of 5000 (page 1 of 100)');
      const load = { ms: await root.getAttribute('data-load-ms'), paint: await root.getAttribute('data-load-paint-ms') };
      // "LRC right, MSE wrong", counted here from the file
      const expected = file.cases.filter((c) => c.lrc.prediction === c.label && c.mse.prediction !== c.label).length;
      await root.locator('#filter-lrcRightMseWrong').click();
      await root.locator('#page-label', { hasText: `of ${expected} ` }).waitFor({ timeout: 10_000 });
      const filterMs = await root.getAttribute('data-render-paint-ms');
      await root.locator('#sort-mseMse').click();
      await root.locator('#sort-mseMse', { hasText: '▼' }).waitFor();
      const sortMs = await root.getAttribute('data-render-paint-ms');
      await root.locator('#next-page').click();
      await root.locator('#page-label', { hasText: /^51–/ }).waitFor({ timeout: 10_000 });
      const pageMs = await root.getAttribute('data-render-paint-ms');
      console.log(`      5,000 cases: message to first page ${load.ms} ms (to paint ${load.paint} ms); filter ${filterMs} ms, sort ${sortMs} ms, next page ${pageMs} ms (to paint)`);
      await screenshot(page, 'analysis-cases-5000-light');
      await closeAllEditors(page);
      // the heatmap of a 13 x 25 grid, both students
      await runCommandOnRun(page, 'LRC: Open Layer Heatmap', runId);
      const hm = await webviewContent(page, 'Layer Heatmap');
      const hroot = hm.locator('#heatmap-root');
      await hm.locator('#heatmap-root[data-paint-ms]').waitFor({ timeout: 60_000 });
      console.log(`      heatmap 13 x 25, two students: draw ${await hroot.getAttribute('data-draw-ms')} ms, message to paint ${await hroot.getAttribute('data-paint-ms')} ms`);
      await screenshot(page, 'analysis-heatmap-13x25-light');
      await useThemeAndRepaint(page, workspace, 'dark');
      await screenshot(page, 'analysis-heatmap-13x25-dark');
      await closeAllEditors(page);
    },
  },
  {
    name: 'after a reload of the window the heatmap comes back with its step and distance (serializer and page state)',
    async run({ page, state }) {
      const { lrcId } = state.analysis;
      await runCommandOnRun(page, 'LRC: Open Layer Heatmap', lrcId);
      let frame = await webviewContent(page, 'Layer Heatmap');
      let root = frame.locator('#heatmap-root');
      await root.locator('#step-label', { hasText: /^step 10 / }).waitFor({ timeout: 30_000 });
      await root.locator('#step-slider').press('Home');
      await root.locator('#step-slider').press('ArrowRight');
      await root.locator('#kind-mse').click();
      await root.locator('#grid-table-lrc caption', { hasText: 'MSE at step 4' }).waitFor({ state: 'attached', timeout: 10_000 });
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForLoadState('load');
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      frame = await webviewContent(page, 'Layer Heatmap');
      root = frame.locator('#heatmap-root');
      await root.locator('#step-label', { hasText: /^step 4 \(2 of 5\)/ }).waitFor({ timeout: 60_000 });
      assert.equal(await root.locator('#kind-mse').getAttribute('aria-checked'), 'true');
      await root.locator('#grid-table-lrc caption', { hasText: 'MSE at step 4' }).waitFor({ state: 'attached', timeout: 10_000 });
      await screenshot(page, 'analysis-heatmap-after-reload-dark');
      await closeAllEditors(page);
    },
  },
  {
    name: 'the workspace settings are as before these tests',
    async run({ page, workspace, state }) {
      const settings = join(workspace, '.vscode', 'settings.json');
      if (state.analysisSettings === undefined) rmSync(settings, { force: true });
      else writeFileSync(settings, state.analysisSettings);
      await page.waitForTimeout(300);
    },
  },
];
