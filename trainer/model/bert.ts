// BertForSequenceClassification in TensorFlow.js, with Hugging Face's structure, names and numerics:
// embeddings, num_hidden_layers BertLayers, the pooler (dense + tanh on the first token), dropout and
// the classifier (num_labels outputs; 1 = regression). Dropout runs only when training, with masks
// seeded per forward pass (ForwardOptions.dropoutSeed), so a training forward pass is reproducible.
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';
import type { Steps } from '../util/timeSlices';
import { attentionBias } from './attention';
import { parseBertConfig } from './config';
import { embed } from './embeddings';
import { bertWeightSteps, initBertWeights, type WeightOptions } from './init';
import { bertLayer, type LayerSeeds } from './layer';
import { dense, dropout, siteSeed } from './layers';
import type { BertConfig, BertInputs, BertModel, BertOutput, ForwardOptions } from './types';
import { hfNamedWeights, type BertWeights } from './weights';

export interface BertOptions {
  /** Seed of the initial weights and of the dropout of passes given no dropoutSeed. Default 0. */
  seed?: number;
  /** false for a frozen model (a teacher): its variables are not trainable. Default true. */
  trainable?: boolean;
  /** Prefix of the tfjs variable names (they must be unique in the process). Default bert<N>. */
  name?: string;
}

let modelCount = 0;

function weightOptionsOf(options: BertOptions): WeightOptions {
  return { seed: options.seed ?? 0, trainable: options.trainable ?? true, namePrefix: options.name ?? `bert${modelCount++}` };
}

export class Bert implements BertModel {
  readonly trainableVariables: tf.Variable[];
  private readonly weights: BertWeights;
  private readonly named: Map<string, tf.Variable>;
  private readonly random: SeededRandom;

  /** A model with freshly initialised weights; load trained ones with `assignHfWeights`. `weights`: the
   *  ones bertWeightSteps made for this config and options (Bert.steps), else made here. */
  constructor(readonly config: BertConfig, options: BertOptions = {}, weights?: BertWeights) {
    const seed = options.seed ?? 0;
    const trainable = options.trainable ?? true;
    this.weights = weights ?? initBertWeights(config, weightOptionsOf(options));
    this.named = hfNamedWeights(this.weights);
    this.trainableVariables = trainable ? [...this.named.values()] : [];
    this.random = new SeededRandom(seed ^ 0x5eed);
  }

  /** The same model, made in steps (a pause after each layer's weights; see util/timeSlices.ts). */
  static *steps(config: BertConfig, options: BertOptions = {}): Steps<Bert> {
    return new Bert(config, options, yield* bertWeightSteps(config, weightOptionsOf(options)));
  }

  /** From the object of a Hugging Face config.json (checked by parseBertConfig). */
  static fromConfigJson(json: unknown, options: BertOptions = {}, source = 'config.json'): Bert {
    return new Bert(parseBertConfig(json, source), options);
  }

  embed(inputs: BertInputs, training: boolean, dropoutSeed?: number): tf.Tensor3D {
    this.checkInputs(inputs);
    const seed = training ? siteSeed(dropoutSeed ?? this.random.nextSeed(), 0) : undefined;
    return embed(this.config, this.weights.embeddings, inputs, seed);
  }

