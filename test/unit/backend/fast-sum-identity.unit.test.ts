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

test('Sum over leading axes on WASM equals the XNNPACK product ones(1, N) x (N, H) bit for bit', async () => {
  // The kernel computed the sum as that product before; training runs keep their numbers only if the
  // column sums round the same way. Wide value ranges make any change of order visible.
  await useBackend('wasm');
  const shapes: number[][] = [[1024, 128], [1024, 512], [2048, 13], [300, 61], [16, 64, 40], [20000, 1]];
  for (const shape of shapes) {
    const x = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => (rng.next() - 0.5) * Math.exp(12 * (rng.next() - 0.5)));
    const t = tf.tensor(x, shape);
    const rows = shape[0] * (shape.length === 3 ? shape[1] : 1);
    const axes = shape.length === 3 ? [0, 1] : 0;
    const sum = tf.sum(t, axes);
    const product = tf.matMul(tf.ones([1, rows]), t.reshape([rows, shape[shape.length - 1]]));
    const a = sum.dataSync();
    const b = product.dataSync();
    assert.equal(a.length, b.length);
    const differing = a.filter((v, i) => !Object.is(v, b[i])).length;
    assert.equal(differing, 0, `${JSON.stringify(shape)}: ${differing} of ${a.length} column sums differ`);
    tf.dispose([t, sum, product]);
  }
});

test('sumRows adds each column in row order in float32, NaN and infinities included', async () => {
  const { sumRows } = await import('../../../trainer/backend/kernels/fast-sum');
  const x = Float32Array.from([1e8, 1, NaN, Infinity, -0, 1, 3, -Infinity, -1e8, 1, 0, 5, -0, 2, 1, 1, 0, 0, 0, 0]);
  const out = new Float32Array(10);
  sumRows(x, 2, 10, out);
  // rows [1e8, 1, NaN, Inf, -0, 1, 3, -Inf, -1e8, 1] and [0, 5, -0, 2, 1, 1, 0, 0, 0, 0]
  assert.deepEqual(Array.from(out), [1e8, 6, NaN, Infinity, 1, 2, 3, -Infinity, -1e8, 1]);
  const zeros = new Float32Array(1);
  sumRows(Float32Array.from([-0, -0]), 2, 1, zeros);
  assert.ok(Object.is(zeros[0], 0), 'sums start from +0, as the product does');
  const rounding = Float32Array.from([1, 2 ** -24, 2 ** -24]);
  const one = new Float32Array(1);
  sumRows(rounding, 3, 1, one);
  assert.equal(one[0], 1, 'each addition rounds to float32 (1 + 2^-24 is 1 in float32)');
});
