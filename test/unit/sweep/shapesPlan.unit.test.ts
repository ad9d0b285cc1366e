// A named level map over student shapes is an ordinary axis: experiments/sweeps/shapes.sweep.json plans
// 3 tasks x 3 shapes x 2 methods x 2 seeds, each run with its level's student shape, and teachers that
// the shape axis does not touch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { planSweep } from '../../../trainer/sweep/plan';
import { readSweepFile } from '../../../trainer/sweep/sweepFile';
import { shapeAxisOf } from '../../../trainer/sweep/report/front';

const file = join(__dirname, '..', '..', '..', 'experiments', 'sweeps', 'shapes.sweep.json');

test('shapes.sweep.json: every run has its level\'s student shape, the teachers their own', () => {
  const plan = planSweep(readSweepFile(file), file, 'shapes');
  assert.deepEqual(plan.axes.map((a) => a.name), ['task', 'shape', 'method']);
  assert.equal(shapeAxisOf(plan.axes.map((a) => a.name)), 'shape');
  assert.equal(plan.runs.length, 36);
  assert.equal(plan.teachers.length, 3);
  const shapes: Record<string, [number, number, number, number]> = { '2x128': [2, 128, 2, 512], '4x128': [4, 128, 2, 512], '4x312': [4, 312, 12, 1200] };
  for (const r of plan.runs) {
    const s = r.config.student as { layers: number; hidden: number; heads: number; intermediate: number };
    assert.deepEqual([s.layers, s.hidden, s.heads, s.intermediate], shapes[r.cell.shape], r.name);
    assert.equal(r.config.maxTrainExamples, 2000);
  }
  for (const t of plan.teachers) {
    assert.equal(t.config.student, undefined, 'the shape axis is no teacher axis');
    assert.deepEqual((t.config.model as { layers: number }).layers, 6);
    assert.equal(t.config.maxTrainExamples, 8000);
  }
});
