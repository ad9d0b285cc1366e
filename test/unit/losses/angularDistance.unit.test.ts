import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { angularDistance, pairwiseAngularDistance } from '../../../trainer/losses/angularDistance';
import { useBackend } from '../helpers/backend';
import { assertClose } from './reference';

before(() => useBackend('wasm'));

const g = (x: number[], y: number[]): number => {
  const out = angularDistance(tf.tensor1d(x), tf.tensor1d(y));
  const v = out.dataSync()[0];
  out.dispose();
  return v;
};

test('g is 0 for the same direction, 1 for orthogonal, 2 for opposite vectors', () => {
  assert.ok(Math.abs(g([1, 2, 2], [2, 4, 4]) - 0) < 1e-6);
  assert.ok(Math.abs(g([1, 0], [0, 3]) - 1) < 1e-6);
  assert.ok(Math.abs(g([1, 2], [-2, -4]) - 2) < 1e-6);
});

test('g of two general vectors matches 1 - x.y / (|x||y|) worked by hand', () => {
  // x = (1, 2, 2), y = (2, 1, 2): x.y = 2 + 2 + 4 = 8, |x| = |y| = 3, cos = 8/9, g = 1/9.
  assert.ok(Math.abs(g([1, 2, 2], [2, 1, 2]) - 1 / 9) < 1e-6);
});

test('g of a zero vector is 1 (no NaN) and its gradient is finite', () => {
  assert.equal(g([0, 0, 0], [1, 2, 2]), 1);
  assert.equal(g([0, 0, 0], [0, 0, 0]), 1);
  const y = tf.tensor1d([1, 2, 2]);
  const [dx, dy] = tf.grads((a: tf.Tensor, b: tf.Tensor) => angularDistance(a, b))([tf.zeros([3]), y]);
  // d g / dx at x = 0 is -y / (eps |y|) with eps = 1e-6 and |y| = 3: (-1, -2, -2) / 3e-6.
  assertClose(dx.dataSync(), [-1 / 3e-6, -2 / 3e-6, -2 / 3e-6], 0, 1e-4, 'dg/dx');
  assertClose(dy.dataSync(), [0, 0, 0], 1e-12, 0, 'dg/dy');
  const [d0] = tf.grads((a: tf.Tensor) => angularDistance(a, tf.zeros([3])))([tf.zeros([3])]);
  assert.ok(Array.from(d0.dataSync()).every(Number.isFinite));
});

test('g works along the last axis of batched tensors', () => {
  const x = tf.tensor2d([[1, 0], [1, 1]]);
  const y = tf.tensor2d([[0, 1], [2, 2]]);
  assertClose(angularDistance(x, y).dataSync(), [1, 0], 1e-6);
  assert.throws(() => angularDistance(x, tf.zeros([2, 3])), /shapes differ, x is \[2,2\] and y is \[2,3\]/);
});

test('pairwise g: entry [p][q] = g(a_p, b_q)', () => {
  const a = tf.tensor2d([[1, 0], [0, 2]]);
  const b = tf.tensor2d([[3, 0], [-1, 0], [1, 1]]);
  const r = Math.SQRT1_2;
  // a_0 = (1,0): with (3,0) same, with (-1,0) opposite, with (1,1) cos = 1/sqrt2.
  // a_1 = (0,2): orthogonal, orthogonal, cos = 1/sqrt2.
  assertClose(pairwiseAngularDistance(a, b).dataSync(), [0, 2, 1 - r, 1, 1, 1 - r], 1e-6);
});
