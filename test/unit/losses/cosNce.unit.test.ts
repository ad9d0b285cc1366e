import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cosNce, cosNcePerSample, type CosNceOptions } from '../../../trainer/losses/cosNce';
import { useBackend } from '../helpers/backend';
import { assertClose, cosNceRef, fill, numericGradient, reshape2, reshape3 } from './reference';

before(() => useBackend('wasm'));

// Three samples of one token, d = d' = 2, W = identity, so z^s and z^t are the rows below.
//   teacher t0 = (1,0), t1 = (0,1), t2 = (-1,0); student s0 = (1,0), s1 = (1,1), s2 = (0,1).
// g(s_b, t_k), r = 1/sqrt2:   s0: 0, 1, 2;   s1: 1-r, 1-r, 1+r;   s2: 1, 0, 1.
const r = Math.SQRT1_2;
const inputs = (labels?: number[]) => ({
  studentHidden: tf.tensor3d([[[1, 0]], [[1, 1]], [[0, 1]]]),
  teacherHidden: tf.tensor3d([[[1, 0]], [[0, 1]], [[-1, 0]]]),
  projection: tf.eye(2) as tf.Tensor2D,
  attentionMask: tf.ones([3, 1]) as tf.Tensor2D,
  labels: labels ? tf.tensor1d(labels) : undefined,
});
const all: CosNceOptions = { vectorize: 'flatten', negatives: 'all' };
const differentLabel: CosNceOptions = { vectorize: 'flatten', negatives: 'differentLabel' };

test('COS-NCE with K = B - 1 negatives matches the formula worked by hand', () => {
  // b0: pos 0; negatives t1 (g 1), t2 (g 2): 0 + [(2-1+0) + (2-2+0)] / 4 = 0.25
  // b1: pos 1-r; negatives t0 (1-r), t2 (1+r): (1-r) + [(2-(1-r)+(1-r)) + (2-(1+r)+(1-r))] / 4 = 2 - 1.5r
  // b2: pos 1; negatives t0 (1), t1 (0): 1 + [(2-1+1) + (2-0+1)] / 4 = 2.25
  const expected = [0.25, 2 - 1.5 * r, 2.25];
  const { loss, distance } = cosNcePerSample(inputs(), all);
  assertClose(loss.dataSync(), expected, 1e-5, 0, 'loss');
  assertClose(distance.dataSync(), [0, 1 - r, 1], 1e-5, 0, 'distance');
  const mean = cosNce(inputs(), all);
  assertClose(mean.loss.dataSync(), [(expected[0] + expected[1] + expected[2]) / 3], 1e-5);
});

test("negatives 'differentLabel' keep only samples of another label", () => {
  // labels 0, 0, 1: b0 and b1 have the single negative t2; b2 has t0 and t1.
  // b0: 0 + (2-2+0)/2 = 0;  b1: (1-r) + (2-(1+r)+(1-r))/2 = 2 - 2r;  b2: 2.25 as before.
  const { loss } = cosNcePerSample(inputs([0, 0, 1]), differentLabel);
  assertClose(loss.dataSync(), [0, 2 - 2 * r, 2.25], 1e-5);
});

test('a sample with no negative gets the positive distance alone', () => {
  // Every label equal: K = 0 everywhere, so L_b = g(z^t, z^s) = 0, 1-r, 1.
  const { loss } = cosNcePerSample(inputs([1, 1, 1]), differentLabel);
  assertClose(loss.dataSync(), [0, 1 - r, 1], 1e-5);
  // A batch of one with negatives 'all' likewise: g((1,1),(0,1)) = 1 - r.
  const one = cosNcePerSample({
    studentHidden: tf.tensor3d([[[1, 1]]]), teacherHidden: tf.tensor3d([[[0, 1]]]),
    projection: tf.eye(2) as tf.Tensor2D, attentionMask: tf.ones([1, 1]) as tf.Tensor2D,
  }, all);
  assertClose(one.loss.dataSync(), [1 - r], 1e-5);
});

