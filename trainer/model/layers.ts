// The building blocks: a dense layer on a 2-D input, LayerNorm over the last axis, seeded dropout.
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';
import type { DenseWeights, LayerNormWeights } from './weights';

/** x (N, in) W (in, out) + b -> (N, out). Kept 2-D: one matrix product, and a gradient tfjs reduces right. */
export function dense(x: tf.Tensor2D, w: DenseWeights): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(x, w.kernel as tf.Tensor2D), w.bias));
}

/** LayerNorm over the last axis with the biased variance, as torch.nn.LayerNorm. */
export function layerNorm<T extends tf.Tensor>(x: T, w: LayerNormWeights, eps: number): T {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), w.gamma), w.beta);
  });
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
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  });
}

/** A seed for each dropout site of one forward pass, from the pass's seed; independent of call order. */
export function siteSeed(passSeed: number, site: number): number {
  return new SeededRandom((passSeed * 1000003 + site * 7919) >>> 0).nextSeed();
}
