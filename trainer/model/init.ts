// Initial weights as Hugging Face's BertPreTrainedModel._init_weights makes them: Linear and Embedding
// weights ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 and bias 0, and the row of
// pad_token_id in the word embeddings 0 (nn.Embedding's padding_idx). Seeded: the same seed gives
// the same weights on every backend (tfjs draws random numbers in JS).
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';
import type { BertConfig } from './types';
import type { BertWeights, DenseWeights, LayerNormWeights } from './weights';

export interface WeightOptions {
  seed: number;
  /** Whether the variables are trainable (false for a frozen teacher). */
  trainable: boolean;
  /** Prefix of the tfjs variable names, unique per model (tfjs variable names are global). */
  namePrefix: string;
}

export function initBertWeights(config: BertConfig, { seed, trainable, namePrefix }: WeightOptions): BertWeights {
  const random = new SeededRandom(seed);
  const std = config.initializer_range;
  const H = config.hidden_size;
  let count = 0;
  const variable = (init: tf.Tensor, what: string) => {
    const v = tf.variable(init, trainable, `${namePrefix}/${count++}_${what}`);
    init.dispose();
    return v;
  };
  const normal = (shape: number[], what: string) => variable(tf.randomNormal(shape, 0, std, 'float32', random.nextSeed()), what);
  const dense = (inSize: number, outSize: number, what: string): DenseWeights => ({
    kernel: normal([inSize, outSize], `${what}.kernel`),
    bias: variable(tf.zeros([outSize]), `${what}.bias`),
  });
  const norm = (what: string): LayerNormWeights => ({
    gamma: variable(tf.ones([H]), `${what}.gamma`),
    beta: variable(tf.zeros([H]), `${what}.beta`),
  });
  const wordInit = tf.tidy(() => {
    const table = tf.randomNormal([config.vocab_size, H], 0, std, 'float32', random.nextSeed()); // (V, H)
    const keep = tf.oneHot([config.pad_token_id], config.vocab_size).reshape([config.vocab_size, 1]); // (V, 1)
    return tf.mul(table, tf.sub(1, keep)); // pad row zero
  });

  return {
    embeddings: {
      word: variable(wordInit, 'word_embeddings'),
      position: normal([config.max_position_embeddings, H], 'position_embeddings'),
      tokenType: normal([config.type_vocab_size, H], 'token_type_embeddings'),
      layerNorm: norm('embeddings.LayerNorm'),
    },
    layers: Array.from({ length: config.num_hidden_layers }, (_, i) => ({
      query: dense(H, H, `layer${i}.query`),
      key: dense(H, H, `layer${i}.key`),
      value: dense(H, H, `layer${i}.value`),
      attentionOutput: dense(H, H, `layer${i}.attention.output`),
      attentionLayerNorm: norm(`layer${i}.attention.LayerNorm`),
      intermediate: dense(H, config.intermediate_size, `layer${i}.intermediate`),
      output: dense(config.intermediate_size, H, `layer${i}.output`),
      outputLayerNorm: norm(`layer${i}.output.LayerNorm`),
    })),
    pooler: dense(H, H, 'pooler'),
    classifier: dense(H, config.num_labels, 'classifier'),
  };
}
