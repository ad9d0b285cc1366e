// Query, key and value as one product (the TensorFlow backend's default) or as three (WASM's): the same
// scores and values, and the same gradients, within float32 rounding of the sums in another order; the
// default follows the backend. Runs on WASM here and on TensorFlow in the native tier (test/native/run.mjs).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { fusedQkvDefault, scoresAndValues } from '../../../trainer/model/attention';
import type { LayerWeights } from '../../../trainer/model/weights';
import { SeededRandom } from '../../../trainer/util/random';
import { testBackend, useBackend } from '../helpers/backend';
import { assertClose } from '../losses/reference';

before(() => useBackend('wasm'));

const [B, L, heads, size] = [2, 5, 3, 4];
const H = heads * size;

function random(r: SeededRandom, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.next() * 2 - 1), shape);
}

test('one product or three: the same scores, values and gradients; the default is one product on TensorFlow only', () => {
  assert.equal(fusedQkvDefault(), testBackend() === 'tensorflow');
  const r = new SeededRandom(3);
  const x = random(r, [B * L, H]) as tf.Tensor2D;
  const dense = () => ({ kernel: random(r, [H, H]), bias: random(r, [H]) });
  const w = { query: dense(), key: dense(), value: dense() } as unknown as LayerWeights;
  const before = tf.memory().numTensors;
  const run = (fused: boolean) => {
    const f = (xi: tf.Tensor, qk: tf.Tensor, vk: tf.Tensor) => {
      const ww = { ...w, query: { ...w.query, kernel: qk }, value: { ...w.value, kernel: vk } } as LayerWeights;
      const { scores, v } = scoresAndValues(ww, xi as tf.Tensor2D, [B, L, heads, size], fused);
      return tf.add(tf.sum(tf.square(scores)), tf.sum(tf.mul(v, tf.range(0, size).reshape([1, 1, 1, size]))));
    };
    const { scores, v } = scoresAndValues(w, x, [B, L, heads, size], fused);
    const grads = tf.grads(f)([x, w.query.kernel, w.value.kernel]);
    const out = { scores: scores.arraySync(), v: v.arraySync(), grads: grads.map((g) => Array.from(g.dataSync())) };
    tf.dispose([scores, v, ...grads]);
    return out;
  };
  const one = run(true);
  const three = run(false);
  const dims = (a: unknown): number[] => (Array.isArray(a) ? [a.length, ...dims(a[0])] : []);
  assert.deepEqual([dims(one.scores), dims(one.v)], [[B, heads, L, L], [B, heads, L, size]]);
  assertClose(one.scores.flat(3) as number[], three.scores.flat(3) as number[], 1e-5, 1e-5, 'scores');
  assertClose(one.v.flat(3) as number[], three.v.flat(3) as number[], 1e-6, 1e-6, 'values');
  one.grads.forEach((g, i) => assertClose(g, three.grads[i], 1e-4, 1e-4, `gradient ${i}`));
  assert.equal(tf.memory().numTensors, before, 'nothing leaked');
});
