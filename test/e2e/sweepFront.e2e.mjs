// Which student to ship, as a person sees it (issue 23): a tiny sweep over two student shapes on two
// tasks (test/fixtures/frontSweep.mjs, run and then measured with the CLI), opened with LRC: Open Sweep. The panel shows a
// chart per task (a dot per seed, the cells' means, the teacher, the front, the recommended cell) and a
// table whose numbers are those of `lrc-distill sweep report --format json`; the x axis switches to the
// speed-up; Export recommended student asks for the dtype; Enter on a seed's dot opens its dashboard.
// Screenshots of the charts in the dark, light and high-contrast themes (test-results/screenshots/
// sweep-front-*.png).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choose, cli, runCommand, screenshot, useTheme, webviewContent } from './workbench.mjs';
import { frontSweepFile, writeFrontData } from '../fixtures/frontSweep.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NAME = 'front-e2e';


// The panel's number formats (webview/sweep/format.ts, frontSection.ts).
const value = (v) => (v === null ? '-' : v.toFixed(4));
const meanSd = (s, d = 4) => (s.mean === null ? '-' : s.sd !== null ? `${s.mean.toFixed(d)} ± ${s.sd.toFixed(d)}` : s.mean.toFixed(d));
const speedUp = (s) => (s.mean === null ? '-' : `${meanSd(s, 2)}×`);
const size = (b) => (b === null ? '-' : b < 1e6 ? `${(b / 1e3).toFixed(1)} kB` : `${(b / 1e6).toFixed(1)} MB`);
const count = (n) => (n === null ? '-' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));

async function showFront(frame) {
  await frame.locator('#front').evaluate((e) => e.scrollIntoView({ block: 'start' }));
}

