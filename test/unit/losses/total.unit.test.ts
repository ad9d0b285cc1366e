import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DEFAULT_LOSS_CONFIG } from '../../../trainer/losses/config';
import { disposeTotalLoss, lossValues, totalLoss, type TotalLossInputs } from '../../../trainer/losses/total';
import type { BertOutput } from '../../../trainer/model/types';
import { useBackend } from '../helpers/backend';
import { assertClose } from './reference';

before(() => useBackend('wasm'));

// One mapped layer, the COS-NCE example of cosNce.unit.test.ts (per-sample 0.25, 2 - 1.5r, 2.25),
// logits of the prediction example: teacher (0, ln3), student (0, 0), gold class 1.
const r = Math.SQRT1_2;
const mid = (0.25 + 2 - 1.5 * r + 2.25) / 3;
const inputs = (): TotalLossInputs => {
  const student: BertOutput = {
    logits: tf.tensor2d([[0, 0], [0, 0], [0, 0]]),
    hiddenStates: [tf.zeros([3, 1, 2]) as tf.Tensor3D, tf.tensor3d([[[1, 0]], [[1, 1]], [[0, 1]]])],
  };
  const teacher: BertOutput = {
    logits: tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)], [0, Math.log(3)]]),
    hiddenStates: [tf.zeros([3, 1, 2]) as tf.Tensor3D, tf.zeros([3, 1, 2]) as tf.Tensor3D, tf.tensor3d([[[1, 0]], [[0, 1]], [[-1, 0]]])],
  };
  return {
    student, teacher, attentionMask: tf.ones([3, 1]) as tf.Tensor2D, labels: tf.tensor1d([1, 1, 1], 'int32'),
    mapping: [{ student: 1, teacher: 2 }], projections: [tf.eye(2) as tf.Tensor2D],
  };
};
const T = 1.1;
const pt = [1 / (1 + 3 ** (1 / T)), 3 ** (1 / T) / (1 + 3 ** (1 / T))];
const soft = T * T * (pt[0] * Math.log(pt[0] / 0.5) + pt[1] * Math.log(pt[1] / 0.5));
const hard = -Math.log(0.5);

test('L_total = alpha L_mid + beta L_soft + gamma L_hard, each term returned', () => {
  const v = lossValues(totalLoss(inputs(), { alpha: 1, beta: 1, gamma: 3, temperature: T }, DEFAULT_LOSS_CONFIG));
  assertClose([v.mid!, v.soft!, v.hard!], [mid, soft, hard], 1e-5);
  assertClose([v.total], [mid + soft + 3 * hard], 1e-5);
  assertClose(v.midPerLayer!, [mid], 1e-5);
  assertClose(v.distance!, [(0 + 1 - r + 1) / 3], 1e-5);
});

test('a term whose weight is 0 is absent', () => {
  const stage1 = lossValues(totalLoss(inputs(), { alpha: 1, beta: 0, gamma: 0, temperature: T }, DEFAULT_LOSS_CONFIG));
  assert.equal(stage1.soft, undefined);
  assert.equal(stage1.hard, undefined);
  assertClose([stage1.total], [mid], 1e-5);
  const noMid = lossValues(totalLoss(inputs(), { alpha: 0, beta: 2, gamma: 0, temperature: T }, DEFAULT_LOSS_CONFIG));
  assert.equal(noMid.mid, undefined);
  assert.equal(noMid.midPerLayer, undefined);
  assertClose([noMid.total], [2 * soft], 1e-5);
});

test("intermediate 'mse' swaps L_mid for the hidden MSE", () => {
  // Differences student - teacher: (0,0), (1,0), (1,1): squares sum 3 over 3 tokens x 2 dims = 0.5.
  const v = lossValues(totalLoss(inputs(), { alpha: 2, beta: 0, gamma: 0, temperature: T }, { ...DEFAULT_LOSS_CONFIG, intermediate: 'mse' }));
  assertClose([v.mid!, v.total], [0.5, 1], 1e-6);
  assert.equal(v.distance, undefined);
});

test('bad weights are refused with the bad value named', () => {
  assert.throws(() => totalLoss(inputs(), { alpha: 0, beta: 0, gamma: 0, temperature: T }, DEFAULT_LOSS_CONFIG), /all 0/);
  assert.throws(() => totalLoss(inputs(), { alpha: -1, beta: 0, gamma: 0, temperature: T }, DEFAULT_LOSS_CONFIG), /alpha must be a finite number >= 0, got -1/);
  assert.throws(() => totalLoss({ ...inputs(), mapping: [{ student: 2, teacher: 2 }] }, { alpha: 1, beta: 0, gamma: 0, temperature: T }, DEFAULT_LOSS_CONFIG), /student layer 2 is mapped but the student has 1 layers/);
});

test('totalLoss leaks no tensor', () => {
  const x = inputs();
  const before = tf.memory().numTensors;
  const loss = totalLoss(x, { alpha: 1, beta: 1, gamma: 3, temperature: T }, DEFAULT_LOSS_CONFIG);
  const created = tf.memory().numTensors - before;
  // total, mid, soft, hard, one per-layer loss and one distance.
  assert.equal(created, 6);
  disposeTotalLoss(loss);
  assert.equal(tf.memory().numTensors, before);
});
