// The gradient perturbation of LRC-BERT: E' = E + epsilon * G / |G|_2, the norm taken per sample over
// all of its L x H values. A sample whose G is zero is not moved.
import * as tf from '@tensorflow/tfjs';

/** epsilon * G / |G|_2 per sample: G (B, L, H) -> (B, L, H). */
export function perturbationStep(g: tf.Tensor3D, epsilon: number): tf.Tensor3D {
  if (!Number.isFinite(epsilon) || epsilon < 0) throw new Error(`perturbation epsilon must be a finite number >= 0, got ${epsilon}`);
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(g), [1, 2], true)); // (B, 1, 1)
    const safe = tf.where(tf.greater(norm, 0), norm, tf.onesLike(norm)); // a zero G stays zero
    return tf.mul(tf.div(g, safe), epsilon) as tf.Tensor3D; // (B, L, H)
  });
}
