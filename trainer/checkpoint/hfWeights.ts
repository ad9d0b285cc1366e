// The tensors of a Hugging Face BertForSequenceClassification checkpoint: the names and (out, in)
// shapes a config implies, the check of a checkpoint's tensors against them (every problem named),
// and the conversion between a model's namedWeights() and Hugging Face arrays (through the model's
// own layout rule, hfLayoutOf / toHfLayout / fromHfLayout in trainer/model/weights.ts).
import * as tf from '@tensorflow/tfjs';
import { fromHfLayout, toHfLayout } from '../model/weights';
import type { BertConfig, BertModel } from '../model/types';
import { hfLayoutOfHead, type MlmHead } from '../model/mlmHead';
import type { NamedArray } from './safetensors';
import { InputError } from '../errors';
import { finishNow, type Steps } from '../util/timeSlices';

/** How many problems a message lists before "and N more". */
const SHOWN_PROBLEMS = 6;

/** One InputError for the problems of a checkpoint's tensors (hfWeightProblems), the first few by name. */
export function weightProblemsError(file: string, expected: string, problems: readonly string[]): InputError {
  const listed = problems.slice(0, SHOWN_PROBLEMS).join('; ');
  const more = problems.length > SHOWN_PROBLEMS ? `; and ${problems.length - SHOWN_PROBLEMS} more` : '';
  return new InputError({ file, expected, found: `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${listed}${more}` });
}

/** Buffers Hugging Face saves next to the weights; they are not weights and are ignored on load. */
export const IGNORED_HF_TENSORS = new Set(['bert.embeddings.position_ids']);

interface Expected {
  shape: number[];
  /** The config fields the shape comes from, for messages. */
  fields: string;
}

/** Every weight name of BertForSequenceClassification for `config`, with its Hugging Face shape. */
export function expectedHfShapes(config: BertConfig): Map<string, Expected> {
  const H = config.hidden_size;
  const out = new Map<string, Expected>();
  const add = (name: string, shape: number[], fields: string) => out.set(name, { shape, fields });
  const dense = (prefix: string, outSize: number, inSize: number, fields: string) => {
    add(`${prefix}.weight`, [outSize, inSize], fields);
    add(`${prefix}.bias`, [outSize], fields.split(', ')[0]);
  };
  const norm = (prefix: string) => {
    add(`${prefix}.weight`, [H], 'hidden_size');
    add(`${prefix}.bias`, [H], 'hidden_size');
  };
  add('bert.embeddings.word_embeddings.weight', [config.vocab_size, H], 'vocab_size, hidden_size');
  add('bert.embeddings.position_embeddings.weight', [config.max_position_embeddings, H], 'max_position_embeddings, hidden_size');
  add('bert.embeddings.token_type_embeddings.weight', [config.type_vocab_size, H], 'type_vocab_size, hidden_size');
  norm('bert.embeddings.LayerNorm');
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    for (const part of ['query', 'key', 'value']) dense(`${p}.attention.self.${part}`, H, H, 'hidden_size, hidden_size');
    dense(`${p}.attention.output.dense`, H, H, 'hidden_size, hidden_size');
    norm(`${p}.attention.output.LayerNorm`);
    dense(`${p}.intermediate.dense`, config.intermediate_size, H, 'intermediate_size, hidden_size');
    dense(`${p}.output.dense`, H, config.intermediate_size, 'hidden_size, intermediate_size');
    norm(`${p}.output.LayerNorm`);
  }
  dense('bert.pooler.dense', H, H, 'hidden_size, hidden_size');
  dense('classifier', config.num_labels, H, 'num_labels, hidden_size');
  return out;
}

/** Old TensorFlow-converted checkpoints call LayerNorm weight/bias gamma/beta; Hugging Face renames them on load too. */
export function normalizeHfName(name: string): string {
  return name.replace(/\.LayerNorm\.gamma$/, '.LayerNorm.weight').replace(/\.LayerNorm\.beta$/, '.LayerNorm.bias');
}

/**
 * Every way `tensors` fails to be the checkpoint of `config`: missing and unexpected tensors, and shape
 * mismatches, each by name, plus a summary of what the weights say about the config when they disagree
 * (e.g. "config.json says hidden_size 312 but the word embeddings are [30522, 768]"). Empty when all fits.
 */