  forward(inputs: BertInputs, options: ForwardOptions): BertOutput {
    const [B, L] = this.checkInputs(inputs);
    const { config } = this;
    const H = config.hidden_size;
    const passSeed = options.training ? (options.dropoutSeed ?? this.random.nextSeed()) : undefined;
    const seedOf = (site: number) => (passSeed === undefined ? undefined : siteSeed(passSeed, site));
    if (options.embeddingOutput) this.checkEmbeddingOutput(options.embeddingOutput, B, L);

    return tf.tidy(() => {
      // A clone, so that disposing the outputs leaves the caller's embeddingOutput alone.
      const embedded = options.embeddingOutput
        ? tf.clone(options.embeddingOutput)
        : embed(config, this.weights.embeddings, inputs, seedOf(0)); // (B, L, H)
      const bias = attentionBias(inputs.attentionMask); // (B, 1, 1, L)
      const hiddenStates: tf.Tensor3D[] = [embedded];
      const attentions: tf.Tensor4D[] = [];
      let hidden = tf.reshape(embedded, [B * L, H]) as tf.Tensor2D; // (N, H)
      this.weights.layers.forEach((layerWeights, i) => {
        const seeds: LayerSeeds | undefined =
          passSeed === undefined ? undefined : { probs: seedOf(1 + 3 * i)!, output: seedOf(2 + 3 * i)!, ffn: seedOf(3 + 3 * i)! };
        const { output, probs } = bertLayer(config, layerWeights, hidden, bias, seeds);
        hidden = output;
        hiddenStates.push(tf.reshape(output, [B, L, H]) as tf.Tensor3D);
        if (options.outputAttentions) attentions.push(probs);
      });
      const last = hiddenStates[hiddenStates.length - 1];
      const first = tf.reshape(tf.slice(last, [0, 0, 0], [B, 1, H]), [B, H]) as tf.Tensor2D; // (B, H)
      let pooled = tf.tanh(dense(first, this.weights.pooler)); // (B, H)
      const classifierSeed = seedOf(1 + 3 * config.num_hidden_layers);
      const classifierRate = config.classifier_dropout ?? config.hidden_dropout_prob;
      if (classifierSeed !== undefined) pooled = dropout(pooled, classifierRate, classifierSeed);
      const logits = dense(pooled, this.weights.classifier); // (B, num_labels)
      return options.outputAttentions ? { logits, hiddenStates, attentions } : { logits, hiddenStates };
    });
  }

  /**
   * Every weight under its Hugging Face BertForSequenceClassification name, in state_dict order.
   * LAYOUT: Linear weights (`*.query/key/value.weight`, `*.dense.weight`, `classifier.weight`) are
   * stored (in, out) here, while Hugging Face stores (out, in): a checkpoint writer must transpose
   * them. `hfLayoutOf(name)` says 'transpose' or 'as-is' for each name; `toHfLayout(name, t)` and
   * `fromHfLayout(name, t)` convert, `assignHfWeights` loads a Hugging Face state dict.
   * `bert.embeddings.position_ids` (a buffer in HF, not a weight) is not included.
   */
  namedWeights(): Map<string, tf.Variable> {
    return new Map(this.named);
  }

  dispose(): void {
    for (const v of this.named.values()) v.dispose();
  }

  /** Checks the shapes and types of a batch; returns [B, L]. */
  private checkInputs(inputs: BertInputs): [number, number] {
    const { inputIds, attentionMask, tokenTypeIds } = inputs;
    for (const [name, t] of [['inputIds', inputIds], ['attentionMask', attentionMask], ['tokenTypeIds', tokenTypeIds]] as const) {
      if (t.rank !== 2 || t.dtype !== 'int32') {
        throw new Error(`BERT input ${name} must be an int32 (batch, length) tensor, got ${t.dtype} [${t.shape}]`);
      }
      if (t.shape[0] !== inputIds.shape[0] || t.shape[1] !== inputIds.shape[1]) {
        throw new Error(`BERT input ${name} has shape [${t.shape}] but inputIds has [${inputIds.shape}]`);
      }
    }
    const [B, L] = inputIds.shape;
    if (L > this.config.max_position_embeddings) {
      throw new Error(`BERT input length ${L} exceeds max_position_embeddings ${this.config.max_position_embeddings}`);
    }
    if (B < 1 || L < 1) throw new Error(`BERT input is empty: shape [${inputIds.shape}]`);
    return [B, L];
  }

  private checkEmbeddingOutput(e: tf.Tensor, B: number, L: number): void {
    const expected = [B, L, this.config.hidden_size];
    if (e.shape.join(',') !== expected.join(',')) {
      throw new Error(`embeddingOutput has shape [${e.shape}], expected [${expected}] (batch, length, hidden_size)`);
    }
  }
}