test("'differentLabel' without labels is an error", () => {
  assert.throws(() => cosNce(inputs(), differentLabel), /needs the batch's labels/);
});

test('the projection is applied to the student before vectorising', () => {
  // W swaps the two coordinates: s0 -> (0,1), s1 -> (1,1), s2 -> (1,0).
  // b0: pos g(t0,(0,1)) = 1; negatives t1 (0), t2 (1): 1 + [(2-0+1) + (2-1+1)] / 4 = 2.25
  // b1: unchanged 2 - 1.5r;  b2: pos g(t2,(1,0)) = 2; negatives t0 (0), t1 (1): 2 + [(2-0+2) + (2-1+2)] / 4 = 3.75
  const x = inputs();
  const { loss } = cosNcePerSample({ ...x, projection: tf.tensor2d([[0, 1], [1, 0]]) }, all);
  assertClose(loss.dataSync(), [2.25, 2 - 1.5 * r, 3.75], 1e-5);
});

test('padding rows do not change the flattened loss; a projection of the wrong shape is an error', () => {
  // Add a second token marked as padding, with junk in student and teacher: the loss stays the same.
  const x = inputs();
  const junk = (t: tf.Tensor3D) => tf.concat([t, tf.fill([3, 1, 2], 9)], 1) as tf.Tensor3D;
  const padded = cosNcePerSample({
    ...x, studentHidden: junk(x.studentHidden), teacherHidden: junk(x.teacherHidden),
    attentionMask: tf.tensor2d([[1, 0], [1, 0], [1, 0]]),
  }, all);
  assertClose(padded.loss.dataSync(), [0.25, 2 - 1.5 * r, 2.25], 1e-5);
  assert.throws(() => cosNce({ ...x, projection: tf.zeros([2, 3]) as tf.Tensor2D }, all), /projection is \[2,3\] but must be \[student hidden 2, teacher hidden 2\]/);
});

// Against the float64 reference on random inputs: B 3, L 2, d 2, d' 3, one padding token.
const B = 3, L = 2, D = 2, DT = 3;
const sFlat = fill(B * L * D, 1);
const wFlat = fill(D * DT, 2);
const tFlat = fill(B * L * DT, 3);
const masks = [[1, 1], [1, 0], [1, 1]];
const labels = [0, 1, 0];

for (const mode of ['flatten', 'cls', 'mean'] as const) {
  for (const negatives of ['all', 'differentLabel'] as const) {
    test(`COS-NCE value and gradients match the float64 reference (${mode}, ${negatives})`, () => {
      const lab = negatives === 'differentLabel' ? labels : undefined;
      const ref = (s: number[], w: number[]) =>
        cosNceRef(reshape3(s, B, L, D), reshape2(w, D, DT), reshape3(tFlat, B, L, DT), masks, mode, lab);
      const teacher = tf.tensor3d(tFlat, [B, L, DT]);
      const mask = tf.tensor2d(masks, undefined, 'int32');
      const labT = tf.tensor1d(labels);
      const f = (s: tf.Tensor, w: tf.Tensor) => cosNce({
        studentHidden: s as tf.Tensor3D, projection: w as tf.Tensor2D, teacherHidden: teacher, attentionMask: mask, labels: labT,
      }, { vectorize: mode, negatives }).loss;
      const s = tf.tensor3d(sFlat, [B, L, D]);
      const w = tf.tensor2d(wFlat, [D, DT]);
      assertClose(f(s, w).dataSync(), [ref(sFlat, wFlat)], 1e-5, 1e-5, 'loss');
      const [gs, gw] = tf.grads(f)([s, w]);
      assertClose(gs.dataSync(), numericGradient((x) => ref(x, wFlat), sFlat), 2e-5, 1e-3, 'dL/dH^s');
      assertClose(gw.dataSync(), numericGradient((x) => ref(sFlat, x), wFlat), 2e-5, 1e-3, 'dL/dW');
    });
  }
}
