import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { perturbationStep } from '../../../trainer/train/perturbation';
import { useBackend } from '../helpers/backend';
import { assertClose } from '../losses/reference';

before(() => useBackend('wasm'));

test('epsilon * G / |G|_2 with the norm taken per sample', () => {
  // Sample 0: G = (3, 0, 0, 4), norm 5; sample 1: G = (1, 1, 1, 1), norm 2; sample 2: zero, stays zero.
  const g = tf.tensor3d([[[3, 0], [0, 4]], [[1, 1], [1, 1]], [[0, 0], [0, 0]]]);
  const d = perturbationStep(g, 2);
  assertClose(d.dataSync(), [1.2, 0, 0, 1.6, 1, 1, 1, 1, 0, 0, 0, 0], 1e-6);
  assert.deepEqual(d.shape, [3, 2, 2]);
  assertClose(perturbationStep(g, 0).dataSync(), new Array(12).fill(0), 0);
  assert.throws(() => perturbationStep(g, -1), /epsilon must be a finite number >= 0, got -1/);
});
