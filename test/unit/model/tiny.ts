// A tiny BERT and a padded two-segment batch for the model tests.
import * as tf from '@tensorflow/tfjs';
import { Bert, type BertInputs } from '../../../trainer/model';

export const TINY_CONFIG = {
  vocab_size: 50, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64,
  max_position_embeddings: 16, type_vocab_size: 2, num_labels: 2,
};

export function tinyBert(seed = 1, overrides: Record<string, unknown> = {}): Bert {
  // A larger initializer_range than BERT's 0.02, so that every weight visibly changes the outputs.
  return Bert.fromConfigJson({ ...TINY_CONFIG, initializer_range: 0.2, ...overrides }, { seed });
}

/** Two sequences of 8: the second has 3 padding tokens (id 0, mask 0). */
export function tinyBatch(ids: number[][] = [[2, 7, 9, 11, 3, 14, 15, 3], [2, 21, 22, 3, 30, 0, 0, 0]]): BertInputs {
  return {
    inputIds: tf.tensor2d(ids, undefined, 'int32'),
    attentionMask: tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0, 0]], undefined, 'int32'),
    tokenTypeIds: tf.tensor2d([[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 1, 0, 0, 0]], undefined, 'int32'),
  };
}

export function disposeInputs(inputs: BertInputs): void {
  tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