export const tests = [
  {
    name: 'a sweep over two shapes: the panel draws a front chart per task with the numbers of `sweep report --format json`',
    async run({ page, workspace, state }) {
      writeFrontData(workspace, 'front-data', ['A', 'B']);
      writeFileSync(join(workspace, `${NAME}.sweep.json`), JSON.stringify(frontSweepFile(NAME, 'front-data', ['A', 'B']), null, 2));
      await cli(['sweep', `${NAME}.sweep.json`], workspace);
      // Each run measured its export at its end, beside the pool's other run; measured again one after
      // another, as the panel's note advises, the speed-ups are like for like.
      await cli(['sweep', 'measure', NAME], workspace);
      await useTheme(page, workspace, 'dark');
      await runCommand(page, 'LRC: Open Sweep');
      await choose(page, NAME);
      const frame = await webviewContent(page, `LRC Sweep: ${NAME}`);
      state.frontFrame = frame;
      await frame.locator('#front-task-1 .front-chart').waitFor({ timeout: 30_000 });
      const report = JSON.parse(await cli(['sweep', 'report', NAME, '--format', 'json'], workspace));
      state.frontReport = report;
      const tasks = report.front.tasks;
      assert.deepEqual(tasks.map((t) => t.task), ['A', 'B']);
      for (const [ti, t] of tasks.entries()) {
        const card = frame.locator(`#front-task-${ti}`);
        assert.equal(await card.getAttribute('data-task'), t.task);
        // the table: a row per cell and the teacher's
        for (const c of t.cells) {
          const cells = (await card.locator(`#front-table-${ti} tbody tr[data-cell="${c.label}"] td`).allTextContents()).map((x) => x.trim());
          assert.deepEqual(cells, [c.label, String(c.score.n), meanSd(c.score), meanSd(c.latencyMs, 2), c.p95Ms.mean === null ? '-' : c.p95Ms.mean.toFixed(2),
            speedUp(c.speedUp), count(c.parameters), size(c.sizeF32Bytes), size(c.sizeF16Bytes), c.recommended ? '★ recommended' : c.onFront ? '✓' : ''], `${t.task} ${c.label}`);
        }
        const teacherRow = (await card.locator('tr[data-cell="teacher"] td').allTextContents()).map((x) => x.trim());
        assert.deepEqual(teacherRow.slice(2, 4), [value(t.teacher.score), t.teacher.latencyMs.toFixed(2)]);
        // the chart: a dot per seed with a score and a latency, a diamond per cell, the front and the recommendation
        const dots = await card.locator('.front-dot').evaluateAll((ds) => ds.map((d) => [d.getAttribute('data-run-id'), d.getAttribute('data-score')]));
        const seeds = t.cells.flatMap((c) => c.seeds.filter((s) => s.score !== null && s.latencyMs !== null).map((s) => [s.runId, value(s.score)]));
        assert.deepEqual(dots, seeds, `dots of ${t.task}`);
        const onFront = await card.locator('.front-cell.on-front').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-cell')));
        assert.deepEqual(onFront, t.cells.filter((c) => c.onFront).map((c) => c.label));
        assert.equal(await card.locator('.front-line').count(), t.front.length ? 1 : 0);
        const rec = t.cells[t.recommended];
        assert.equal(await card.locator('.front-cell.recommended').getAttribute('data-cell'), rec.label);
        assert.equal((await card.locator('.front-label.recommended').textContent())?.trim(), `★ recommended: ${rec.label}`);
        assert.equal((await frame.locator(`#front-reason-${ti}`).textContent())?.replace(/\s+/g, ' ').trim(), `Recommended: ${rec.label}. ${t.reason}`);
        assert.equal(await card.locator('.front-teacher').count(), 2, 'the teacher\'s score and latency lines');
      }
      await runCommand(page, 'Notifications: Clear All Notifications');
      await showFront(frame);
      await screenshot(page, 'sweep-front-dark');
    },
  },
  {
    name: 'the x axis switches to the speed-up over the teacher (1× for the teacher) and back',
    async run({ page, state }) {
      const frame = state.frontFrame;
      assert.ok(frame, 'needs the panel of the test before');
      await frame.locator('#front-axis-speedUp').click();
      await frame.locator('#front-task-0 .front-chart[data-axis="speedUp"]').waitFor({ timeout: 10_000 });
      assert.match((await frame.locator('#front-task-0 .front-teacher-label').allTextContents()).join(' | '), /teacher 1\.0×/);
      const t = state.frontReport.front.tasks[0];
      const xs = await frame.locator('#front-task-0 .front-dot').evaluateAll((ds) => ds.map((d) => Number(d.getAttribute('data-x'))));
      assert.deepEqual(xs, t.cells.flatMap((c) => c.seeds.filter((s) => s.score !== null && s.speedUp !== null).map((s) => s.speedUp)));
      await showFront(frame);
      await screenshot(page, 'sweep-front-speedup-dark');
      await frame.locator('#front-axis-latency').click();
      await frame.locator('#front-task-0 .front-chart[data-axis="latency"]').waitFor({ timeout: 10_000 });
    },
  },
  {
    name: 'the front charts in the light and high-contrast themes',
    async run({ page, workspace, state }) {
      const frame = state.frontFrame;
      for (const theme of ['light', 'high-contrast']) {
        await useTheme(page, workspace, theme);
        await frame.locator(`#sweep-root[data-theme="${theme}"]`).waitFor({ timeout: 30_000 });
        await frame.locator('#front-task-0 .front-chart').waitFor();
        await showFront(frame);
        await screenshot(page, `sweep-front-${theme}`);
      }
      await useTheme(page, workspace, 'dark');
    },
  },
  {
    name: 'Export recommended student asks for the dtype; Enter on a seed\'s dot opens its run\'s dashboard',
    async run({ page, state }) {
      const frame = state.frontFrame;
      await frame.locator('#btn-export-recommended-0').click();
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'float16' }).waitFor({ timeout: 30_000 });
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const dot = frame.locator('#front-task-0 .front-dot').first();
      const runId = await dot.getAttribute('data-run-id');
      const seed = state.frontReport.front.tasks[0].cells.flatMap((c) => c.seeds).find((s) => s.runId === runId);
      assert.ok(seed, `the dot's run ${runId} is not in the report`);
      await dot.focus();
      await page.keyboard.press('Enter');
      const dashboard = await webviewContent(page, `LRC Dashboard: ${NAME} A`);
      await dashboard.locator('#dashboard-root h1').waitFor({ timeout: 30_000 });
      await runCommand(page, 'View: Close All Editors');
    },
  },
];
