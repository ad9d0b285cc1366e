import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { hardLoss, softLoss } from '../../../trainer/losses/prediction';
import { useBackend } from '../helpers/backend';
import { assertClose, fill, klRef, numericGradient, reshape2 } from './reference';

before(() => useBackend('wasm'));

test('KL(teacher || student) worked by hand, with and without T^2', () => {
  // Teacher logits (0, ln 3) -> p_t = (1/4, 3/4); student (0, 0) -> p_s = (1/2, 1/2).
  // KL = 1/4 ln(1/2) + 3/4 ln(3/2). A second sample with equal logits adds 0; the batch mean halves it.
  const kl = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
  const t = tf.tensor2d([[0, Math.log(3)], [1, 1]]);
  const s = tf.tensor2d([[0, 0], [2, 2]]);
  assertClose(softLoss(t, s, 1, false).dataSync(), [kl / 2], 1e-6);
  assertClose(softLoss(t, s, 1, true).dataSync(), [kl / 2], 1e-6);
  // T = 2: teacher (0, ln3/2) -> p_t = (1/(1+sqrt3), sqrt3/(1+sqrt3)); the student stays uniform.
  const q = 1 / (1 + Math.sqrt(3));
  const kl2 = q * Math.log(q / 0.5) + (1 - q) * Math.log((1 - q) / 0.5);
  assertClose(softLoss(t, s, 2, false).dataSync(), [kl2 / 2], 1e-6);
  assertClose(softLoss(t, s, 2, true).dataSync(), [(4 * kl2) / 2], 1e-6);
});

test('KL gradient matches the float64 reference', () => {
  const tv = fill(6, 21).map((x) => 3 * x), sv = fill(6, 22).map((x) => 3 * x);
  const teacher = tf.tensor2d(tv, [2, 3]);
  const [gs] = tf.grads((s: tf.Tensor) => softLoss(teacher, s as tf.Tensor2D, 1.1, true))([tf.tensor2d(sv, [2, 3])]);
  const numeric = numericGradient((x) => klRef(reshape2(tv, 2, 3), reshape2(x, 2, 3), 1.1, true), sv);
  assertClose(gs.dataSync(), numeric, 1e-5, 1e-3, 'dKL/ds');
  assert.ok(numeric.some((x) => Math.abs(x) > 0.01));
});

test('cross-entropy against the gold class worked by hand', () => {
  // Logits (0, ln 3): p = (1/4, 3/4). Gold 1 -> -ln(3/4); gold 0 -> -ln(1/4). Mean of both.
  const logits = tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)]]);
  assertClose(hardLoss(logits, tf.tensor1d([1, 0], 'int32')).dataSync(), [(-Math.log(0.75) - Math.log(0.25)) / 2], 1e-6);
});

test('regression (num_labels = 1): both losses are squared errors, T plays no part', () => {
  const student = tf.tensor2d([[1], [3]]);
  const teacher = tf.tensor2d([[2], [1]]);
  // soft: ((1-2)^2 + (3-1)^2) / 2 = 2.5; hard against (0.5, 4): (0.25 + 1) / 2 = 0.625.
  assertClose(softLoss(teacher, student, 1.1, true).dataSync(), [2.5], 1e-6);
  assertClose(hardLoss(student, tf.tensor1d([0.5, 4])).dataSync(), [0.625], 1e-6);
});

test('mismatched shapes and a bad temperature are named in the error', () => {
  assert.throws(() => softLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D, 1), /teacher logits \[2,3\] and student logits \[2,2\] differ/);
  assert.throws(() => softLoss(tf.zeros([2, 2]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D, 0), /temperature must be > 0, got 0/);
  assert.throws(() => hardLoss(tf.zeros([2, 2]) as tf.Tensor2D, tf.tensor1d([0, 1, 1])), /logits have batch 2 but 3 labels/);
});
