// The building blocks: a dense layer on a 2-D input, LayerNorm over the last axis, seeded dropout.
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';
import type { DenseWeights, LayerNormWeights } from './weights';

/** x (N, in) W (in, out) + b -> (N, out). Kept 2-D: one matrix product, and a gradient tfjs reduces right. */
export function dense(x: tf.Tensor2D, w: DenseWeights): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(x, w.kernel as tf.Tensor2D), w.bias));
}

/**
 * LayerNorm over the last axis with the biased variance, as torch.nn.LayerNorm:
 *   x^ = (x - mean) / sqrt(var + eps),  y = x^ gamma + beta.
 * Its gradient is written out (issue 21: the chain of the forward operations' own gradients is about 35
 * operations, this is 13, and on the native backend each costs about the same whatever its size):
 *   g = dy gamma,  dx = (g - mean(g) - x^ mean(g x^)) / sqrt(var + eps),
 *   dgamma = sum(dy x^),  dbeta = sum(dy)  (sums over every axis but the last).
 * The forward values are those of the operations above, unchanged.
 */
export function layerNorm<T extends tf.Tensor>(x: T, w: LayerNormWeights, eps: number): T {
  return layerNormOf(eps)(x, w.gamma, w.beta) as T;
}

const layerNormByEps = new Map<number, (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor>();

function layerNormOf(eps: number): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
  let f = layerNormByEps.get(eps);
  if (!f) {
    f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const mean = tf.mean(x, -1, true); // (..., 1)
      const centered = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centered), -1, true); // (..., 1)
      const inverseStd = tf.rsqrt(tf.add(variance, eps)); // (..., 1)
      const normed = tf.mul(centered, inverseStd); // x^ (..., H)
      save([normed, inverseStd, gamma]);
      return {
        value: tf.add(tf.mul(normed, gamma), beta),
        gradFunc: (dy: tf.Tensor, [xHat, invStd, g]: tf.Tensor[]) => {
          const leading = dy.shape.slice(0, -1).map((_, i) => i); // every axis but the last
          const dNormed = tf.mul(dy, g); // (..., H)
          const dGamma = tf.sum(tf.mul(dy, xHat), leading); // (H)
          const dBeta = tf.sum(dy, leading); // (H)
          const meanD = tf.mean(dNormed, -1, true); // (..., 1)
          const meanDx = tf.mean(tf.mul(dNormed, xHat), -1, true); // (..., 1)
          const dx = tf.mul(tf.sub(tf.sub(dNormed, meanD), tf.mul(xHat, meanDx)), invStd); // (..., H)
          return [dx, dGamma, dBeta];
        },
      };
    }) as unknown as (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor;
    layerNormByEps.set(eps, f);
  }
  return f;
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the rest by 1/(1-rate).
 * The mask comes from a seeded generator in JS, so a seed gives the same mask on every backend.
 * Each 32-bit draw decides two elements with 16 bits each: the drop probability is `rate` rounded
 * to a multiple of 1/65536 (0.1 becomes 0.100006), for half the cost.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (rate === 0) return x;
  return tf.tidy(() => {
    const random = new SeededRandom(seed);
    const scale = 1 / (1 - rate);
    const dropBelow = Math.round(rate * 65536); // P(16 random bits < dropBelow) ~ rate
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i += 2) {
      const bits = random.nextUint32();
      mask[i] = (bits & 0xffff) < dropBelow ? 0 : scale;
      if (i + 1 < mask.length) mask[i + 1] = bits >>> 16 < dropBelow ? 0 : scale;
    }
    return maskedBy(x, tf.tensor(mask, x.shape, 'float32'));
  });
}

/**
 * x times a constant mask, with the gradient dy * mask written out: tfjs's own gradient of a product
 * casts the other factor to float32 first, one more operation per dropout site (issue 21). The mask is
 * no input of the gradient function (it would need a gradient of its own), only saved for it.
 */
function maskedBy<T extends tf.Tensor>(x: T, mask: tf.Tensor): T {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([mask]);
    return { value: tf.mul(input, mask), gradFunc: (dy: tf.Tensor, [m]: tf.Tensor[]) => tf.mul(dy, m) };
  })(x) as T;
}

/** A seed for each dropout site of one forward pass, from the pass's seed; independent of call order. */
export function siteSeed(passSeed: number, site: number): number {
  return new SeededRandom((passSeed * 1000003 + site * 7919) >>> 0).nextSeed();
}
