// Reads the settings of a BERT WordPiece tokenizer from a Hugging Face `tokenizer.json` (both the
// current format and the older one whose `model` has no "type" key), and from `tokenizer_config.json`
// for a folder that only has `vocab.txt`.
import { UNCASED_SETTINGS, type BertNormalizerSettings } from './bertPreTokenize';
import type { BertTokenizerSpec } from './types';
import { SPECIAL_TOKENS, Vocabulary } from './vocabulary';
import { DEFAULT_WORDPIECE, type WordPieceSettings } from './wordPiece';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalBoolean(obj: Json, key: string, fallback: boolean, where: string): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new Error(`${where}: "${key}" must be true, false or null, got ${JSON.stringify(value)}`);
  return value;
}

/** The BertNormalizer settings of a tokenizer.json `normalizer` (null: no normalization at all). */
function normalizerSettings(normalizer: unknown, where: string): BertNormalizerSettings {
  if (normalizer === null || normalizer === undefined) {
    return { lowercase: false, stripAccents: false, handleChineseChars: false, cleanText: false };
  }
  if (!isObject(normalizer) || normalizer.type !== 'BertNormalizer') {
    const type = isObject(normalizer) ? normalizer.type : normalizer;
    throw new Error(`${where}: normalizer ${JSON.stringify(type)} is not supported by the TypeScript tokenizer (only "BertNormalizer")`);
  }
  const lowercase = optionalBoolean(normalizer, 'lowercase', true, `${where} normalizer`);
  return {
    lowercase,
    // null means: strip accents exactly when lowercasing.
    stripAccents: optionalBoolean(normalizer, 'strip_accents', lowercase, `${where} normalizer`),
    handleChineseChars: optionalBoolean(normalizer, 'handle_chinese_chars', true, `${where} normalizer`),
    cleanText: optionalBoolean(normalizer, 'clean_text', true, `${where} normalizer`),
  };
}

/**
 * Parses a tokenizer.json text into the spec of a BERT WordPiece tokenizer. `typescriptUnsupported`
 * says why the TypeScript tokenizer cannot run it (a normalizer or pre-tokenizer other than BERT's);
 * Hugging Face's library still can.
 */
export function parseTokenizerJson(text: string, source = 'tokenizer.json'): BertTokenizerSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object at the top level`);
  const model = json.model;
  if (!isObject(model)) throw new Error(`${source}: "model" is missing or not an object`);
  // The older format (tokenizers < 0.10) writes no "type"; its WordPiece models have these fields.
  const type = model.type ?? ('continuing_subword_prefix' in model && !('merges' in model) ? 'WordPiece' : undefined);
  if (type !== 'WordPiece') {
    throw new Error(`${source}: model type ${JSON.stringify(model.type ?? null)} is not supported (only BERT "WordPiece" models)`);
  }
  if (!isObject(model.vocab)) throw new Error(`${source}: "model.vocab" is missing or not an object`);
  const unk = model.unk_token ?? SPECIAL_TOKENS.unk;
  if (unk !== SPECIAL_TOKENS.unk) throw new Error(`${source}: model.unk_token is ${JSON.stringify(unk)}, expected "${SPECIAL_TOKENS.unk}"`);
  let typescriptUnsupported: string | undefined;
  const pre = json.pre_tokenizer;
  if (pre !== null && pre !== undefined && !(isObject(pre) && pre.type === 'BertPreTokenizer')) {
    typescriptUnsupported = `${source}: pre_tokenizer ${JSON.stringify(isObject(pre) ? pre.type : pre)} is not supported by the TypeScript tokenizer (only "BertPreTokenizer")`;
  }
  let normalizer: BertNormalizerSettings = UNCASED_SETTINGS;
  try {
    normalizer = normalizerSettings(json.normalizer, source);
  } catch (e) {
    typescriptUnsupported ??= (e as Error).message;
  }
  const wordPiece: WordPieceSettings = {
    continuingSubwordPrefix: typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : DEFAULT_WORDPIECE.continuingSubwordPrefix,
    maxInputCharsPerWord: typeof model.max_input_chars_per_word === 'number' ? model.max_input_chars_per_word : DEFAULT_WORDPIECE.maxInputCharsPerWord,
  };
  return {
    vocab: Vocabulary.fromTokenToIdMap(model.vocab, `${source} model.vocab`),
    normalizer,
    wordPiece,
    source,
    ...(typescriptUnsupported ? { typescriptUnsupported } : {}),
  };
}

/**
 * The normalizer settings of a `tokenizer_config.json` (Hugging Face BertTokenizer's arguments
 * do_lower_case, strip_accents, tokenize_chinese_chars), or BertTokenizer's defaults when there is none.
 */
export function normalizerFromTokenizerConfig(text: string | undefined, source = 'tokenizer_config.json'): BertNormalizerSettings {
  if (text === undefined) return { lowercase: true, stripAccents: true, handleChineseChars: true, cleanText: true };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object at the top level`);
  const lowercase = optionalBoolean(json, 'do_lower_case', true, source);
  return {
    lowercase,
    stripAccents: optionalBoolean(json, 'strip_accents', lowercase, source),
    handleChineseChars: optionalBoolean(json, 'tokenize_chinese_chars', true, source),
    cleanText: true,
  };
}
