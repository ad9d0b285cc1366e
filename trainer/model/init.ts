// Initial weights as Hugging Face's BertPreTrainedModel._init_weights makes them: Linear and Embedding
// weights ~ normal(0, initializer_range), biases 0, LayerNorm weight 1 and bias 0, and the row of
// pad_token_id in the word embeddings 0 (nn.Embedding's padding_idx). Seeded: the same seed gives
// the same weights on every backend (tfjs draws random numbers in JS). BERT-base's 110 million take
// 5 s (WASM) to 12 s (TensorFlow, a loaded machine): bertWeightSteps pauses after the embeddings and
// after each layer (see util/timeSlices.ts).
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';
import { finishNow, type Steps } from '../util/timeSlices';
import type { BertConfig } from './types';
import type { BertWeights, DenseWeights, LayerNormWeights } from './weights';

export interface WeightOptions {
  seed: number;
  /** Whether the variables are trainable (false for a frozen teacher). */
  trainable: boolean;
  /** Prefix of the tfjs variable names, unique per model (tfjs variable names are global). */
  namePrefix: string;
}

export function initBertWeights(config: BertConfig, options: WeightOptions): BertWeights {
  return finishNow(bertWeightSteps(config, options));
}

/** The same weights, drawn in the same order, with a step after the embeddings and after each layer.
 *  Stopped part-way (a pause that throws), the variables made so far are disposed of. */
export function* bertWeightSteps(config: BertConfig, { seed, trainable, namePrefix }: WeightOptions): Steps<BertWeights> {
  const random = new SeededRandom(seed);
  const std = config.initializer_range;
  const H = config.hidden_size;
  const made: tf.Variable[] = [];
  let count = 0;
  const variable = (init: tf.Tensor, what: string) => {
    const v = tf.variable(init, trainable, `${namePrefix}/${count++}_${what}`);
    init.dispose();
    made.push(v);
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
  try {
    const wordInit = tf.tidy(() => {
      const table = tf.randomNormal([config.vocab_size, H], 0, std, 'float32', random.nextSeed()); // (V, H)
      const keep = tf.oneHot([config.pad_token_id], config.vocab_size).reshape([config.vocab_size, 1]); // (V, 1)
      return tf.mul(table, tf.sub(1, keep)); // pad row zero
    });
    const embeddings = {
      word: variable(wordInit, 'word_embeddings'),
      position: normal([config.max_position_embeddings, H], 'position_embeddings'),
      tokenType: normal([config.type_vocab_size, H], 'token_type_embeddings'),
      layerNorm: norm('embeddings.LayerNorm'),
    };
    yield;
    const layers: BertWeights['layers'] = [];
    for (let i = 0; i < config.num_hidden_layers; i++) {
      layers.push({
        query: dense(H, H, `layer${i}.query`),
        key: dense(H, H, `layer${i}.key`),
        value: dense(H, H, `layer${i}.value`),
        attentionOutput: dense(H, H, `layer${i}.attention.output`),
        attentionLayerNorm: norm(`layer${i}.attention.LayerNorm`),
        intermediate: dense(H, config.intermediate_size, `layer${i}.intermediate`),
        output: dense(config.intermediate_size, H, `layer${i}.output`),
        outputLayerNorm: norm(`layer${i}.output.LayerNorm`),
      });
      yield;
    }
    return { embeddings, layers, pooler: dense(H, H, 'pooler'), classifier: dense(H, config.num_labels, 'classifier') };
  } catch (e) {
    for (const v of made) v.dispose();
    throw e;
  }
}
