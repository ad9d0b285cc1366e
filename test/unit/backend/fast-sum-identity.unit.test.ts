import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../../trainer/util/random';
import { maxAbsDiff, onBackend, randomValues } from './compare';
import { useBackend } from '../helpers/backend';

const rng = new SeededRandom(5);

// [shape, axis, keepDims]: leading axes of large inputs take the XNNPACK path, the rest the stock kernel.
const cases: [number[], number | number[], boolean][] = [
  [[2048, 40], 0, false],
  [[2048, 40], -2, true],
  [[16, 64, 40], [0, 1], false],
  [[16, 64, 40], [1, 0], true],
  [[16, 64, 40], 0, false],
  [[16, 64, 40], [0, 2], false],
  [[16, 64, 40], -1, true],
  [[300, 30], 0, false],
  [[7, 5], 0, false],
];

for (const [shape, axis, keepDims] of cases) {
  test(`Sum on WASM matches CPU: ${JSON.stringify(shape)} axis ${JSON.stringify(axis)} keepDims ${keepDims}`, async () => {
    const x = randomValues(rng, tf.util.sizeFromShape(shape));
    const run = () => tf.sum(tf.tensor(x, shape), axis, keepDims);
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-3, `max diff ${maxAbsDiff(wasm.values, cpu.values)}`);
  });
}

test('Sum on WASM over the same tensor split two ways gives both right answers', async () => {
  // XNNPACK caches packed operands by tensor id; the fast Sum must not reuse one shape for another.
  const x = randomValues(rng, 16 * 64 * 40);
  const run = () => {
    const t = tf.tensor(x, [16, 64, 40]);
    return tf.concat([tf.sum(t, 0).flatten(), tf.sum(t, [0, 1]).flatten()]);
  };
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-3);
});

test('Identity on WASM shares memory safely: the clone outlives its source and frees once', async () => {
  await useBackend('wasm');
  const before = tf.engine().backend.numDataIds();
  const a = tf.tensor([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose();
  assert.deepEqual(Array.from(await b.data()), [1, 2, 3]);
  b.dispose();
  assert.equal(tf.engine().backend.numDataIds(), before);
});

test('Sum and BatchMatMul on WASM leave no temporaries behind', async () => {
  await useBackend('wasm');
  const x = tf.randomNormal([2048, 40]);
  const before = tf.engine().backend.numDataIds();
  tf.sum(x, 0).dispose();
  tf.sum(x, 0, true).dispose();
  assert.equal(tf.engine().backend.numDataIds(), before);
  x.dispose();
});
