// Angular distance g(x, y) = 1 - cos(x, y), in [0, 2]: 0 same direction, 1 orthogonal, 2 opposite.
//
// Zero vectors: every norm is smoothed, |x|_eps = sqrt(|x|^2 + eps^2), so a zero vector has norm eps
// instead of 0. cos(0, y) is then exactly 0, so g(0, y) = 1 (a zero vector counts as orthogonal to
// everything), nothing divides by zero, and the gradient stays finite (at x = 0 it is
// -y / (eps |y|_eps), of size about 1 / eps; clipping by global norm bounds its effect on a step).
// For vectors of norm >> eps the smoothing changes cos by about eps^2 / |x|^2, far below float32 noise.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ANGULAR_EPS } from './config';

export { DEFAULT_ANGULAR_EPS } from './config';

/** Rows scaled to (almost) unit length: x / sqrt(|x|^2 + eps^2) along the last axis. */
export function normalizeRows<R extends tf.Rank>(x: tf.Tensor<R>, eps = DEFAULT_ANGULAR_EPS): tf.Tensor<R> {
  return tf.tidy(() => {
    const squared = tf.sum(tf.square(x), -1, true); // (..., 1)
    return tf.div(x, tf.sqrt(tf.add(squared, eps * eps))) as tf.Tensor<R>;
  });
}

/** g(x, y) along the last axis for tensors of the same shape (..., D): result (...). */
export function angularDistance(x: tf.Tensor, y: tf.Tensor, eps = DEFAULT_ANGULAR_EPS): tf.Tensor {
  if (x.shape.join(',') !== y.shape.join(',')) {
    throw new Error(`angularDistance: shapes differ, x is [${x.shape}] and y is [${y.shape}]`);
  }
  return tf.tidy(() => {
    const cos = tf.sum(tf.mul(normalizeRows(x, eps), normalizeRows(y, eps)), -1); // (...)
    return tf.sub(1, cos);
  });
}

/**
 * g between every row of `a` (P, D) and every row of `b` (Q, D): result (P, Q), entry [p][q] = g(a_p, b_q).
 * With a leading axis, (M, P, D) and (M, Q, D) -> (M, P, Q): M such products at once.
 */
export function pairwiseAngularDistance<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T, eps = DEFAULT_ANGULAR_EPS): T {
  if (a.rank !== b.rank || a.shape[a.rank - 1] !== b.shape[b.rank - 1] || a.shape.slice(0, -2).join(',') !== b.shape.slice(0, -2).join(',')) {
    throw new Error(`pairwiseAngularDistance: vector lengths differ, a is [${a.shape}] and b is [${b.shape}]`);
  }
  return tf.tidy(() => {
    const cos = tf.matMul(normalizeRows(a, eps) as tf.Tensor2D, normalizeRows(b, eps) as tf.Tensor2D, false, true); // (..., P, Q)
    return tf.sub(1, cos) as T;
  });
}
