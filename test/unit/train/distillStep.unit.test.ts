import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DEFAULT_LOSS_CONFIG, type LossConfig } from '../../../trainer/losses/config';
import { Bert } from '../../../trainer/model/bert';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { createDistillation, disposeDistillation, type DistillationSettings } from '../../../trainer/train/distillation';
import { distillationStep, type DistillStepResult } from '../../../trainer/train/distillStep';
import { DEFAULT_STAGE_CONFIG, type StageConfig } from '../../../trainer/train/stages';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';
import { disposeBatch, makeExamples, tinyConfig, toBatch } from './tinyTask';

before(() => useBackend('wasm'));

// Teacher 2 layers x 32, student 1 layer x 16, vocab 30, batch 4 x length 8.
interface RunOptions { steps: number; seed?: number; stages?: Partial<StageConfig>; loss?: Partial<LossConfig> }

function setup({ steps, seed = 1, stages = {}, loss = {} }: RunOptions) {
  const teacher = new Bert(tinyConfig(2, 32), { seed: 100, trainable: false });
  const student = new Bert(tinyConfig(1, 16), { seed });
  const settings: DistillationSettings = {
    loss: { ...DEFAULT_LOSS_CONFIG, ...loss },
    optim: { ...DEFAULT_OPTIM_CONFIG, learningRate: 1e-3 },
    stages: { ...DEFAULT_STAGE_CONFIG, ...stages },
    totalSteps: steps,
    seed,
  };
  const d = createDistillation(teacher, student, settings);
  const dispose = () => { disposeDistillation(d); teacher.dispose(); student.dispose(); };
  return { d, teacher, student, dispose };
}

function run(options: RunOptions, onStep?: (r: DistillStepResult, step: number) => void): DistillStepResult[] {
  const { d, dispose } = setup(options);
  const random = new SeededRandom(options.seed ?? 1);
  const examples = makeExamples(4 * options.steps, 7);
  const results: DistillStepResult[] = [];
  for (let step = 0; step < options.steps; step++) {
    const batch = toBatch(examples.slice(4 * step, 4 * step + 4));
    results.push(distillationStep(d, batch, { step, dropoutSeed: random.nextSeed() }));
    disposeBatch(batch);
    onStep?.(results[step], step);
  }
  dispose();
  return results;
}

test('no tensor leaks: the tensor count is the same after step 2 and after step 10', () => {
  // Stage 2 throughout (split 0), so that every parameter has its AdamW moments from step 1 on.
  const counts: number[] = [];
  const start = tf.memory().numTensors;
  const t0 = Date.now();
  run({ steps: 10, stages: { split: 0 } }, () => counts.push(tf.memory().numTensors));
  const ms = (Date.now() - t0) / 10;
  console.log(`# distillation step, tiny shapes, epsilon 1: ${ms.toFixed(1)} ms per step`);
  assert.equal(counts[1], counts[9], `tensors after step 2: ${counts[1]}, after step 10: ${counts[9]}`);
  assert.equal(tf.memory().numTensors, start, 'everything freed after the run');
});

test('the same seed gives the same losses; another seed other losses', () => {
  const a = run({ steps: 3, stages: { split: 0 } });
  const b = run({ steps: 3, stages: { split: 0 } });
  const c = run({ steps: 3, stages: { split: 0 }, seed: 2 });
  assert.deepEqual(a.map((r) => [r.clean, r.perturbed]), b.map((r) => [r.clean, r.perturbed]));
  assert.notDeepEqual(a.map((r) => r.clean.total), c.map((r) => r.clean.total));
});

