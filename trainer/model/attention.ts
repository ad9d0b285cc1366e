// BertAttention: multi-head self-attention with the additive padding mask, then the output dense
// layer, dropout, residual and LayerNorm. Hidden states stay 2-D (N = B*L, H) so every dense layer is
// one matrix product; heads are (B, heads, L, head size) only around the two batched products.
import * as tf from '@tensorflow/tfjs';
import { dense, dropout, layerNorm } from './layers';
import type { BertConfig } from './types';
import type { LayerWeights } from './weights';

/** What Hugging Face adds to the scores of padding keys: (1 - mask) * the float32 minimum. */
export const MASKED_SCORE = -3.4028234663852886e38;

/** The additive mask (B, 1, 1, L) from the attention mask (B, L): 0 for tokens, MASKED_SCORE for padding. */
export function attentionBias(attentionMask: tf.Tensor2D): tf.Tensor4D {
  const [B, L] = attentionMask.shape;
  return tf.tidy(() => tf.mul(tf.sub(1, tf.cast(attentionMask, 'float32')), MASKED_SCORE).reshape([B, 1, 1, L]));
}

export interface AttentionSeeds { probs: number; output: number }

export interface AttentionResult {
  /** (N, H) */
  output: tf.Tensor2D;
  /** (B, heads, L, L), after dropout as Hugging Face returns them. */
  probs: tf.Tensor4D;
}

export function attention(
  config: BertConfig,
  w: LayerWeights,
  x: tf.Tensor2D, // (N, H)
  bias: tf.Tensor4D, // (B, 1, 1, L)
  seeds: AttentionSeeds | undefined, // undefined: no dropout
): AttentionResult {
  const [B, , , L] = bias.shape;
  const H = config.hidden_size;
  const heads = config.num_attention_heads;
  const size = H / heads;
  return tf.tidy(() => {
    const toHeads = (t: tf.Tensor2D, perm: number[]) => tf.transpose(tf.reshape(t, [B, L, heads, size]), perm);
    const q = toHeads(tf.mul(dense(x, w.query), 1 / Math.sqrt(size)) as tf.Tensor2D, [0, 2, 1, 3]); // (B, h, L, d)
    const kT = toHeads(dense(x, w.key), [0, 2, 3, 1]); // (B, h, d, L)
    const v = toHeads(dense(x, w.value), [0, 2, 1, 3]); // (B, h, L, d)
    const scores = tf.add(tf.matMul(q, kT), bias); // (B, h, L, L)
    let probs = tf.softmax(scores) as tf.Tensor4D; // (B, h, L, L)
    if (seeds) probs = dropout(probs, config.attention_probs_dropout_prob, seeds.probs);
    const context = tf.matMul(probs, v); // (B, h, L, d)
    const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [B * L, H]) as tf.Tensor2D; // (N, H)
    let projected = dense(merged, w.attentionOutput); // (N, H)
    if (seeds) projected = dropout(projected, config.hidden_dropout_prob, seeds.output);
    const output = layerNorm(tf.add(projected, x) as tf.Tensor2D, w.attentionLayerNorm, config.layer_norm_eps);
    return { output, probs };
  });
}
