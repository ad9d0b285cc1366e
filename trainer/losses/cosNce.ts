// COS-NCE for one mapped layer and a batch (LRC-BERT, docs/lrc-bert.md). For sample b:
//   z^s = vec(H_i^s W_i)_b, z^t = vec(H_phi(i)^t)_b, negatives n_k = vec(H_phi(i)^t)_k for K other samples k,
//   L_b = g(z^t, z^s) + (1 / 2K) * sum_k [ 2 - ( g(n_k, z^s) - g(z^t, z^s) ) ]
// Negatives come from the same batch: every other sample (K = B - 1), or with negatives 'differentLabel'
// only the samples whose label differs (labels compared exactly, so for a regression task only equal
// scores are excluded). A sample with no negative (K = 0: a batch of one, or every sample shares its label)
// gets L_b = g(z^t, z^s): the negative term, a mean over an empty set, is left out.
// The teacher's hidden state is a constant here: the caller computes it outside any gradient function.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ANGULAR_EPS, pairwiseAngularDistance } from './angularDistance';
import { projectHidden } from './projections';
import { vectorizeHidden, type VectorizeMode } from './vectorize';

export type NegativeSelection = 'all' | 'differentLabel';

export interface CosNceOptions {
  /** How a hidden state becomes one vector per sample (default 'flatten'). */
  vectorize: VectorizeMode;
  /** Which samples of the batch serve as negatives (default 'all': K = B - 1). */
  negatives: NegativeSelection;
  /** eps of the smoothed norms in g (see angularDistance.ts). */
  eps?: number;
}

export interface CosNceInputs {
  /** H_i^s, the student's hidden state (B, L, d). */
  studentHidden: tf.Tensor3D;
  /** W_i (d, d'). */
  projection: tf.Tensor2D;
  /** H_phi(i)^t, the teacher's hidden state (B, L, d'). */
  teacherHidden: tf.Tensor3D;
  /** (B, L), 1 = real token, 0 = padding. */
  attentionMask: tf.Tensor2D;
  /** (B) gold labels; required by negatives 'differentLabel'. */
  labels?: tf.Tensor1D;
}

/** (B, B) float mask of the negatives of each row's sample: entry [b][k] = 1 when sample k is a negative of b. */
export function negativeMask(batchSize: number, selection: NegativeSelection, labels?: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const notSelf = tf.sub(1, tf.eye(batchSize)) as tf.Tensor2D; // (B, B)
    if (selection === 'all') return notSelf;
    if (selection !== 'differentLabel') {
      throw new Error(`COS-NCE negatives: unknown selection '${String(selection)}', expected 'all' or 'differentLabel'`);
    }
    if (!labels) throw new Error(`COS-NCE negatives 'differentLabel' needs the batch's labels, none were given`);
    if (labels.shape[0] !== batchSize) {
      throw new Error(`COS-NCE negatives 'differentLabel': ${labels.shape[0]} labels for a batch of ${batchSize}`);
    }
    const l = tf.cast(labels, 'float32');
    const differs = tf.notEqual(tf.expandDims(l, 1), tf.expandDims(l, 0)); // (B, B)
    return tf.cast(differs, 'float32') as tf.Tensor2D;
  });
}

/**
 * The same inputs for M mapped layers at once, stacked on a leading axis: H^s (M, B, L, d), W (M, d, d'),
 * H^t (M, B, L, d'). One operation then does for all M layers what it does for one (issue 21: on the
 * native backend an operation costs about the same whatever its size).
 */
export interface StackedCosNceInputs {
  studentHidden: tf.Tensor4D;
  projection: tf.Tensor3D;
  teacherHidden: tf.Tensor4D;
  attentionMask: tf.Tensor2D;
  labels?: tf.Tensor1D;
}

