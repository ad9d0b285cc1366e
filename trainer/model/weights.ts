// The weights of a BERT for sequence classification, their Hugging Face names and layouts.
//
// Layout: a Linear (dense) weight is stored here as (in, out), so that a dense layer is x W without a
// transpose. Hugging Face (PyTorch nn.Linear) stores it as (out, in). `hfLayoutOf(name)` says which
// weights differ ('transpose': the 2-D Linear weights) and `toHfLayout`/`fromHfLayout` convert.
// Embedding tables (rows = token ids), LayerNorm vectors and biases have the same layout in both.
import * as tf from '@tensorflow/tfjs';

export interface DenseWeights {
  /** (in, out): the transpose of Hugging Face's (out, in). */
  kernel: tf.Variable;
  /** (out) */
  bias: tf.Variable;
}

export interface LayerNormWeights {
  /** (H), Hugging Face `LayerNorm.weight` */
  gamma: tf.Variable;
  /** (H), Hugging Face `LayerNorm.bias` */
  beta: tf.Variable;
}

export interface EmbeddingWeights {
  word: tf.Variable; // (vocab_size, H)
  position: tf.Variable; // (max_position_embeddings, H)
  tokenType: tf.Variable; // (type_vocab_size, H)
  layerNorm: LayerNormWeights;
}

export interface LayerWeights {
  query: DenseWeights; // (H, H)
  key: DenseWeights; // (H, H)
  value: DenseWeights; // (H, H)
  attentionOutput: DenseWeights; // (H, H)
  attentionLayerNorm: LayerNormWeights;
  intermediate: DenseWeights; // (H, FFN)
  output: DenseWeights; // (FFN, H)
  outputLayerNorm: LayerNormWeights;
}

export interface BertWeights {
  embeddings: EmbeddingWeights;
  layers: LayerWeights[];
  pooler: DenseWeights; // (H, H)
  classifier: DenseWeights; // (H, num_labels)
}

/** Every weight under its Hugging Face BertForSequenceClassification name, in state_dict order. */
export function hfNamedWeights(w: BertWeights): Map<string, tf.Variable> {
  const named = new Map<string, tf.Variable>();
  const dense = (prefix: string, d: DenseWeights) => named.set(`${prefix}.weight`, d.kernel).set(`${prefix}.bias`, d.bias);
  const norm = (prefix: string, n: LayerNormWeights) => named.set(`${prefix}.weight`, n.gamma).set(`${prefix}.bias`, n.beta);
  named.set('bert.embeddings.word_embeddings.weight', w.embeddings.word);
  named.set('bert.embeddings.position_embeddings.weight', w.embeddings.position);
  named.set('bert.embeddings.token_type_embeddings.weight', w.embeddings.tokenType);
  norm('bert.embeddings.LayerNorm', w.embeddings.layerNorm);
  w.layers.forEach((layer, i) => {
    const p = `bert.encoder.layer.${i}`;
    dense(`${p}.attention.self.query`, layer.query);
    dense(`${p}.attention.self.key`, layer.key);
    dense(`${p}.attention.self.value`, layer.value);
    dense(`${p}.attention.output.dense`, layer.attentionOutput);
    norm(`${p}.attention.output.LayerNorm`, layer.attentionLayerNorm);
    dense(`${p}.intermediate.dense`, layer.intermediate);
    dense(`${p}.output.dense`, layer.output);
    norm(`${p}.output.LayerNorm`, layer.outputLayerNorm);
  });
  dense('bert.pooler.dense', w.pooler);
  dense('classifier', w.classifier);
  return named;
}

const DENSE = String.raw`(bert\.encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)|bert\.pooler\.dense|classifier)`;
const LINEAR_WEIGHT = new RegExp(String.raw`^${DENSE}\.weight$`);
const SAME_LAYOUT = [
  new RegExp(String.raw`^${DENSE}\.bias$`),
  /^(bert\.embeddings|bert\.encoder\.layer\.\d+\.(attention\.output|output))\.LayerNorm\.(weight|bias)$/,
  /^bert\.embeddings\.(word|position|token_type)_embeddings\.weight$/,
];

/**
 * How a weight of `namedWeights()` relates to the Hugging Face checkpoint tensor of the same name:
 * 'transpose' for Linear weights (stored (in, out) here, (out, in) in Hugging Face), 'as-is' for the
 * rest. Throws for a name that is not a BertForSequenceClassification weight.
 */
export function hfLayoutOf(name: string): 'transpose' | 'as-is' {
  if (LINEAR_WEIGHT.test(name)) return 'transpose';
  if (SAME_LAYOUT.some((pattern) => pattern.test(name))) return 'as-is';
  throw new Error(`'${name}' is not a weight name of Hugging Face BertForSequenceClassification`);
}

/** The Hugging Face layout of a weight of `namedWeights()` (a new tensor). */
export function toHfLayout(name: string, value: tf.Tensor): tf.Tensor {
  return hfLayoutOf(name) === 'transpose' ? tf.transpose(value) : tf.clone(value);
}

/** The layout of `namedWeights()` for a Hugging Face checkpoint tensor (a new tensor). */
export function fromHfLayout(name: string, value: tf.Tensor): tf.Tensor {
  return hfLayoutOf(name) === 'transpose' ? tf.transpose(value) : tf.clone(value);
}

/**
 * Assigns Hugging Face checkpoint tensors (HF names and (out, in) layout) to the model's weights.
 * Every weight must be present with its exact shape; names the model does not have are refused,
 * except `bert.embeddings.position_ids` (a buffer, not a weight). `source` names the origin in errors.
 */
export function assignHfWeights(named: Map<string, tf.Variable>, hf: Map<string, tf.Tensor>, source = 'checkpoint'): void {
  const problems: string[] = [];
  for (const [name, variable] of named) {
    const value = hf.get(name);
    if (!value) {
      problems.push(`missing ${name}`);
      continue;
    }
    const expected = hfLayoutOf(name) === 'transpose' ? [...variable.shape].reverse() : variable.shape;
    if (value.shape.join(',') !== expected.join(',')) problems.push(`${name} has shape [${value.shape}], expected [${expected}]`);
  }
  for (const name of hf.keys()) {
    if (!named.has(name) && name !== 'bert.embeddings.position_ids') problems.push(`unexpected weight ${name}`);
  }
  if (problems.length) throw new Error(`${source}: the weights do not fit the model:\n  - ${problems.join('\n  - ')}`);
  for (const [name, variable] of named) {
    tf.tidy(() => variable.assign(fromHfLayout(name, hf.get(name)!).asType('float32')));
  }
}
