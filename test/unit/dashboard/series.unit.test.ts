// The dashboard's run history: the loss terms a run logs (distillation terms, or L_mlm of a pretrain
// run), the message check of the webview protocol, and a resumed run replacing the steps it repeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMetricPoint, type MetricPoint } from '../../../webview/dashboard/protocol';
import { RunSeries } from '../../../webview/dashboard/series';

const progress = (step: number, clean: Record<string, number>, perturbed?: Record<string, number>) =>
  ({ type: 'progress', step, stage: 1, clean, perturbed, learningRate: 1e-3, examplesPerSecond: 40, gradNorm: 1 }) as unknown as MetricPoint;

test('a pretrain run plots L_mlm; a distillation run its own terms, clean and perturbed', () => {
  const pretrain = new RunSeries();
  pretrain.add([progress(10, { total: 8.9, mlm: 8.9 }), progress(20, { total: 8.1, mlm: 8.1 })]);
  assert.deepEqual(pretrain.presentTerms(), { clean: ['total', 'mlm'], perturbed: [] });
  assert.deepEqual(pretrain.clean.mlm, [8.9, 8.1]);
  const lrc = new RunSeries();
  lrc.add([progress(10, { total: 3, mid: 3 }, { total: 3.1, mid: 3.1 })]);
  assert.deepEqual(lrc.presentTerms(), { clean: ['total', 'mid'], perturbed: ['total', 'mid'] });
});

test('the protocol check takes L_mlm as a number and refuses anything else', () => {
  assert.ok(isMetricPoint(progress(1, { total: 1, mlm: 1 })));
  assert.ok(!isMetricPoint(progress(1, { total: 1, mlm: 'high' as unknown as number })));
  assert.ok(!isMetricPoint(progress(1, { mlm: 1 })), 'total is required');
});

test('a resumed run repeats steps: the later points replace the earlier ones', () => {
  const s = new RunSeries();
  s.add([progress(10, { total: 5, mlm: 5 }), progress(20, { total: 4, mlm: 4 }), progress(30, { total: 3, mlm: 3 })]);
  s.add([progress(20, { total: 4.5, mlm: 4.5 }), progress(30, { total: 3.5, mlm: 3.5 })]);
  assert.deepEqual(s.steps, [10, 20, 30]);
  assert.deepEqual(s.clean.mlm, [5, 4.5, 3.5]);
});
