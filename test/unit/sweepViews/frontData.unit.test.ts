// The front of a sweep report on its way to the panel's chart, on a hand-made task: the host's mapping
// (extension/sweeps/frontView.ts: NaN as null, "measured"), the message guard (webview/sweep/protocol.ts)
// and what the chart plots for either x axis (webview/sweep/frontData.ts): a mark per seed with a score
// and a latency, the cells' means and sds, the teacher, the front's order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frontViewOf, taskFrontView } from '../../../extension/sweeps/frontView';
import type { FrontCell, FrontReport, FrontSeed, TaskFront } from '../../../trainer/sweep/report/frontTypes';
import { summarize } from '../../../trainer/sweep/report/statistics';
import { canPlot, chartData, seriesOf } from '../../../webview/sweep/frontData';
import { isFrontView } from '../../../webview/sweep/frontProtocol';
import { isSweepAction } from '../../../webview/sweep/protocol';

const seed = (seedNo: number, runId: string, score: number, latencyMs: number, teacherMs = 20): FrontSeed => ({
  seed: seedNo, runId, status: Number.isNaN(score) ? 'failed' : 'finished', score, latencyMs, p95Ms: latencyMs * 1.2, examplesPerSecond: 1000 / latencyMs,
  speedUp: latencyMs > 0 ? teacherMs / latencyMs : NaN, quiet: Number.isNaN(latencyMs) ? null : true, session: Number.isNaN(latencyMs) ? null : 'h:1:t',
});

function cell(label: string, seeds: FrontSeed[], onFront: boolean, recommended = false): FrontCell {
  const measured = seeds.filter((s) => Number.isFinite(s.latencyMs));
  return {
    cell: { shape: label.split(' · ')[0], method: label.split(' · ')[1] }, label, shape: label.split(' · ')[0], seeds,
    score: summarize(seeds.map((s) => s.score)), latencyMs: summarize(measured.map((s) => s.latencyMs)), p95Ms: summarize(measured.map((s) => s.p95Ms)),
    examplesPerSecond: summarize(measured.map((s) => s.examplesPerSecond)), speedUp: summarize(measured.map((s) => s.speedUp)),
    parameters: measured.length ? 1234 : NaN, sizeF32Bytes: measured.length ? 4936 : NaN, sizeF16Bytes: measured.length ? 2468 : NaN,
    onFront, recommended, notes: measured.length ? [] : ['no serving cost measured: left out of the front'],
  };
}

function task(): TaskFront {
  return {
    task: 'A', primary: 'accuracy', cellAxes: ['shape', 'method'], shapeAxis: 'shape',
    cells: [
      cell('2x16 · LRC', [seed(1, 'r1', 0.7, 2), seed(2, 'r2', 0.8, 4)], true),
      cell('4x32 · LRC', [seed(1, 'r3', 0.9, 8), seed(2, 'r4', NaN, NaN)], true, true),
      cell('4x32 · MSE', [seed(1, 'r5', 0.6, 9), seed(2, 'r6', 0.62, 11)], false),
      cell('6x64 · LRC', [seed(1, 'r7', 0.95, NaN)], false),
    ],
    teacher: { runId: 't', status: 'finished', score: 0.93, latencyMs: 20, p95Ms: 25, examplesPerSecond: 50, parameters: 9999, sizeF32Bytes: 1, sizeF16Bytes: 1, quiet: true, session: 'h:1:t' },
    front: [0, 1], rule: { text: 'fastest-within:5', kind: 'fastest-within', points: 5, ms: NaN }, recommended: 1,
    reason: 'the fastest cell within 5 points of the teacher', fallback: false, quiet: true, oneSession: true, notes: [],
  };
}

test('the host maps the front with NaN as null, and the view passes the message guard', () => {
  const report: FrontReport = { sweep: { id: 's', name: 'tiny' }, rule: task().rule, tasks: [task()] };
  const view = frontViewOf(report);
  assert.equal(view.rule, 'fastest-within:5');
  const t = view.tasks[0];
  assert.equal(t.measured, true);
  assert.deepEqual(t.cells[1].seeds[1], { seed: 2, runId: 'r4', status: 'failed', score: null, latencyMs: null, p95Ms: null, speedUp: null, quiet: null });
  assert.deepEqual(t.cells[3].latencyMs, { n: 0, mean: null, sd: null });
  assert.equal(t.cells[3].parameters, null);
  // One seed: a mean and no sd.
  assert.deepEqual(t.cells[1].latencyMs, { n: 1, mean: 8, sd: null });
  assert.ok(isFrontView(view), 'the mapped view fails its own guard');
  // JSON (postMessage) keeps it whole: no NaN left to turn into null behind the guard's back.
  assert.ok(isFrontView(JSON.parse(JSON.stringify(view))));
  assert.ok(!isFrontView({ ...view, tasks: [{ ...t, recommended: 7 }] }), 'an index out of the cells passes');
  assert.ok(!isFrontView({ ...view, tasks: [{ ...t, cells: [{ ...t.cells[0], score: { n: 1, mean: Number.NaN, sd: null } }] }] }), 'NaN passes');
});

