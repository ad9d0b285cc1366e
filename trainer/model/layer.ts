// BertLayer: attention, then the feed-forward block (dense, exact GELU, dense, dropout, residual,
// LayerNorm). Works on 2-D hidden states (N = B*L, H).
import * as tf from '@tensorflow/tfjs';
import { attention, type AttentionSeeds } from './attention';
import { gelu } from './gelu';
import { dense, dropout, layerNorm } from './layers';
import type { BertConfig } from './types';
import type { LayerWeights } from './weights';

export interface LayerSeeds extends AttentionSeeds { ffn: number }

export function bertLayer(
  config: BertConfig,
  w: LayerWeights,
  x: tf.Tensor2D, // (N, H)
  bias: tf.Tensor4D, // (B, 1, 1, L)
  seeds: LayerSeeds | undefined, // undefined: no dropout
): { output: tf.Tensor2D; probs: tf.Tensor4D } {
  return tf.tidy(() => {
    const attended = attention(config, w, x, bias, seeds);
    const inner = gelu(dense(attended.output, w.intermediate)); // (N, FFN)
    let out = dense(inner, w.output); // (N, H)
    if (seeds) out = dropout(out, config.hidden_dropout_prob, seeds.ffn);
    const output = layerNorm(tf.add(out, attended.output) as tf.Tensor2D, w.outputLayerNorm, config.layer_norm_eps);
    return { output, probs: attended.probs };
  });
}
