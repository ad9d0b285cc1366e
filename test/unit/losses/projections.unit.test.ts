import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { projectHidden, Projections } from '../../../trainer/losses/projections';
import { useBackend } from '../helpers/backend';
import { assertClose } from './reference';

before(() => useBackend('wasm'));

test('projections are named, shaped (d, d\'), trainable and seeded', () => {
  const a = new Projections({ count: 3, studentHidden: 4, teacherHidden: 6, seed: 7 });
  const b = new Projections({ count: 3, studentHidden: 4, teacherHidden: 6, seed: 7 });
  const c = new Projections({ count: 3, studentHidden: 4, teacherHidden: 6, seed: 8 });
  assert.deepEqual([...a.namedWeights().keys()], ['projection.0.weight', 'projection.1.weight', 'projection.2.weight']);
  for (const w of a.trainableVariables) {
    assert.deepEqual(w.shape, [4, 6]);
    assert.equal(w.trainable, true);
  }
  assert.deepEqual(Array.from(a.weights[1].dataSync()), Array.from(b.weights[1].dataSync()));
  assert.notDeepEqual(Array.from(a.weights[1].dataSync()), Array.from(c.weights[1].dataSync()));
  assert.notDeepEqual(Array.from(a.weights[0].dataSync()), Array.from(a.weights[1].dataSync()));
  // Normal init with std 0.02: 24 values, all well inside 6 std.
  const values = Array.from(a.weights[0].dataSync());
  assert.ok(values.every((v) => Math.abs(v) < 0.12) && values.some((v) => v !== 0));
  for (const p of [a, b, c]) p.dispose();
  assert.throws(() => new Projections({ count: 0, studentHidden: 4, teacherHidden: 6, seed: 1 }), /count must be a positive integer, got 0/);
});

test('projectHidden computes H W per token', () => {
  // H (1, 2, 2) = [[1, 2], [3, 4]], W (2, 3) = [[1, 0, 1], [0, 1, 1]]: rows (1, 2, 3) and (3, 4, 7).
  const out = projectHidden(tf.tensor3d([[[1, 2], [3, 4]]]), tf.tensor2d([[1, 0, 1], [0, 1, 1]]));
  assert.deepEqual(out.shape, [1, 2, 3]);
  assertClose(out.dataSync(), [1, 2, 3, 3, 4, 7], 1e-6);
  assert.throws(() => projectHidden(tf.zeros([1, 2, 3]) as tf.Tensor3D, tf.zeros([2, 3]) as tf.Tensor2D), /expected first size 3/);
});