test('a two-stage run switches its weights at the split and its loss terms appear as specified', () => {
  const results = run({ steps: 6, stages: { split: 0.5, epsilon: 0 } });
  results.forEach((r, step) => {
    const stage1 = step < 3;
    assert.equal(r.weights.stage, stage1 ? 1 : 2, `stage of step ${step}`);
    assert.deepEqual([r.weights.alpha, r.weights.beta, r.weights.gamma], stage1 ? [1, 0, 0] : [1, 1, 3]);
    assert.equal(typeof r.clean.mid, 'number');
    assert.equal(r.clean.midPerLayer!.length, 1);
    assert.equal(r.clean.soft === undefined, stage1, `L_soft at step ${step}`);
    assert.equal(r.clean.hard === undefined, stage1, `L_hard at step ${step}`);
    const expected = stage1 ? r.clean.mid! : r.clean.mid! + r.clean.soft! + 3 * r.clean.hard!;
    assert.ok(Math.abs(r.clean.total - expected) < 1e-5 * Math.max(1, expected), `L_total at step ${step}`);
    assert.equal(r.perturbed, undefined, 'epsilon 0: no perturbed pass');
  });
  // Learning rate: warm-up W = round(0.1 * 6) = 1 step, so step 0 at the peak, then down by 1/5 a step.
  assert.deepEqual(results.map((r) => +r.learningRate.toPrecision(6)), [1e-3, 1e-3, 8e-4, 6e-4, 4e-4, 2e-4]);
});

test('with perturbation both the clean and the perturbed loss are logged, the perturbed one higher', () => {
  const results = run({ steps: 3, stages: { split: 0, epsilon: 0.05 } });
  for (const r of results) {
    assert.ok(r.perturbed, 'perturbed losses are logged');
    assert.ok(r.perturbed.mid !== undefined && r.perturbed.soft !== undefined && r.perturbed.hard !== undefined);
    // A small step along the gradient of L_total increases it.
    assert.ok(r.perturbed.total > r.clean.total, `perturbed ${r.perturbed.total} > clean ${r.clean.total}`);
    assert.ok(r.gradNorm > 0 && Number.isFinite(r.gradNorm));
  }
});

test('the step updates the student and the projections, never the teacher', () => {
  const { d, teacher, student, dispose } = setup({ steps: 2, stages: { split: 0 } });
  const snapshot = (m: Map<string, tf.Variable>) => new Map([...m].map(([k, v]) => [k, Array.from(v.dataSync())]));
  const t0 = snapshot(teacher.namedWeights());
  const s0 = snapshot(student.namedWeights());
  const p0 = snapshot(d.projections.namedWeights());
  const batch = toBatch(makeExamples(4, 3));
  distillationStep(d, batch, { step: 0, dropoutSeed: 5 });
  for (const [k, v] of teacher.namedWeights()) assert.deepEqual(Array.from(v.dataSync()), t0.get(k), `teacher ${k} changed`);
  for (const [k, v] of d.projections.namedWeights()) assert.notDeepEqual(Array.from(v.dataSync()), p0.get(k), `${k} unchanged`);
  const changed = [...student.namedWeights()].filter(([k, v]) => Array.from(v.dataSync()).some((x, i) => x !== s0.get(k)![i]));
  // Every student weight moves (the word embeddings' rows of unused tokens only by weight decay).
  assert.equal(changed.length, student.namedWeights().size);
  disposeBatch(batch);
  dispose();
});

test("the 'mse' baseline runs the same step with L_mid swapped", () => {
  const [r] = run({ steps: 1, stages: { split: 0 }, loss: { intermediate: 'mse' } });
  assert.equal(r.clean.distance, undefined);
  assert.ok(r.clean.mid! > 0 && r.perturbed!.mid! > 0);
});

test('createDistillation checks the models and settings against each other', () => {
  const teacher = new Bert(tinyConfig(2, 32), { seed: 100, trainable: false });
  const student = new Bert(tinyConfig(1, 16), { seed: 1 });
  const three = new Bert(tinyConfig(1, 16, { num_labels: 3 }), { seed: 1 });
  const settings = (loss: Partial<LossConfig>): DistillationSettings => ({
    loss: { ...DEFAULT_LOSS_CONFIG, ...loss }, optim: DEFAULT_OPTIM_CONFIG, stages: DEFAULT_STAGE_CONFIG, totalSteps: 10, seed: 1,
  });
  assert.throws(() => createDistillation(teacher, student, settings({ layerMapping: [3] })), /layer mapping \[3\] names teacher layer 3 but the teacher has 2/);
  assert.throws(() => createDistillation(teacher, three, settings({})), /teacher has num_labels 2 but the student has 3/);
  const d = createDistillation(teacher, student, settings({ layerMapping: [1] }));
  assert.deepEqual(d.mapping, [{ student: 1, teacher: 1 }]);
  assert.deepEqual(d.projections.weights[0].shape, [16, 32]);
  disposeDistillation(d);
  for (const m of [teacher, student, three]) m.dispose();
});
