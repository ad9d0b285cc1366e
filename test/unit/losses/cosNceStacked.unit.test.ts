// L_mid with COS-NCE computes all mapped layers at once, stacked on a leading axis (issue 21: fewer
// operations per step). Checked against the layer-by-layer loop it replaced (cosNce per layer, addN):
// the loss, each layer's loss and distance, and the gradients with respect to the student's hidden states
// and the projections, for every vectorize mode and both negative selections, with padding.
// Runs on WASM here and on TensorFlow in the native tier (test/native/run.mjs).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { cosNce, cosNceStacked, type CosNceOptions } from '../../../trainer/losses/cosNce';
import { intermediateLoss, type IntermediateInputs } from '../../../trainer/losses/intermediate';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';
import { assertClose } from './reference';

before(() => useBackend('wasm'));

const B = 5;
const L = 4;
const D_S = 6;
const D_T = 8;

function random(r: SeededRandom, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.next() * 2 - 1), shape);
}

/** A student of 3 layers, a teacher of 6, three mapped layers, padding in two samples. */
function inputs(seed: number): IntermediateInputs {
  const r = new SeededRandom(seed);
  return {
    studentHidden: Array.from({ length: 4 }, () => random(r, [B, L, D_S]) as tf.Tensor3D),
    teacherHidden: Array.from({ length: 7 }, () => random(r, [B, L, D_T]) as tf.Tensor3D),
    mapping: [{ student: 1, teacher: 2 }, { student: 2, teacher: 4 }, { student: 3, teacher: 6 }],
    projections: Array.from({ length: 3 }, () => random(r, [D_S, D_T]) as tf.Tensor2D),
    attentionMask: tf.tensor2d([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [1, 1, 1, 1]]),
    labels: tf.tensor1d([0, 1, 1, 0, 2], 'int32'),
  };
}

/** L_mid layer by layer, as intermediateLoss computed it before. */
function layerByLayer(x: IntermediateInputs, options: CosNceOptions) {
  return tf.tidy(() => {
    const layers = x.mapping.map(({ student, teacher }, k) => cosNce(
      { studentHidden: x.studentHidden[student], projection: x.projections[k], teacherHidden: x.teacherHidden[teacher], attentionMask: x.attentionMask, labels: x.labels },
      options,
    ));
    return { total: tf.addN(layers.map((l) => l.loss)) as tf.Scalar, perLayer: layers.map((l) => l.loss), distance: layers.map((l) => l.distance) };
  });
}

/** The loss and its gradients with respect to the student's mapped hidden states and the projections. */
function withGradients(x: IntermediateInputs, f: (x: IntermediateInputs) => tf.Scalar) {
  const mapped = x.mapping.map(({ student }) => x.studentHidden[student]);
  const n = mapped.length;
  const { value, grads } = tf.valueAndGrads((...args: tf.Tensor[]) => {
    const studentHidden = x.studentHidden.slice();
    x.mapping.forEach(({ student }, k) => { studentHidden[student] = args[k] as tf.Tensor3D; });
    return f({ ...x, studentHidden, projections: args.slice(n) as tf.Tensor2D[] });
  })([...mapped, ...x.projections]);
  return { value: value.dataSync()[0], grads: grads.map((g) => Array.from(g.dataSync())) };
}

for (const vectorize of ['flatten', 'cls', 'mean'] as const) {
  for (const negatives of ['all', 'differentLabel'] as const) {
    test(`stacked COS-NCE = layer by layer (${vectorize}, ${negatives}): loss, layers, distances, gradients`, () => {
      const options: CosNceOptions = { vectorize, negatives };
      const x = inputs(vectorize.length * 10 + negatives.length);
      const stacked = intermediateLoss('cosnce', x, options);
      const loop = layerByLayer(x, options);
      assertClose(stacked.total.dataSync(), loop.total.dataSync(), 0, 1e-6, 'L_mid');
      assert.equal(stacked.perLayer.length, 3);
      stacked.perLayer.forEach((l, k) => assertClose(l.dataSync(), loop.perLayer[k].dataSync(), 0, 1e-6, `layer ${k}`));
      stacked.distance!.forEach((l, k) => assertClose(l.dataSync(), loop.distance[k].dataSync(), 0, 1e-6, `distance ${k}`));
      assert.deepEqual(stacked.perLayer.map((t) => t.rank), [0, 0, 0]);
      const a = withGradients(x, (y) => intermediateLoss('cosnce', y, options).total);
      const b = withGradients(x, (y) => layerByLayer(y, options).total);
      assertClose([a.value], [b.value], 0, 1e-6, 'value');
      a.grads.forEach((g, i) => assertClose(g, b.grads[i], 1e-6, 1e-5, `gradient ${i}`));
    });
  }
}

test('stacked COS-NCE on its own: (M) losses and distances, the shapes checked, no leak', () => {
  const x = inputs(3);
  const options: CosNceOptions = { vectorize: 'flatten', negatives: 'all' };
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const r = cosNceStacked({
      studentHidden: tf.stack(x.studentHidden.slice(1)) as tf.Tensor4D,
      projection: tf.stack(x.projections as tf.Tensor2D[]) as tf.Tensor3D,
      teacherHidden: tf.stack([2, 4, 6].map((i) => x.teacherHidden[i])) as tf.Tensor4D,
      attentionMask: x.attentionMask,
    }, options);
    return [Array.from(r.loss.dataSync()), r.loss.shape, r.distance.shape];
  });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(out[1], [3]);
  assert.deepEqual(out[2], [3]);
  assert.throws(() => cosNceStacked({
    studentHidden: tf.stack(x.studentHidden.slice(1)) as tf.Tensor4D,
    projection: tf.stack(x.projections.slice(1) as tf.Tensor2D[]) as tf.Tensor3D,
    teacherHidden: tf.stack([2, 4, 6].map((i) => x.teacherHidden[i])) as tf.Tensor4D,
    attentionMask: x.attentionMask,
  }, options), /COS-NCE: projection is \[2,6,8\] but must be \[student hidden 6, teacher hidden 8\]/);
});
