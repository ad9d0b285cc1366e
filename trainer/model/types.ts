// The contract between the BERT model (trainer/model/) and everything that drives it: the losses,
// the distillation step, checkpoints and analysis. Shapes: B batch, L sequence length, H hidden size.
import type * as tf from '@tensorflow/tfjs';

/** The fields of a Hugging Face BERT `config.json` that the model reads. */
export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  initializer_range: number;
  /** Dropout before the classifier; null (Hugging Face's default) means hidden_dropout_prob. */
  classifier_dropout?: number | null;
  hidden_act: 'gelu';
  /** 1 = regression (e.g. STS-B), >= 2 = classification. */
  num_labels: number;
  pad_token_id: number;
  /** Class names in label order, as Hugging Face writes them. */
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
}

/** One tokenized batch. All int32, shape (B, L). */
export interface BertInputs {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  tokenTypeIds: tf.Tensor2D;
}

export interface ForwardOptions {
  /** Dropout is applied only when training. */
  training: boolean;
  /** Also return the attention probabilities of every layer. */
  outputAttentions?: boolean;
  /** Start from this embedding output (B, L, H) instead of embedding `inputIds` (gradient perturbation). */
  embeddingOutput?: tf.Tensor3D;
  /** Seed of the dropout masks of this forward pass, so that a run is deterministic. */
  dropoutSeed?: number;
}

export interface BertOutput {
  /** (B, num_labels) */
  logits: tf.Tensor2D;
  /** num_hidden_layers + 1 entries of (B, L, H); entry 0 is the embedding output (after LayerNorm). */
  hiddenStates: tf.Tensor3D[];
  /** With `outputAttentions`: num_hidden_layers entries of (B, heads, L, L). */
  attentions?: tf.Tensor4D[];
}

/**
 * What the losses, the distillation step, checkpoints and analysis need of a BERT model
 * (implemented by trainer/model/bert.ts).
 */
export interface BertModel {
  readonly config: BertConfig;
  /** Full forward pass. Call inside tf.tidy (or dispose the outputs). */
  forward(inputs: BertInputs, options: ForwardOptions): BertOutput;
  /** The embedding output alone (word + position + token type, LayerNorm, dropout when training): (B, L, H). */
  embed(inputs: BertInputs, training: boolean, dropoutSeed?: number): tf.Tensor3D;
  /** Every trainable variable, in a fixed order. */
  readonly trainableVariables: tf.Variable[];
  /** Every weight under its Hugging Face BertForSequenceClassification name
   * (`bert.embeddings.word_embeddings.weight`, ..., `classifier.weight`), in the Hugging Face layout
   * (Linear weights stored as (out, in) when exported: see the checkpoint code for the transposes). */
  namedWeights(): Map<string, tf.Variable>;
  dispose(): void;
}
