// The exact GELU of Hugging Face's "gelu": 0.5 x (1 + erf(x / sqrt(2))).
// Its gradient is written out, 0.5 (1 + erf(x / sqrt(2))) + x exp(-x^2 / 2) / sqrt(2 pi) (issue 21: 8
// operations instead of the 16 that tfjs derives from the forward ones; on the native backend each costs
// about the same whatever its size). The forward values are those of the operations above, unchanged.
import * as tf from '@tensorflow/tfjs';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const geluOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const onePlusErf = tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))); // 1 + erf(x / sqrt(2))
  save([x, onePlusErf]);
  return {
    value: tf.mul(tf.mul(x, 0.5), onePlusErf),
    gradFunc: (dy: tf.Tensor, [input, cdf2]: tf.Tensor[]) => {
      const density = tf.mul(tf.exp(tf.mul(tf.square(input), -0.5)), INV_SQRT_2PI); // exp(-x^2 / 2) / sqrt(2 pi)
      return tf.mul(dy, tf.add(tf.mul(cdf2, 0.5), tf.mul(input, density)));
    },
  };
});

export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => geluOp(x) as T);
}
