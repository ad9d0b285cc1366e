import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../../trainer/util/random';
import { maxAbsDiff, onBackend, randomValues } from './compare';
import { useBackend } from '../helpers/backend';

const rng = new SeededRandom(7);

// x shapes with 1-D segment ids over the first axis; ids include negatives and ids >= numSegments.
const cases: { shape: number[]; numSegments: number }[] = [
  { shape: [10], numSegments: 4 },
  { shape: [12, 5], numSegments: 7 },
  { shape: [9, 3, 4], numSegments: 3 },
  { shape: [64, 32], numSegments: 50 },
];

for (const { shape, numSegments } of cases) {
  test(`UnsortedSegmentSum on WASM matches CPU for x ${JSON.stringify(shape)}, ${numSegments} segments`, async () => {
    const x = randomValues(rng, tf.util.sizeFromShape(shape));
    const ids = Int32Array.from({ length: shape[0] }, () => Math.floor(rng.next() * (numSegments + 3)) - 1);
    const run = () => tf.unsortedSegmentSum(tf.tensor(x, shape), tf.tensor1d(ids, 'int32'), numSegments);
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-5, `max diff ${maxAbsDiff(wasm.values, cpu.values)}`);
  });
}

test('UnsortedSegmentSum on WASM: int32 values, empty segments are 0, out-of-range ids ignored', async () => {
  const out = await onBackend('wasm', () =>
    tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]], [4, 2], 'int32'), tf.tensor1d([2, -1, 2, 9], 'int32'), 4),
  );
  assert.deepEqual(out.shape, [4, 2]);
  assert.deepEqual(out.values, [0, 0, 0, 0, 6, 8, 0, 0]);
});

test('UnsortedSegmentSum on WASM: 2-D segment ids (a prefix of x shape) as TensorFlow defines them', async () => {
  const x = randomValues(rng, 3 * 4 * 5);
  const ids = Int32Array.from({ length: 12 }, () => Math.floor(rng.next() * 6) - 1);
  const expected = new Array(5 * 5).fill(0);
  for (let i = 0; i < 12; i++) {
    if (ids[i] < 0 || ids[i] >= 5) continue;
    for (let j = 0; j < 5; j++) expected[ids[i] * 5 + j] += x[i * 5 + j];
  }
  const out = await onBackend('wasm', () => {
    const segmentIds: tf.Tensor = tf.tensor(ids, [3, 4], 'int32'); // the op's type says 1-D; TF allows any prefix
    return tf.unsortedSegmentSum(tf.tensor(x, [3, 4, 5]), segmentIds as tf.Tensor1D, 5);
  });
  assert.deepEqual(out.shape, [5, 5]);
  assert.ok(maxAbsDiff(out.values, expected) < 1e-5);
});

test('UnsortedSegmentSum on WASM refuses segment ids whose shape is not a prefix of x', async () => {
  await useBackend('wasm');
  assert.throws(
    () => tf.unsortedSegmentSum(tf.zeros([4, 3]), tf.tensor1d(new Int32Array(3), 'int32'), 2),
    /shape of segmentIds \[3\] must be a prefix of the shape of x \[4,3\]/,
  );
});

test('the gradient of tf.gather (embedding lookup) on WASM matches CPU', async () => {
  const table = randomValues(rng, 20 * 6);
  const ids = Int32Array.from({ length: 2 * 7 }, () => Math.floor(rng.next() * 20));
  const upstream = randomValues(rng, 2 * 7 * 6);
  const run = () =>
    tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.gather(w, tf.tensor2d(ids, [2, 7], 'int32')), tf.tensor3d(upstream, [2, 7, 6]))))(
      tf.tensor2d(table, [20, 6]),
    );
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  assert.deepEqual(wasm.shape, [20, 6]);
  assert.ok(maxAbsDiff(wasm.values, cpu.values) < 1e-5);
});
