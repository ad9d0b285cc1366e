// Why `--preset no-cosnce` stays at the majority class with epsilon 1 (docs/results.md): the gradient
// perturbation E' = E + epsilon * G / |G| (trainer/train/perturbation.ts, per sample) trains on
// L(E') ~ L(E) + epsilon * |dL/dE|, a penalty on how much the loss depends on the input. Near a model
// that ignores its input (a student from scratch on its ln 2 plateau) that penalty is a norm, |w|-like,
// with a kink at 0: its gradient keeps magnitude epsilon * |dL/dlogit| however small the weights are,
// while the loss it adds goes to 0. So the model stays at "ignore the input" unless the data's signal is
// stronger than epsilon, and the perturbed loss is then almost equal to the clean one (as in the runs).
//
// The smallest case: logistic regression on inputs x in R^d whose two classes differ by a mean shift of
// `gap` along one axis (plus unit noise), trained with Adam on the perturbed loss, with the product's
// perturbationStep. Prediction at the plateau (p = 0.5 for every sample): the clean loss's gradient along
// the signal axis is gap / 4; each sample's shift moves its logit by epsilon * |w| the wrong way, which
// adds epsilon * |w| / 2 to the loss, a pull of epsilon / 2 towards w = 0 whatever |w|. So it learns for
// epsilon below about gap / 2 and stays at w = 0 above. Usage: npx tsx experiments/perturbation-dead-zone.ts [gap]
import * as tf from '@tensorflow/tfjs';
import { perturbationStep } from '../trainer/train/perturbation';

const gap = Number(process.argv[2] ?? 0.5);
const D = 16, N = 512, STEPS = 400;

function data(seed: number): { x: tf.Tensor3D; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const y = tf.cast(tf.greater(tf.randomUniform([N], 0, 1, 'float32', seed), 0.5), 'float32') as tf.Tensor1D;
    const shift = tf.mul(tf.sub(tf.mul(y, 2), 1), gap / 2).reshape([N, 1, 1]); // +-gap/2 on axis 0
    const axis0 = tf.oneHot(tf.zeros([N], 'int32'), D).reshape([N, 1, D]);
    const x = tf.add(tf.randomNormal([N, 1, D], 0, 1, 'float32', seed + 1), tf.mul(shift, axis0)) as tf.Tensor3D; // (N, 1, D): one "token" per sample
    return { x, y };
  });
}

function train(epsilon: number): { accuracy: number; weightNorm: number; clean: number; perturbed: number } {
  const { x, y } = data(3);
  const w = tf.variable(tf.zeros([D, 1]));
  const b = tf.variable(tf.zeros([1]));
  const loss = (e: tf.Tensor3D) => tf.losses.sigmoidCrossEntropy(y.reshape([N, 1]), tf.add(tf.matMul(e.reshape([N, D]), w), b)) as tf.Scalar;
  const optimizer = tf.train.adam(0.01);
  let clean = 0, perturbed = 0;
  for (let step = 0; step < STEPS; step++) {
    tf.tidy(() => {
      const g = tf.grad((e: tf.Tensor) => loss(e as tf.Tensor3D))(x) as tf.Tensor3D; // G = dL/dE
      const shifted = epsilon > 0 ? tf.add(x, perturbationStep(g, epsilon)) as tf.Tensor3D : x;
      clean = loss(x).dataSync()[0];
      optimizer.minimize(() => { const l = loss(shifted); perturbed = l.dataSync()[0]; return l; }, false, [w, b]);
    });
  }
  const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.greater(tf.add(tf.matMul(x.reshape([N, D]), w), b).reshape([N]), 0), tf.cast(y, 'bool')), 'float32')).dataSync()[0]);
  const weightNorm = tf.tidy(() => tf.norm(w).dataSync()[0]);
  tf.dispose([x, y, w, b]);
  optimizer.dispose();
  return { accuracy, weightNorm, clean, perturbed };
}

async function main() {
  await tf.setBackend('cpu');
  console.log(`logistic regression, d = ${D}, ${N} samples, class gap ${gap} on one axis, Adam lr 0.01, ${STEPS} steps`);
  console.log('| epsilon | epsilon / gap | train accuracy | norm of w | clean loss | perturbed loss |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const f of [0, 0.25, 0.4, 0.5, 0.6, 0.75, 1, 2]) {
    const epsilon = f * gap;
    const r = train(epsilon);
    console.log(`| ${epsilon.toFixed(3)} | ${f.toFixed(2)} | ${r.accuracy.toFixed(3)} | ${r.weightNorm.toFixed(4)} | ${r.clean.toFixed(4)} | ${r.perturbed.toFixed(4)} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
