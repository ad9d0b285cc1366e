// The gradients written out by hand (issue 21: fewer operations per training step) against the ones tfjs
// derives from the forward operations, as the functions computed them before: LayerNorm (x, gamma, beta;
// 2-D and 3-D), GELU and dropout. The same forward values to the bit, the gradients within float32
// rounding (dropout's to the bit), and no leaked tensor.
// Runs on WASM here and on TensorFlow in the native tier (test/native/run.mjs).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { gelu } from '../../../trainer/model/gelu';
import { dropout, layerNorm } from '../../../trainer/model/layers';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';
import { assertClose } from '../losses/reference';

before(() => useBackend('wasm'));

const EPS = 1e-12;

/** The operations of LayerNorm, differentiated by tfjs. */
function autodiffLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

function random(r: SeededRandom, shape: number[], scale = 1, offset = 0): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + (r.next() * 2 - 1) * scale), shape);
}

for (const shape of [[7, 24], [3, 5, 24]]) {
  test(`LayerNorm ${shape.length}-D: forward to the bit, gradients as tfjs derives them`, () => {
    const r = new SeededRandom(shape.length);
    const x = random(r, shape, 3, 0.5);
    const gamma = random(r, [24], 0.5, 1);
    const beta = random(r, [24], 0.2);
    const upstream = random(r, shape); // a weighted sum of the outputs: every output gets its own dy
    const ours = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNorm(a, { gamma: g as tf.Variable, beta: b as tf.Variable }, EPS);
    const theirs = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => autodiffLayerNorm(a, g, b, EPS);
    assert.deepEqual(Array.from(ours(x, gamma, beta).dataSync()), Array.from(theirs(x, gamma, beta).dataSync()));
    const grads = (f: typeof ours) => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), upstream)))([x, gamma, beta]);
    const a = grads(ours);
    const b = grads(theirs);
    ['x', 'gamma', 'beta'].forEach((name, i) => {
      assert.deepEqual(a[i].shape, b[i].shape, name);
      const scale = Math.max(...Array.from(b[i].dataSync(), Math.abs));
      assertClose(a[i].dataSync(), b[i].dataSync(), 2e-6 * scale, 0, `d${name}`);
    });
    const before = tf.memory().numTensors;
    tf.dispose(grads(ours));
    assert.equal(tf.memory().numTensors, before);
  });
}

test('GELU: forward to the bit, gradient as tfjs derives it', () => {
  const r = new SeededRandom(9);
  const x = random(r, [11, 40], 4); // both tails and the middle
  const upstream = random(r, [11, 40]);
  const theirs = (a: tf.Tensor) => tf.mul(tf.mul(a, 0.5), tf.add(1, tf.erf(tf.mul(a, Math.SQRT1_2))));
  assert.deepEqual(Array.from(gelu(x).dataSync()), Array.from(theirs(x).dataSync()));
  const grad = (f: (a: tf.Tensor) => tf.Tensor) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), upstream)))(x);
  const a = grad(gelu);
  const b = grad(theirs);
  assertClose(a.dataSync(), b.dataSync(), 1e-6, 1e-5, 'dGELU');
  const before = tf.memory().numTensors;
  grad(gelu).dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('dropout: the same mask, forward and gradient to the bit', () => {
  const r = new SeededRandom(10);
  const x = random(r, [9, 33]);
  const upstream = random(r, [9, 33]);
  const ours = dropout(x, 0.1, 77);
  // The mask the product applied: where the output is 0 the element was dropped, elsewhere it was scaled.
  const mask = tf.tensor(Float32Array.from(ours.dataSync(), (v) => (v === 0 ? 0 : 1 / 0.9)), x.shape);
  assert.deepEqual(Array.from(ours.dataSync()), Array.from(tf.mul(x, mask).dataSync()));
  const a = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(dropout(v, 0.1, 77), upstream)))(x);
  const b = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mul(v, mask), upstream)))(x);
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  const before = tf.memory().numTensors;
  tf.grad((v: tf.Tensor) => tf.sum(dropout(v, 0.1, 77)))(x).dispose();
  assert.equal(tf.memory().numTensors, before);
});
