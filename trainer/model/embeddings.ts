// BertEmbeddings: word + position + token type embeddings, LayerNorm, dropout. Positions are
// 0..L-1 (no past key values). Like nn.Embedding(padding_idx=pad_token_id), the row of the pad token
// gets no gradient, so it stays what it was (0 when initialised here).
import * as tf from '@tensorflow/tfjs';
import { dropout, layerNorm } from './layers';
import type { BertConfig, BertInputs } from './types';
import type { EmbeddingWeights } from './weights';

export function embed(
  config: BertConfig,
  w: EmbeddingWeights,
  inputs: BertInputs,
  dropoutSeed: number | undefined,
): tf.Tensor3D {
  const [B, L] = inputs.inputIds.shape;
  const H = config.hidden_size;
  return tf.tidy(() => {
    const ids = tf.reshape(inputs.inputIds, [B * L]) as tf.Tensor1D; // (N)
    const words = lookupWithPadding(w.word as tf.Tensor2D, ids, config.pad_token_id); // (N, H)
    const types = tf.gather(w.tokenType, tf.reshape(inputs.tokenTypeIds, [B * L])); // (N, H)
    const positions = tf.slice(w.position, [0, 0], [L, H]); // (L, H)
    const sum = tf.add(tf.reshape(tf.add(words, types), [B, L, H]), positions); // (B, L, H)
    const normed = layerNorm(sum, w.layerNorm, config.layer_norm_eps);
    return (dropoutSeed === undefined ? normed : dropout(normed, config.hidden_dropout_prob, dropoutSeed)) as tf.Tensor3D;
  });
}

/** table[ids] (N, H); the gradient sums into the rows of `ids`, except the padding row. */
function lookupWithPadding(table: tf.Tensor2D, ids: tf.Tensor1D, paddingId: number): tf.Tensor2D {
  const lookup = tf.customGrad((t, save) => {
    (save as tf.GradSaveFunc)([ids]); // kept for the backward pass after this tidy ends
    return {
      value: tf.gather(t as tf.Tensor2D, ids), // (N, H)
      gradFunc: (dy, [savedIds]) => {
        // A segment id of -1 is dropped by unsortedSegmentSum: the padding row gets no gradient.
        const segments = tf.where(tf.equal(savedIds, paddingId), tf.fill(savedIds.shape, -1, 'int32'), savedIds);
        return tf.unsortedSegmentSum(dy as tf.Tensor2D, segments as tf.Tensor1D, table.shape[0]);
      },
    };
  });
  return lookup(table) as tf.Tensor2D;
}
