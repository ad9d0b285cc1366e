// Clipping by global norm, as torch.nn.utils.clip_grad_norm_: the L2 norm of all gradients together,
// total = sqrt(sum_i |g_i|^2); when total > maxNorm every gradient is scaled by maxNorm / (total + 1e-6).
import * as tf from '@tensorflow/tfjs';

export interface ClippedGradients {
  /** New tensors (the input gradients are not disposed). */
  grads: tf.NamedTensorMap;
  /** The global norm before clipping. */
  norm: number;
}

/** The global L2 norm of a set of gradients. */
export function globalNorm(grads: tf.NamedTensorMap): number {
  const tensors = Object.values(grads).filter((g): g is tf.Tensor => g != null);
  if (tensors.length === 0) return 0;
  const norm = tf.tidy(() => tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(g)))))); // ()
  const value = norm.dataSync()[0];
  norm.dispose();
  return value;
}

/** The factor that clips gradients of global norm `norm` to `maxNorm` (1: no clipping; maxNorm 0 or Infinity: never). */
export function clipScale(norm: number, maxNorm: number): number {
  if (!(maxNorm >= 0)) throw new Error(`maxGradNorm must be >= 0 (0 = no clipping), got ${maxNorm}`);
  const clip = maxNorm > 0 && Number.isFinite(maxNorm) && norm > maxNorm;
  return clip ? maxNorm / (norm + 1e-6) : 1;
}

/**
 * maxNorm 0 or Infinity: no clipping (the norm is still measured). The training steps clip inside
 * AdamW.applyGradients instead (`maxGradNorm`), over all gradients laid end to end in one vector.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): ClippedGradients {
  if (!(maxNorm >= 0)) throw new Error(`maxGradNorm must be >= 0 (0 = no clipping), got ${maxNorm}`);
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  const out: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) {
    if (g != null) out[name] = scale === 1 ? tf.clone(g) : tf.tidy(() => tf.mul(g, scale));
  }
  return { grads: out, norm };
}