export function hfWeightProblems(config: BertConfig, tensors: ReadonlyMap<string, { shape: number[] }>): string[] {
  const expected = expectedHfShapes(config);
  const problems: string[] = [];
  for (const [name, { shape, fields }] of expected) {
    const t = tensors.get(name);
    if (!t) problems.push(`missing tensor ${name} (expected [${shape}])`);
    else if (t.shape.join(',') !== shape.join(',')) problems.push(`${name} has shape [${t.shape}], expected [${shape}] (${fields} from config.json)`);
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name) && !IGNORED_HF_TENSORS.has(name)) problems.push(`unexpected tensor ${name}`);
  }
  if (problems.length === 0) return problems;
  // What the weights themselves say, to point at a config that does not belong to them.
  const summary: string[] = [];
  const word = tensors.get('bert.embeddings.word_embeddings.weight');
  if (word && word.shape.length === 2) {
    if (word.shape[1] !== config.hidden_size) summary.push(`config.json says hidden_size ${config.hidden_size} but the word embeddings are [${word.shape}]`);
    if (word.shape[0] !== config.vocab_size) summary.push(`config.json says vocab_size ${config.vocab_size} but the word embeddings have ${word.shape[0]} rows`);
  }
  const layers = new Set([...tensors.keys()].map((n) => /^bert\.encoder\.layer\.(\d+)\./.exec(n)?.[1]).filter((n) => n !== undefined));
  if (layers.size > 0 && layers.size !== config.num_hidden_layers) summary.push(`config.json says num_hidden_layers ${config.num_hidden_layers} but the weights have ${layers.size} encoder layers`);
  const classifier = tensors.get('classifier.weight');
  if (classifier && classifier.shape[0] !== config.num_labels) summary.push(`config.json says num_labels ${config.num_labels} but the classifier has ${classifier.shape[0]} outputs`);
  return [...summary, ...problems];
}

/** The model's weights as Hugging Face arrays (names and (out, in) layout), in namedWeights() order. */
export function modelToHfArrays(model: BertModel): Map<string, NamedArray> {
  return toHfArrays(model.namedWeights(), toHfLayout);
}

/** The masked-LM head's weights as Hugging Face arrays (its transform's Linear weight transposed). */
export function mlmHeadToHfArrays(head: MlmHead): Map<string, NamedArray> {
  return toHfArrays(head.namedWeights(), (name, v) => (hfLayoutOfHead(name) === 'transpose' ? tf.transpose(v) : tf.clone(v)));
}

function toHfArrays(named: Map<string, tf.Variable>, toHf: (name: string, v: tf.Tensor) => tf.Tensor): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, variable] of named) {
    const hf = tf.tidy(() => toHf(name, variable));
    out.set(name, { shape: hf.shape.slice(), values: new Float32Array(hf.dataSync()) });
    hf.dispose();
  }
  return out;
}

/** Assigns a folder's masked-LM head (Hugging Face names and layout) to a head; every problem is named. */
export function assignMlmHeadArrays(head: MlmHead, arrays: ReadonlyMap<string, NamedArray>, source: string): void {
  for (const [name, variable] of head.namedWeights()) {
    const a = arrays.get(name);
    const transpose = hfLayoutOfHead(name) === 'transpose';
    const expected = transpose ? [...variable.shape].reverse() : variable.shape;
    if (!a) throw new InputError({ file: source, field: `tensor ${name}`, expected: `a tensor of shape [${expected}]`, found: 'none' });
    if (a.shape.join(',') !== expected.join(',')) throw new InputError({ file: source, field: `tensor ${name}`, expected: `shape [${expected}]`, found: `[${a.shape}]` });
    tf.tidy(() => {
      const t = tf.tensor(a.values as Float32Array, a.shape, 'float32');
      variable.assign(transpose ? tf.transpose(t) : t);
    });
  }
}

/**
 * Assigns Hugging Face arrays to the model's weights. They must fit (hfWeightProblems is empty), except
 * that the weights named in `keepFresh` may be missing: they keep their initial values (a pre-trained
 * BERT given a new task head). `source` names the checkpoint in the error that lists the problems.
 */
export function assignHfArrays(model: BertModel, arrays: ReadonlyMap<string, NamedArray>, source: string, options: { keepFresh?: ReadonlySet<string> } = {}): void {
  finishNow(assignHfArraysSteps(model, arrays, source, options));
}

/** The same, with a step after each tensor (see util/timeSlices.ts). */
export function* assignHfArraysSteps(model: BertModel, arrays: ReadonlyMap<string, NamedArray>, source: string, options: { keepFresh?: ReadonlySet<string> } = {}): Steps<void> {
  const keepFresh = options.keepFresh ?? new Set<string>();
  const problems = hfWeightProblems(model.config, arrays).filter((p) => ![...keepFresh].some((name) => p.startsWith(`missing tensor ${name} `)));
  for (const name of model.namedWeights().keys()) if (!problems.length && !arrays.has(name) && !keepFresh.has(name)) problems.push(`missing tensor ${name}`);
  if (problems.length) throw weightProblemsError(source, 'the tensors of the model', problems);
  for (const [name, variable] of model.namedWeights()) {
    if (keepFresh.has(name)) continue;
    const a = arrays.get(name)!;
    if (!(a.values instanceof Float32Array)) throw new InputError({ file: source, field: `tensor ${name}`, expected: 'floats', found: 'integers' });
    tf.tidy(() => variable.assign(fromHfLayout(name, tf.tensor(a.values, a.shape, 'float32'))));
    yield;
  }
}
