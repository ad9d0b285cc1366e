// BERT's masked-language-model head (Hugging Face BertOnlyMLMHead / the `cls.predictions` part of
// BertForPreTraining): dense H -> H, GELU, LayerNorm, then a decoder whose weight is the word-embedding
// table (tied, as in BERT) plus its own bias over the vocabulary. Used to pre-train a teacher on
// unlabelled text before it is fine-tuned on the task (trainer/pretrain/).
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';
import { gelu } from './gelu';
import { dense, layerNorm } from './layers';
import type { BertConfig } from './types';
import type { DenseWeights, LayerNormWeights } from './weights';

/** Hugging Face names of the head's weights (the decoder weight is tied to the word embeddings). */
export const MLM_HEAD_NAMES = {
  denseWeight: 'cls.predictions.transform.dense.weight',
  denseBias: 'cls.predictions.transform.dense.bias',
  normWeight: 'cls.predictions.transform.LayerNorm.weight',
  normBias: 'cls.predictions.transform.LayerNorm.bias',
  bias: 'cls.predictions.bias',
} as const;

/** Tensors a Hugging Face MLM checkpoint may hold besides the head above: tied copies, and BertForPreTraining's next-sentence head. */
export const TIED_OR_UNUSED_PRETRAINING_TENSORS = /^cls\.(predictions\.decoder\.(weight|bias)|seq_relationship\.(weight|bias))$/;

let headCount = 0;

export class MlmHead {
  readonly transform: DenseWeights; // (H, H), stored (in, out) like every dense here
  readonly norm: LayerNormWeights; // (H)
  readonly bias: tf.Variable; // (V)

  constructor(readonly config: BertConfig, seed: number) {
    const random = new SeededRandom(seed ^ 0x31a5);
    const H = config.hidden_size;
    const prefix = `mlm${headCount++}`;
    const variable = (init: tf.Tensor, what: string) => {
      const v = tf.variable(init, true, `${prefix}/${what}`);
      init.dispose();
      return v;
    };
    this.transform = {
      kernel: variable(tf.randomNormal([H, H], 0, config.initializer_range, 'float32', random.nextSeed()), 'transform.kernel'),
      bias: variable(tf.zeros([H]), 'transform.bias'),
    };
    this.norm = { gamma: variable(tf.ones([H]), 'norm.gamma'), beta: variable(tf.zeros([H]), 'norm.beta') };
    this.bias = variable(tf.zeros([config.vocab_size]), 'bias');
  }

  /** Vocabulary logits (N, V) of the hidden states (N, H) of the masked positions. */
  logits(hidden: tf.Tensor2D, wordEmbeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = layerNorm(gelu(dense(hidden, this.transform)), this.norm, this.config.layer_norm_eps); // (N, H)
      return tf.add(tf.matMul(h, wordEmbeddings, false, true), this.bias) as tf.Tensor2D; // (N, V)
    });
  }

  /**
   * The head's weights under their Hugging Face names, in Hugging Face layout order. The transform's
   * dense weight is stored (in, out) here and (out, in) in Hugging Face: `hfLayoutOfHead` says so.
   */
  namedWeights(): Map<string, tf.Variable> {
    return new Map<string, tf.Variable>([
      [MLM_HEAD_NAMES.denseWeight, this.transform.kernel],
      [MLM_HEAD_NAMES.denseBias, this.transform.bias],
      [MLM_HEAD_NAMES.normWeight, this.norm.gamma],
      [MLM_HEAD_NAMES.normBias, this.norm.beta],
      [MLM_HEAD_NAMES.bias, this.bias],
    ]);
  }

  dispose(): void {
    for (const v of this.namedWeights().values()) v.dispose();
  }
}

/** 'transpose' for the head's one Linear weight, 'as-is' for the rest. */
export function hfLayoutOfHead(name: string): 'transpose' | 'as-is' {
  if (name === MLM_HEAD_NAMES.denseWeight) return 'transpose';
  if (Object.values(MLM_HEAD_NAMES).includes(name as never)) return 'as-is';
  throw new Error(`'${name}' is not a weight of the masked-language-model head`);
}
