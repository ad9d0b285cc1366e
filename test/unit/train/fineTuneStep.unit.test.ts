import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { hardLoss } from '../../../trainer/losses/prediction';
import { Bert } from '../../../trainer/model/bert';
import { AdamW } from '../../../trainer/optim/adamw';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { checkBatch } from '../../../trainer/train/batch';
import { fineTuneStep } from '../../../trainer/train/fineTuneStep';
import { useBackend } from '../helpers/backend';
import { disposeBatch, makeExamples, tinyConfig, toBatch } from './tinyTask';

before(() => useBackend('wasm'));

const schedule = { peak: 5e-3, totalSteps: 20, warmupShare: 0 };

test('a fine-tuning step reports the cross-entropy of the batch before the update and lowers it', () => {
  const model = new Bert(tinyConfig(2, 32), { seed: 4 });
  const opt = new AdamW(model.namedWeights(), DEFAULT_OPTIM_CONFIG);
  const batch = toBatch(makeExamples(8, 9));
  const seed = 17;
  // The loss the step should report, from the same seeded forward pass.
  const expected = tf.tidy(() => hardLoss(model.forward(batch.inputs, { training: true, dropoutSeed: seed }).logits, batch.labels)).dataSync()[0];
  const r = fineTuneStep(model, opt, batch, { step: 0, dropoutSeed: seed, learningRate: schedule, maxGradNorm: 1 });
  assert.ok(Math.abs(r.loss - expected) < 1e-6, `${r.loss} vs ${expected}`);
  assert.equal(r.learningRate, 5e-3);
  assert.ok(r.gradNorm > 0);
  const counts: number[] = [];
  for (let step = 1; step < 10; step++) {
    fineTuneStep(model, opt, batch, { step, dropoutSeed: seed, learningRate: schedule, maxGradNorm: 1 });
    counts.push(tf.memory().numTensors);
  }
  assert.equal(counts[0], counts[8], 'no tensor leaks');
  const after = fineTuneStep(model, opt, batch, { step: 10, dropoutSeed: seed, learningRate: schedule, maxGradNorm: 1 });
  assert.ok(after.loss < 0.5 * r.loss, `loss ${r.loss} -> ${after.loss} on a batch seen 10 times`);
  disposeBatch(batch);
  opt.dispose();
  model.dispose();
});

test('regression (num_labels = 1) fine-tunes on the squared error', () => {
  const model = new Bert(tinyConfig(1, 16, { num_labels: 1 }), { seed: 4 });
  const opt = new AdamW(model.namedWeights(), DEFAULT_OPTIM_CONFIG);
  const batch = toBatch(makeExamples(4, 9));
  const labels = tf.tensor1d([0.5, 1.5, 2.5, 3.5]);
  const scores = tf.tidy(() => model.forward(batch.inputs, { training: true, dropoutSeed: 1 }).logits).dataSync();
  const mse = [0.5, 1.5, 2.5, 3.5].reduce((s, y, i) => s + (scores[i] - y) ** 2, 0) / 4;
  const r = fineTuneStep(model, opt, { inputs: batch.inputs, labels }, { step: 0, dropoutSeed: 1, learningRate: schedule, maxGradNorm: 0 });
  assert.ok(Math.abs(r.loss - mse) < 1e-5 * Math.max(1, mse), `${r.loss} vs ${mse}`);
  disposeBatch(batch);
  opt.dispose();
  model.dispose();
});

test('bad batches are refused with the bad values named', () => {
  const batch = toBatch(makeExamples(2, 9));
  assert.throws(() => checkBatch({ ...batch, labels: tf.tensor1d([0, 2], 'int32') }, 2), /label 2 of example 1 is not a class id in 0..1/);
  assert.throws(() => checkBatch({ ...batch, labels: tf.tensor1d([0, 1, 1], 'int32') }, 2), /labels have shape \[3\] for 2 examples/);
  assert.throws(() => checkBatch({ ...batch, inputs: { ...batch.inputs, attentionMask: tf.ones([2, 3], 'int32') as tf.Tensor2D } }, 2), /attentionMask \[2,3\] differs from inputIds \[2,8\]/);
  checkBatch({ ...batch, labels: tf.tensor1d([0.3, 4.2]) }, 1); // scores: any value
});
