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
    const { scores: raw, v } = scoresAndValues(w, x, [B, L, heads, size]);
    const scores = tf.add(raw, bias); // (B, h, L, L)
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

/** Whether query, key and value are one product: on TensorFlow's native kernels yes (one large GEMM, and
 *  100 fewer kernels a demo step: the paper-shape step 11% faster, issue 21); on WASM no (its rank-5
 *  transpose and a matMul with the key transposed are slow paths there: the demo step took twice as long). */
export const fusedQkvDefault = () => tf.getBackend() === 'tensorflow';

/**
 * The attention scores q k^T / sqrt(d) before the mask (B, h, L, L) and the values (B, h, L, d), from the
 * hidden states (N, H). Fused: the three kernels and biases side by side (H, 3H), one matMul, one reshape
 * and one transpose to (3, B, h, L, d); otherwise three products. Every element is the same dot product.
 */
export function scoresAndValues(w: LayerWeights, x: tf.Tensor2D, [B, L, heads, size]: [number, number, number, number], fused = fusedQkvDefault()): { scores: tf.Tensor4D; v: tf.Tensor4D } {
  return tf.tidy(() => {
    const scale = 1 / Math.sqrt(size);
    if (fused) {
      const qkvWeights = {
        kernel: tf.concat([w.query.kernel, w.key.kernel, w.value.kernel], 1), // (H, 3H)
        bias: tf.concat([w.query.bias, w.key.bias, w.value.bias], 0), // (3H)
      } as LayerWeights['query'];
      const qkv = tf.transpose(tf.reshape(dense(x, qkvWeights), [B, L, 3, heads, size]), [2, 0, 3, 1, 4]); // (3, B, h, L, d)
      const [query, k, v] = tf.unstack(qkv) as tf.Tensor4D[]; // (B, h, L, d) each
      const q = tf.mul(query, scale) as tf.Tensor4D;
      return { scores: tf.matMul(q, k, false, true), v };
    }
    const toHeads = (t: tf.Tensor2D, perm: number[]) => tf.transpose(tf.reshape(t, [B, L, heads, size]), perm) as tf.Tensor4D;
    const q = toHeads(tf.mul(dense(x, w.query), scale) as tf.Tensor2D, [0, 2, 1, 3]); // (B, h, L, d)
    const kT = toHeads(dense(x, w.key), [0, 2, 3, 1]); // (B, h, d, L)
    const v = toHeads(dense(x, w.value), [0, 2, 1, 3]); // (B, h, L, d)
    return { scores: tf.matMul(q, kT), v };
  });
}
