// The row-copy GatherV2 and the tiled Transpose of the WASM training kernels against the CPU backend, their
// fall-backs to the stock kernels, the gather's gradient and its error for an index out of range.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../../trainer/util/random';
import { maxAbsDiff, onBackend, randomValues } from './compare';
import { useBackend } from '../helpers/backend';

const rng = new SeededRandom(9);

before(async () => {
  await useBackend('wasm');
});

const gathers: [string, number[], number[], number[], number][] = [
  // [what, table shape, indices, indices shape, axis]
  ['rows of a 2-D table, repeats included', [50, 7], [3, 3, 49, 0, 17], [5], 0],
  ['2-D indices (B, L) as the embeddings use them', [40, 6], [1, 2, 3, 39, 38, 0], [2, 3], 0],
  ['rows of a 3-D tensor', [10, 4, 3], [9, 0, 5], [3], 0],
  ['axis 1 (the stock kernel)', [5, 8], [7, 1, 1], [3], 1],
];

for (const [what, shape, ids, idShape, axis] of gathers) {
  test(`GatherV2 on WASM matches CPU: ${what}`, async () => {
    const x = randomValues(rng, tf.util.sizeFromShape(shape));
    const run = () => tf.gather(tf.tensor(x, shape), tf.tensor(ids, idShape, 'int32'), axis);
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.equal(maxAbsDiff(wasm.values, cpu.values), 0);
  });
}

test('GatherV2 on WASM gathers int32 rows exactly', async () => {
  await useBackend('wasm');
  const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32');
  const out = tf.gather(table, tf.tensor1d([2, 0, 2], 'int32'));
  assert.deepEqual(await out.array(), [[5, 6], [1, 2], [5, 6]]);
  assert.equal(out.dtype, 'int32');
  tf.dispose([table, out]);
});

test('GatherV2 on WASM names the bad index and the shape when an index is out of range', async () => {
  await useBackend('wasm');
  const table = tf.zeros([4, 3]);
  const before = tf.memory().numTensors;
  assert.throws(() => tf.gather(table, tf.tensor1d([1, 4], 'int32')), /index 4 at position 1 is outside \[0, 3\].*\[4,3\]/);
  assert.throws(() => tf.gather(table, tf.tensor1d([-1], 'int32')), /index -1 at position 0/);
  table.dispose();
  assert.ok(tf.memory().numTensors <= before + 1, 'the failed gathers leave their outputs behind');
});

test('the gradient of a gather through the fast kernel matches CPU', async () => {
  const x = randomValues(rng, 30 * 5);
  const w = randomValues(rng, 4 * 5);
  const run = () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([2, 7, 2, 29], 'int32')), tf.tensor(w, [4, 5]))))(tf.tensor(x, [30, 5]));
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-6);
});

const transposes: [string, number[], number[]][] = [
  ['a tall matrix (the tiled path)', [700, 400], [1, 0]],
  ['a batch of matrices, last two axes swapped (the tiled path)', [2, 530, 500], [0, 2, 1]],
  ['a small matrix (the stock kernel)', [30, 20], [1, 0]],
  ['another permutation (the stock kernel)', [4, 5, 6, 7], [0, 2, 1, 3]],
];

for (const [what, shape, perm] of transposes) {
  test(`Transpose on WASM matches CPU: ${what}`, async () => {
    const x = randomValues(rng, tf.util.sizeFromShape(shape));
    const run = () => tf.transpose(tf.tensor(x, shape), perm);
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.equal(maxAbsDiff(wasm.values, cpu.values), 0);
  });
}

test('a weight-gradient product (transposed operand) with the tiled Transpose matches CPU', async () => {
  const a = randomValues(rng, 600 * 450);
  const b = randomValues(rng, 600 * 500);
  // a^T b with a (600, 450): the fast BatchMatMul transposes a explicitly, a matrix big enough for the tiled path.
  const run = () => tf.matMul(tf.tensor(a, [600, 450]), tf.tensor(b, [600, 500]), true, false);
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-3, `max diff ${maxAbsDiff(wasm.values, cpu.values)}`);
});
