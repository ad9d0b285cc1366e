// Tiny BERT shapes and a small learnable task for the training tests: label 1 when token 5 appears in the
// sequence. Sequences start with token 1 ([CLS]), hold 3..7 tokens drawn from 6..29, then padding (0).
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../../../trainer/model/types';
import type { TrainingBatch } from '../../../trainer/train/batch';
import { SeededRandom } from '../../../trainer/util/random';

export const SEQ_LEN = 8;

export function tinyConfig(layers: number, hidden: number, overrides: Partial<BertConfig> = {}): BertConfig {
  return {
    vocab_size: 30,
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: 4,
    intermediate_size: hidden * 2,
    max_position_embeddings: 16,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    initializer_range: 0.02,
    hidden_act: 'gelu',
    num_labels: 2,
    pad_token_id: 0,
    ...overrides,
  };
}

export interface Example {
  ids: number[];
  mask: number[];
  label: number;
}

/** `count` examples, half of them (in expectation) containing token 5. */
export function makeExamples(count: number, seed: number): Example[] {
  const r = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const n = 4 + Math.floor(r.next() * 5); // 4..8 real tokens including [CLS]
    const ids = [1, ...Array.from({ length: n - 1 }, () => 6 + Math.floor(r.next() * 24))];
    const label = r.next() < 0.5 ? 1 : 0;
    if (label) ids[1 + Math.floor(r.next() * (n - 1))] = 5;
    const mask = ids.map(() => 1);
    while (ids.length < SEQ_LEN) { ids.push(0); mask.push(0); }
    return { ids, mask, label };
  });
}

/** A batch of tensors (the caller disposes it with disposeBatch). */
export function toBatch(examples: Example[]): TrainingBatch {
  return {
    inputs: {
      inputIds: tf.tensor2d(examples.map((e) => e.ids), undefined, 'int32'),
      attentionMask: tf.tensor2d(examples.map((e) => e.mask), undefined, 'int32'),
      tokenTypeIds: tf.zeros([examples.length, SEQ_LEN], 'int32') as tf.Tensor2D,
    },
    labels: tf.tensor1d(examples.map((e) => e.label), 'int32'),
  };
}

export function disposeBatch(b: TrainingBatch): void {
  tf.dispose([b.inputs.inputIds, b.inputs.attentionMask, b.inputs.tokenTypeIds, b.labels]);
}
