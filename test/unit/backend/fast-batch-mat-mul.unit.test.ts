import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../../trainer/util/random';
import { maxAbsDiff, onBackend, randomValues } from './compare';
import { useBackend } from '../helpers/backend';

const rng = new SeededRandom(11);

// [shape of a, shape of b] before the transpose flags are applied to the last two axes.
const shapes: [number[], number[]][] = [
  [[40, 30], [30, 50]], // one 2-D product (both flags: computed as (B^T A^T)^T)
  [[120, 200], [200, 20]], // a weight gradient's shape: tA alone is also computed as (B^T A^T)^T
  [[3, 4], [4, 5]], // below the XNNPACK threshold: the stock kernel
  [[4, 33, 30], [30, 40]], // batch x shared matrix (dense layer on (B, L, H))
  [[30, 33], [5, 33, 40]], // shared matrix x batch
  [[2, 3, 33, 26], [2, 3, 26, 33]], // attention scores (B, heads, L, d) x (B, heads, d, L)
  [[6, 33, 33], [6, 33, 26]], // probabilities x values
  [[2, 1, 20, 30], [1, 3, 30, 20]], // general broadcasting: the stock kernel
];

function transposed(shape: number[], flag: boolean): number[] {
  if (!flag) return shape;
  const s = shape.slice();
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]];
  return s;
}

for (const [shapeA, shapeB] of shapes) {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    const name = `BatchMatMul on WASM matches CPU: a ${JSON.stringify(shapeA)} b ${JSON.stringify(shapeB)} tA=${ta} tB=${tb}`;
    test(name, async () => {
      const sa = transposed(shapeA, ta);
      const sb = transposed(shapeB, tb);
      const a = randomValues(rng, tf.util.sizeFromShape(sa));
      const b = randomValues(rng, tf.util.sizeFromShape(sb));
      const run = () => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb);
      const cpu = await onBackend('cpu', run);
      const wasm = await onBackend('wasm', run);
      assert.deepEqual(wasm.shape, cpu.shape);
      assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-4, `max diff ${maxAbsDiff(wasm.values, cpu.values)}`);
    });
  }
}

test('BatchMatMul on WASM frees every temporary it makes', async () => {
  await useBackend('wasm');
  const a = tf.randomNormal([3, 40, 30]);
  const b = tf.randomNormal([3, 50, 30]);
  const c = tf.randomNormal([40, 20]);
  const before = tf.engine().backend.numDataIds();
  tf.matMul(a, b, false, true).dispose();
  tf.matMul(a, c, true, false).dispose();
  assert.equal(tf.engine().backend.numDataIds(), before);
  tf.dispose([a, b, c]);
});

// (tfjs-core's BatchMatMul gradient does not reduce broadcast batch axes, on any backend: both
// operands here have the same batch.)
test('the gradient of a batched matMul on WASM matches CPU (both operands)', async () => {
  const a = randomValues(rng, 2 * 33 * 30);
  const b = randomValues(rng, 2 * 30 * 40);
  const run = () =>
    tf.tidy(() => {
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([
        tf.tensor3d(a, [2, 33, 30]),
        tf.tensor3d(b, [2, 30, 40]),
      ]);
      return tf.concat([ga.flatten(), gb.flatten()]);
    });
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-3, `max diff ${maxAbsDiff(wasm.values, cpu.values)}`);
});
