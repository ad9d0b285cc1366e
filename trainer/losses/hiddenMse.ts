// The MSE baseline's hidden-state loss for one mapped layer (TinyBERT's): the mean of
// (H_i^s W_i - H_phi(i)^t)^2 over the unmasked tokens and all d' dimensions.
import * as tf from '@tensorflow/tfjs';
import { projectHidden } from './projections';
import { tokenMask3d } from './vectorize';

/** Squared error averaged over real tokens and dimensions: a (B, L, D) and b (B, L, D), mask (B, L) -> scalar. */
export function maskedMse(a: tf.Tensor3D, b: tf.Tensor3D, attentionMask: tf.Tensor2D): tf.Scalar {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`hidden MSE: projected student [${a.shape}] and teacher [${b.shape}] differ in shape`);
  }
  return tf.tidy(() => {
    const mask = tokenMask3d(attentionMask); // (B, L, 1)
    const squared = tf.mul(tf.square(tf.sub(a, b)), mask); // (B, L, D)
    const count = tf.mul(tf.maximum(tf.sum(mask), 1), a.shape[2]); // real tokens x D
    return tf.div(tf.sum(squared), count) as tf.Scalar;
  });
}

/** MSE(H^s W, H^t) over unmasked tokens and dimensions; student (B, L, d), W (d, d'), teacher (B, L, d'). */
export function hiddenMse(studentHidden: tf.Tensor3D, projection: tf.Tensor2D, teacherHidden: tf.Tensor3D, attentionMask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => maskedMse(projectHidden(studentHidden, projection), teacherHidden, attentionMask));
}
