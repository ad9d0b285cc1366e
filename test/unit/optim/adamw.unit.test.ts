import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { AdamW, type AdamWConfig } from '../../../trainer/optim/adamw';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { useBackend } from '../helpers/backend';
import { assertClose } from '../losses/reference';

before(() => useBackend('wasm'));

const config: AdamWConfig = { ...DEFAULT_OPTIM_CONFIG, weightDecay: 0.01 };

function setup() {
  const w = tf.variable(tf.tensor1d([1, -2]));
  const ln = tf.variable(tf.tensor1d([1]));
  const bias = tf.variable(tf.tensor1d([1]));
  const idle = tf.variable(tf.tensor1d([5]));
  const params = new Map<string, tf.Variable>([
    ['encoder.dense.weight', w], ['encoder.LayerNorm.weight', ln], ['encoder.dense.bias', bias], ['classifier.weight', idle],
  ]);
  return { w, ln, bias, idle, params, opt: new AdamW(params, config) };
}

test('two AdamW steps match PyTorch AdamW worked by hand, with decoupled weight decay', () => {
  const { w, ln, bias, idle, opt } = setup();
  const lr = 0.1;
  // Step 1, g = (0.5, -1). Decay: p * (1 - 0.1 * 0.01) = (0.999, -1.998).
  // m = 0.1 g = (0.05, -0.1); v = 0.001 g^2 = (0.00025, 0.001); bias corrections 1 - 0.9 = 0.1, 1 - 0.999 = 0.001.
  // Update (lr / 0.1) * m / (sqrt(v) / sqrt(0.001) + 1e-8) = (0.1, -0.1) -> p = (0.899, -1.898).
  opt.applyGradients({ [w.name]: tf.tensor1d([0.5, -1]), [ln.name]: tf.tensor1d([2]), [bias.name]: tf.tensor1d([-3]) }, lr);
  assertClose(w.dataSync(), [0.899, -1.898], 1e-6, 0, 'weight after step 1');
  // No decay for the LayerNorm weight and the bias: 1 - 0.1 * sign(g).
  assertClose(ln.dataSync(), [0.9], 1e-6, 0, 'LayerNorm weight');
  assertClose(bias.dataSync(), [1.1], 1e-6, 0, 'bias');
  // No gradient: untouched, not even decayed.
  assert.deepEqual(Array.from(idle.dataSync()), [5]);

  // Step 2, g = (0.1, 0.2), t = 2.
  const g2 = [0.1, 0.2];
  const m = [0.9 * 0.05 + 0.1 * g2[0], 0.9 * -0.1 + 0.1 * g2[1]];
  const v = [0.999 * 0.00025 + 0.001 * g2[0] ** 2, 0.999 * 0.001 + 0.001 * g2[1] ** 2];
  const bc1 = 1 - 0.9 ** 2, bc2 = 1 - 0.999 ** 2;
  const expected = [0.899, -1.898].map((p, i) => p * (1 - lr * 0.01) - (lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8));
  opt.applyGradients({ [w.name]: tf.tensor1d(g2) }, lr);
  assertClose(w.dataSync(), expected, 1e-6, 0, 'weight after step 2');
  assert.equal(opt.step, 2);
});

test('the no-decay list is configurable', () => {
  const { params, opt } = setup();
  assert.equal(opt.decays('encoder.dense.weight'), true);
  assert.equal(opt.decays('encoder.LayerNorm.weight'), false);
  assert.equal(opt.decays('encoder.dense.bias'), false);
  const all = new AdamW(params, { ...config, noDecay: [] });
  assert.equal(all.decays('encoder.dense.bias'), true);
});

test('exported state resumes exactly where it stopped', () => {
  const a = setup();
  const g1 = () => ({ [a.w.name]: tf.tensor1d([0.3, -0.7]) });
  a.opt.applyGradients(g1(), 0.01);
  const state = a.opt.exportState();
  assert.equal(state.step, 1);
  assert.deepEqual(Object.keys(state.params), ['encoder.dense.weight']);
  assert.equal(state.params['encoder.dense.weight'].step, 1);
  // A fresh optimiser over variables holding the same values, restored from the state.
  const w2 = tf.variable(tf.tensor1d(Array.from(a.w.dataSync())));
  const b = new AdamW(new Map([['encoder.dense.weight', w2]]), config);
  b.importState(state);
  a.opt.applyGradients({ [a.w.name]: tf.tensor1d([-0.2, 0.4]) }, 0.01);
  b.applyGradients({ [w2.name]: tf.tensor1d([-0.2, 0.4]) }, 0.01);
  assert.deepEqual(Array.from(w2.dataSync()), Array.from(a.w.dataSync()));
  assert.equal(b.step, 2);
  const bad = { step: 1, params: { 'encoder.dense.weight': { ...state.params['encoder.dense.weight'], shape: [3] } } };
  assert.throws(() => b.importState(bad), /'encoder.dense.weight' has shape \[3\] but the parameter is \[2\]/);
  assert.throws(() => b.importState({ step: 1, params: { nope: state.params['encoder.dense.weight'] } }), /parameter 'nope' is not one of/);
});

test('the optimiser leaks no tensor across steps and refuses foreign gradients', () => {
  const { w, opt } = setup();
  opt.applyGradients({ [w.name]: tf.tensor1d([1, 1]) }, 0.01);
  const g = tf.tensor1d([1, 1]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) opt.applyGradients({ [w.name]: g }, 0.01);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => opt.applyGradients({ stranger: g }, 0.01), /variable 'stranger', which is not one of the optimiser's parameters/);
  assert.throws(() => opt.applyGradients({ [w.name]: tf.tensor1d([1, 1, 1]) }, 0.01), /has shape \[3\] but the parameter is \[2\]/);
  assert.throws(() => opt.applyGradients({}, -1), /learning rate must be a finite number >= 0, got -1/);
});
