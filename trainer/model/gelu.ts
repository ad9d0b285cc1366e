// The exact GELU of Hugging Face's "gelu": 0.5 x (1 + erf(x / sqrt(2))).
import * as tf from '@tensorflow/tfjs';

export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}
