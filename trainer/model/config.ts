// Reads a Hugging Face BERT config.json into a checked BertConfig. Every field the model reads is
// type-checked, shapes that cannot work are refused with the values named, and optional fields get
// the defaults of Hugging Face's BertConfig. Fields the model does not read (architectures,
// torch_dtype, ...) are ignored.
import { InputError } from '../errors';
import type { BertConfig } from './types';

/** The defaults of transformers.BertConfig (bert-base-uncased's shape). */
export const BERT_CONFIG_DEFAULTS = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  classifier_dropout: null,
  /** PretrainedConfig's default when neither num_labels nor id2label is given. */
  num_labels: 2,
} as const;

type Raw = Record<string, unknown>;

/** Parses and checks a config.json object. `source` names it in error messages (e.g. a file path). */
export function parseBertConfig(json: unknown, source = 'config.json'): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError({ file: source, expected: 'a BERT config (a JSON object)', found: describe(json) });
  }
  const raw = json as Raw;
  const errors: string[] = [];
  const d = BERT_CONFIG_DEFAULTS;
  const int = (field: string, fallback: number, min: number) => readNumber(raw, field, fallback, errors, { integer: true, min });
  const prob = (field: string, fallback: number) => readNumber(raw, field, fallback, errors, { min: 0, below: 1 });

  if (raw.model_type !== undefined && raw.model_type !== 'bert') {
    errors.push(`model_type must be 'bert', got ${describe(raw.model_type)} (only BERT-architecture models are supported)`);
  }
  if (raw.position_embedding_type !== undefined && raw.position_embedding_type !== 'absolute') {
    errors.push(`position_embedding_type ${describe(raw.position_embedding_type)} is not supported: only 'absolute'`);
  }
  const hiddenAct = raw.hidden_act ?? d.hidden_act;
  if (hiddenAct !== 'gelu') errors.push(`hidden_act ${describe(hiddenAct)} is not supported: only 'gelu' (the exact erf GELU)`);

  const config: BertConfig = {
    vocab_size: int('vocab_size', d.vocab_size, 1),
    hidden_size: int('hidden_size', d.hidden_size, 1),
    num_hidden_layers: int('num_hidden_layers', d.num_hidden_layers, 1),
    num_attention_heads: int('num_attention_heads', d.num_attention_heads, 1),
    intermediate_size: int('intermediate_size', d.intermediate_size, 1),
    max_position_embeddings: int('max_position_embeddings', d.max_position_embeddings, 1),
    type_vocab_size: int('type_vocab_size', d.type_vocab_size, 1),
    layer_norm_eps: readNumber(raw, 'layer_norm_eps', d.layer_norm_eps, errors, { above: 0 }),
    hidden_dropout_prob: prob('hidden_dropout_prob', d.hidden_dropout_prob),
    attention_probs_dropout_prob: prob('attention_probs_dropout_prob', d.attention_probs_dropout_prob),
    initializer_range: readNumber(raw, 'initializer_range', d.initializer_range, errors, { min: 0 }),
    classifier_dropout: raw.classifier_dropout == null ? null : prob('classifier_dropout', 0),
    hidden_act: 'gelu',
    num_labels: 0,
    pad_token_id: int('pad_token_id', d.pad_token_id, 0),
  };
  readLabels(raw, config, errors);

  if (config.hidden_size % config.num_attention_heads !== 0) {
    errors.push(`hidden_size ${config.hidden_size} is not a multiple of num_attention_heads ${config.num_attention_heads}`);
  }
  if (config.pad_token_id >= config.vocab_size) {
    errors.push(`pad_token_id ${config.pad_token_id} is not a token of the vocabulary (vocab_size ${config.vocab_size})`);
  }
  if (errors.length) throw new InputError({ file: source, expected: 'a valid BERT config', found: `${errors.length === 1 ? '' : `${errors.length} problems: `}${errors.join('; ')}` });
  return config;
}

interface Bounds { integer?: boolean; min?: number; above?: number; below?: number }

function readNumber(raw: Raw, field: string, fallback: number, errors: string[], bounds: Bounds): number {
  const value = raw[field];
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' && Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    (bounds.min === undefined || value >= bounds.min) &&
    (bounds.above === undefined || value > bounds.above) &&
    (bounds.below === undefined || value < bounds.below);
  if (!ok) {
    errors.push(`${field} must be ${expectation(bounds)}, got ${describe(value)}`);
    return fallback;
  }
  return value as number;
}

function expectation({ integer, min, above, below }: Bounds): string {
  const parts = [integer ? 'an integer' : 'a number'];
  if (min !== undefined) parts.push(`>= ${min}`);
  if (above !== undefined) parts.push(`> ${above}`);
  if (below !== undefined) parts.push(`< ${below}`);
  return parts.join(' ');
}

/** num_labels, id2label and label2id, consistent with one another, as PretrainedConfig derives them. */
function readLabels(raw: Raw, config: BertConfig, errors: string[]): void {
  // 0 stands for an invalid num_labels, already reported.
  const given = raw.num_labels === undefined ? undefined : readNumber(raw, 'num_labels', 0, errors, { integer: true, min: 1 });
  let id2label: Record<string, string> | undefined;
  if (raw.id2label !== undefined) {
    id2label = readId2Label(raw.id2label, errors);
    if (id2label && given !== undefined && given !== 0 && given !== Object.keys(id2label).length) {
      errors.push(`num_labels ${given} does not match id2label, which has ${Object.keys(id2label).length} labels`);
    }
  }
  const count = id2label ? Object.keys(id2label).length : given || BERT_CONFIG_DEFAULTS.num_labels;
  config.num_labels = count;
  config.id2label = id2label ?? Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), `LABEL_${i}`]));
  config.label2id = Object.fromEntries(Object.entries(config.id2label).map(([id, name]) => [name, Number(id)]));
  if (raw.label2id !== undefined) checkLabel2Id(raw.label2id, config.id2label, errors);
}

function readId2Label(value: unknown, errors: string[]): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`id2label must be an object {"0": "name", ...}, got ${describe(value)}`);
    return undefined;
  }
  const entries = Object.entries(value as Raw);
  const ids = entries.map(([id]) => id).sort((a, b) => Number(a) - Number(b));
  const expected = entries.map((_, i) => String(i));
  if (entries.length === 0 || ids.join(',') !== expected.join(',')) {
    errors.push(`id2label keys must be "0" .. "${entries.length - 1}", got [${ids.map((i) => JSON.stringify(i)).join(', ')}]`);
    return undefined;
  }
  const bad = entries.filter(([, name]) => typeof name !== 'string');
  if (bad.length) {
    errors.push(`id2label names must be strings, got ${bad.map(([id, name]) => `${id}: ${describe(name)}`).join(', ')}`);
    return undefined;
  }
  return Object.fromEntries(ids.map((id) => [id, (value as Record<string, string>)[id]]));
}

function checkLabel2Id(value: unknown, id2label: Record<string, string>, errors: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`label2id must be an object {"name": 0, ...}, got ${describe(value)}`);
    return;
  }
  const actual = value as Raw;
  const inverse = Object.entries(id2label).every(([id, name]) => actual[name] === Number(id));
  if (!inverse || Object.keys(actual).length !== Object.keys(id2label).length) {
    errors.push(`label2id ${JSON.stringify(actual)} is not the inverse of id2label ${JSON.stringify(id2label)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array ${JSON.stringify(value).slice(0, 60)}`;
  if (typeof value === 'object') return 'an object';
  return `${JSON.stringify(value)} (${typeof value})`;
}