test('latency axis: a mark per seed with a score and a latency, the means with their sds, the teacher at its latency, the front fastest first', () => {
  const t = taskFrontView(task());
  const d = chartData(t, 'latency');
  assert.deepEqual(d.seeds.map((s) => [s.cellIndex, s.runId, s.x, s.y]), [[0, 'r1', 2, 0.7], [0, 'r2', 4, 0.8], [1, 'r3', 8, 0.9], [2, 'r5', 9, 0.6], [2, 'r6', 11, 0.62]]);
  assert.deepEqual(d.means.map((m) => m.cellIndex), [0, 1, 2], 'a cell without a latency has no mean mark');
  const m0 = d.means[0];
  assert.deepEqual([m0.x, m0.y, m0.n, m0.onFront, m0.recommended], [3, 0.75, 2, true, false]);
  assert.ok(Math.abs(m0.xSd! - Math.SQRT2) < 1e-12 && Math.abs(m0.ySd! - Math.sqrt(0.005)) < 1e-12);
  assert.deepEqual([d.means[1].x, d.means[1].xSd, d.means[1].recommended], [8, null, true]);
  assert.deepEqual(d.teacher, { x: 20, y: 0.93 });
  assert.deepEqual(d.front.map((m) => m.label), ['2x16 · LRC', '4x32 · LRC']);
  assert.ok(d.xs.includes(20) && d.xs.every((v) => v > 0) && d.ys.includes(0.93));
  assert.equal(canPlot(t, 'latency'), true);
});

test('speed-up axis: the teacher at 1x, each seed at its own speed-up; impossible without the teacher\'s latency', () => {
  const t = taskFrontView(task());
  const d = chartData(t, 'speedUp');
  assert.deepEqual(d.seeds.slice(0, 2).map((s) => s.x), [10, 5]);
  assert.equal(d.means[0].x, 7.5, 'the mean of the seeds\' speed-ups');
  assert.deepEqual(d.teacher, { x: 1, y: 0.93 });
  assert.equal(canPlot(t, 'speedUp'), true);
  const noTeacher = taskFrontView({ ...task(), teacher: { ...task().teacher!, latencyMs: NaN } });
  assert.equal(canPlot(noTeacher, 'speedUp'), false);
  assert.equal(canPlot(noTeacher, 'latency'), true);
  assert.equal(chartData(noTeacher, 'latency').teacher.x, null);
});

test('nothing measured: measured is false and neither axis can be drawn', () => {
  const bare = task();
  bare.cells = bare.cells.map((c) => cell(c.label, c.seeds.map((s) => ({ ...s, latencyMs: NaN, speedUp: NaN })), false));
  bare.front = [];
  bare.recommended = null;
  const t = taskFrontView(bare);
  assert.equal(t.measured, false);
  assert.equal(canPlot(t, 'latency'), false);
  assert.deepEqual(chartData(t, 'latency').seeds, []);
});

test('the page\'s export action names the task; nothing else rides along', () => {
  assert.ok(isSweepAction({ type: 'exportRecommended', task: 'A' }));
  assert.ok(isSweepAction({ type: 'exportRecommended', task: '' }));
  assert.ok(!isSweepAction({ type: 'exportRecommended' }));
  assert.ok(!isSweepAction({ type: 'exportRecommended', task: 'A', out: '/tmp' }));
});

test('colours: one series per method when a shape axis names the rest; one per cell without a shape axis', () => {
  const t = taskFrontView(task());
  assert.deepEqual(seriesOf(t), { series: [0, 0, 1, 0], names: ['2x16', '4x32', '4x32', '6x64'], legend: ['LRC', 'MSE'] });
  const noShape = { ...t, shapeAxis: null };
  assert.deepEqual(seriesOf(noShape), { series: [0, 1, 2, 3], names: t.cells.map((c) => c.label), legend: [] });
  const shapeOnly = { ...t, cellAxes: ['shape'] };
  assert.deepEqual(seriesOf(shapeOnly), { series: [0, 1, 2, 3], names: t.cells.map((c) => c.label), legend: [] });
  // One method beside the shapes: a colour per cell, each named by its shape.
  const oneMethod = { ...t, cells: t.cells.filter((c) => c.cell.method === 'LRC') };
  assert.deepEqual(seriesOf(oneMethod), { series: [0, 1, 2], names: ['2x16', '4x32', '6x64'], legend: [] });
});
