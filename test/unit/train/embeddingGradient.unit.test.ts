// G = dL_total/dE, the direction of the gradient perturbation, checked by finite differences of L_total
// computed straight from the model's forward pass and the loss (independently of the step's gradient code).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DEFAULT_LOSS_CONFIG } from '../../../trainer/losses/config';
import { totalLoss } from '../../../trainer/losses/total';
import { Bert } from '../../../trainer/model/bert';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { createDistillation, disposeDistillation } from '../../../trainer/train/distillation';
import { embeddingGradient, teacherForward } from '../../../trainer/train/distillStep';
import { DEFAULT_STAGE_CONFIG } from '../../../trainer/train/stages';
import { useBackend } from '../helpers/backend';
import { disposeBatch, makeExamples, tinyConfig, toBatch } from './tinyTask';

before(() => useBackend('wasm'));

test('G is the gradient of L_total with respect to the embedding output', () => {
  const teacher = new Bert(tinyConfig(2, 32), { seed: 100, trainable: false });
  const student = new Bert(tinyConfig(1, 16), { seed: 3 });
  const d = createDistillation(teacher, student, {
    loss: DEFAULT_LOSS_CONFIG, optim: DEFAULT_OPTIM_CONFIG, stages: { ...DEFAULT_STAGE_CONFIG, split: 0 }, totalSteps: 10, seed: 3,
  });
  const batch = toBatch(makeExamples(4, 11));
  const seed = 42;
  const weights = d.stages.weightsAt(0); // stage 2: 1:1:3, all three terms
  const t = teacherForward(d, batch.inputs);
  const { gradient, clean } = embeddingGradient(d, batch, t, weights, seed);
  const e = student.embed(batch.inputs, true, seed); // (B, L, H), the same dropout as the step's
  const L = (x: tf.Tensor3D): number => tf.tidy(() => totalLoss({
    student: student.forward(batch.inputs, { training: true, embeddingOutput: x, dropoutSeed: seed }), teacher: t,
    attentionMask: batch.inputs.attentionMask, labels: batch.labels, mapping: d.mapping, projections: d.projections.weights,
  }, weights, d.loss).total).dataSync()[0];
  const shifted = (direction: tf.Tensor, h: number) => tf.tidy(() => tf.add(e, tf.mul(direction, h)) as tf.Tensor3D);

  const l0 = L(e);
  assert.ok(Math.abs(l0 - clean.total) < 1e-6 * Math.max(1, l0), `L(E) ${l0} equals the logged clean loss ${clean.total}`);

  // Along u = G / |G|: L(E + h u) > L(E) for small h, and the directional derivative equals |G|.
  const g = Array.from(gradient.dataSync());
  const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  const u = tf.div(gradient, norm);
  for (const h of [1e-2, 1e-1]) assert.ok(L(shifted(u, h)) > l0, `L(E + ${h} u) > L(E)`);
  assert.ok(L(shifted(u, -1e-2)) < l0, 'L(E - h u) < L(E)');
  const h = 1e-2;
  const directional = (L(shifted(u, h)) - L(shifted(u, -h))) / (2 * h);
  assert.ok(Math.abs(directional - norm) < 0.005 * norm, `directional derivative ${directional} vs |G| ${norm}`);

  // The four largest components of G, one at a time: central differences in float32 with h = 1e-2.
  const largest = g.map((x, i) => [Math.abs(x), i]).sort((a, b) => b[0] - a[0]).slice(0, 4).map(([, i]) => i);
  for (const i of largest) {
    const unit = tf.oneHot(tf.tensor1d([i], 'int32'), g.length).reshape(e.shape);
    const numeric = (L(shifted(unit, h)) - L(shifted(unit, -h))) / (2 * h);
    assert.ok(Math.abs(numeric - g[i]) < 0.01 * Math.abs(g[i]) + 1e-5, `G[${i}] = ${g[i]}, finite difference ${numeric}`);
  }
  disposeBatch(batch);
  disposeDistillation(d);
  teacher.dispose();
  student.dispose();
});
