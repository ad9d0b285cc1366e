import * as tf from '@tensorflow/tfjs';
import { before, test } from 'node:test';
import { hiddenMse } from '../../../trainer/losses/hiddenMse';
import { useBackend } from '../helpers/backend';
import { assertClose, fill, hiddenMseRef, numericGradient, reshape2, reshape3 } from './reference';

before(() => useBackend('wasm'));

test('hidden MSE averages over unmasked tokens and dimensions only', () => {
  // W = identity, 2 samples of 2 tokens, d = 2; sample 1's second token is padding (its junk is ignored).
  // Differences: sample 0 token 0 (1, -1), token 1 (2, 0); sample 1 token 0 (0, 3).
  // Squares 1 + 1 + 4 + 0 + 0 + 9 = 15 over 3 tokens x 2 dims = 6 values: 2.5.
  const student = tf.tensor3d([[[1, 0], [2, 2]], [[5, 5], [100, -100]]]);
  const teacher = tf.tensor3d([[[0, 1], [0, 2]], [[5, 2], [0, 0]]]);
  const loss = hiddenMse(student, tf.eye(2) as tf.Tensor2D, teacher, tf.tensor2d([[1, 1], [1, 0]]));
  assertClose(loss.dataSync(), [2.5], 1e-6);
});

test('hidden MSE value and gradients match the float64 reference', () => {
  const B = 2, L = 3, D = 2, DT = 3;
  const s = fill(B * L * D, 11), w = fill(D * DT, 12), t = fill(B * L * DT, 13);
  const masks = [[1, 1, 0], [1, 1, 1]];
  const ref = (sv: number[], wv: number[]) => hiddenMseRef(reshape3(sv, B, L, D), reshape2(wv, D, DT), reshape3(t, B, L, DT), masks);
  const teacher = tf.tensor3d(t, [B, L, DT]);
  const mask = tf.tensor2d(masks);
  const f = (a: tf.Tensor, b: tf.Tensor) => hiddenMse(a as tf.Tensor3D, b as tf.Tensor2D, teacher, mask);
  const st = tf.tensor3d(s, [B, L, D]), wt = tf.tensor2d(w, [D, DT]);
  assertClose(f(st, wt).dataSync(), [ref(s, w)], 1e-6, 1e-5, 'loss');
  const [gs, gw] = tf.grads(f)([st, wt]);
  assertClose(gs.dataSync(), numericGradient((x) => ref(x, w), s), 1e-5, 1e-3, 'dL/dH^s');
  assertClose(gw.dataSync(), numericGradient((x) => ref(s, x), w), 1e-5, 1e-3, 'dL/dW');
});
