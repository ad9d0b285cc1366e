import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { clipByGlobalNorm, globalNorm } from '../../../trainer/optim/clip';
import { useBackend } from '../helpers/backend';
import { assertClose } from '../losses/reference';

before(() => useBackend('wasm'));

// a = (3, 4) has norm 5, b = (12) norm 12: the global norm is sqrt(25 + 144) = 13.
const grads = () => ({ a: tf.tensor1d([3, 4]), b: tf.tensor2d([[12]]) });

test('global norm over all gradients', () => {
  assertClose([globalNorm(grads())], [13], 1e-5);
  assert.equal(globalNorm({}), 0);
});

test('gradients above the limit are scaled by maxNorm / (norm + 1e-6)', () => {
  const { grads: out, norm } = clipByGlobalNorm(grads(), 1);
  assertClose([norm], [13], 1e-5);
  const s = 1 / (13 + 1e-6);
  assertClose(out.a.dataSync(), [3 * s, 4 * s], 1e-7);
  assertClose(out.b.dataSync(), [12 * s], 1e-7);
  assertClose([globalNorm(out)], [1], 1e-5);
  assert.deepEqual(out.b.shape, [1, 1]);
});

test('below the limit, or with clipping off, the gradients are unchanged copies', () => {
  for (const max of [20, 0, Infinity]) {
    const input = grads();
    const { grads: out, norm } = clipByGlobalNorm(input, max);
    assertClose([norm], [13], 1e-5);
    assert.deepEqual(Array.from(out.a.dataSync()), [3, 4]);
    assert.notEqual(out.a, input.a);
  }
  assert.throws(() => clipByGlobalNorm(grads(), -1), /maxGradNorm must be >= 0 \(0 = no clipping\), got -1/);
});

test('clipping leaks no tensor beyond its outputs', () => {
  const input = grads();
  const before = tf.memory().numTensors;
  const { grads: out } = clipByGlobalNorm(input, 1);
  assert.equal(tf.memory().numTensors, before + 2);
  tf.dispose(Object.values(out));
});