/** The vectors z^s (B, D) and z^t (B, D) of one mapped layer, or (M, B, D) each for M stacked layers. */
export function cosNceVectors(inputs: CosNceInputs, mode: VectorizeMode): { student: tf.Tensor2D; teacher: tf.Tensor2D };
export function cosNceVectors(inputs: StackedCosNceInputs, mode: VectorizeMode): { student: tf.Tensor3D; teacher: tf.Tensor3D };
export function cosNceVectors(inputs: CosNceInputs | StackedCosNceInputs, mode: VectorizeMode): { student: tf.Tensor; teacher: tf.Tensor } {
  const { studentHidden, projection, teacherHidden, attentionMask } = inputs;
  const s = studentHidden.shape;
  const t = teacherHidden.shape;
  const w = projection.shape;
  const lead = s.length - 3;
  if (s.length !== t.length || s.slice(0, lead + 2).join(',') !== t.slice(0, lead + 2).join(',')) {
    throw new Error(`COS-NCE: student hidden state [${s}] and teacher hidden state [${t}] differ in batch or length`);
  }
  if (w.length !== lead + 2 || w[lead] !== s[lead + 2] || w[lead + 1] !== t[lead + 2] || w.slice(0, lead).join(',') !== s.slice(0, lead).join(',')) {
    throw new Error(`COS-NCE: projection is [${w}] but must be [student hidden ${s[lead + 2]}, teacher hidden ${t[lead + 2]}]`);
  }
  return tf.tidy(() => ({
    student: vectorizeHidden<tf.Rank.R2 | tf.Rank.R3>(projectHidden(studentHidden, projection), attentionMask, mode), // (..., B, D)
    teacher: vectorizeHidden<tf.Rank.R2 | tf.Rank.R3>(teacherHidden, attentionMask, mode), // (..., B, D)
  }));
}

/**
 * COS-NCE of every sample (B) and the positive distances g(z^t, z^s) (B); for stacked inputs (M, B) each.
 */
export function cosNcePerSample(inputs: CosNceInputs, options: CosNceOptions): { loss: tf.Tensor1D; distance: tf.Tensor1D };
export function cosNcePerSample(inputs: StackedCosNceInputs, options: CosNceOptions): { loss: tf.Tensor2D; distance: tf.Tensor2D };
export function cosNcePerSample(inputs: CosNceInputs | StackedCosNceInputs, options: CosNceOptions): { loss: tf.Tensor; distance: tf.Tensor } {
  const batchSize = inputs.studentHidden.shape[inputs.studentHidden.rank - 3];
  return tf.tidy(() => {
    const { student, teacher } = cosNceVectors(inputs as CosNceInputs, options.vectorize);
    const g = pairwiseAngularDistance(student, teacher, options.eps ?? DEFAULT_ANGULAR_EPS); // (..., B, B): [b][k] = g(z^s_b, vec_t_k)
    const positive = tf.sum(tf.mul(g, tf.eye(batchSize)), -1); // (..., B) the diagonal, g(z^t, z^s)
    const mask = negativeMask(batchSize, options.negatives, inputs.labels); // (B, B)
    const k = tf.sum(mask, 1); // (B) number of negatives
    const terms = tf.add(tf.sub(2, g), tf.expandDims(positive, -1)); // (..., B, B) 2 - (g(n_k, z^s) - g(z^t, z^s))
    const negativeSum = tf.sum(tf.mul(terms, mask), -1); // (..., B)
    const negativeTerm = tf.div(negativeSum, tf.mul(2, tf.maximum(k, 1))); // (..., B), 0 when K = 0
    return { loss: tf.add(positive, negativeTerm), distance: positive };
  });
}

/** Batch means of COS-NCE and of the positive distance g(z^t, z^s), as scalars. */
export function cosNce(inputs: CosNceInputs, options: CosNceOptions): { loss: tf.Scalar; distance: tf.Scalar } {
  return tf.tidy(() => {
    const { loss, distance } = cosNcePerSample(inputs, options);
    return { loss: tf.mean(loss), distance: tf.mean(distance) };
  });
}

/** The batch means of COS-NCE and of g(z^t, z^s) of M stacked layers: (M) each. */
export function cosNceStacked(inputs: StackedCosNceInputs, options: CosNceOptions): { loss: tf.Tensor1D; distance: tf.Tensor1D } {
  return tf.tidy(() => {
    const { loss, distance } = cosNcePerSample(inputs, options);
    return { loss: tf.mean(loss, -1), distance: tf.mean(distance, -1) };
  });
}
