// Reads the settings of a BERT WordPiece tokenizer from a Hugging Face `tokenizer.json` (both the
// current format and the older one whose `model` has no "type" key), and from `tokenizer_config.json`
// for a folder that only has `vocab.txt`.
import { InputError, parseJsonFile, shown } from '../errors';
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
  if (typeof value !== 'boolean') throw new InputError({ file: where, field: `"${key}"`, expected: 'true, false or null', found: shown(value) });
  return value;
}

/** The BertNormalizer settings of a tokenizer.json `normalizer` (null: no normalization at all). */
function normalizerSettings(normalizer: unknown, where: string): BertNormalizerSettings {
  if (normalizer === null || normalizer === undefined) {
    return { lowercase: false, stripAccents: false, handleChineseChars: false, cleanText: false };
  }
  if (!isObject(normalizer) || normalizer.type !== 'BertNormalizer') {
    const type = isObject(normalizer) ? normalizer.type : normalizer;
    throw new InputError({ file: where, field: 'normalizer', expected: '"BertNormalizer" (the TypeScript tokenizer runs no other)', found: shown(type ?? null) });
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
  const json = parseJsonFile(text, source, 'a tokenizer.json (a JSON object)');
  if (!isObject(json)) throw new InputError({ file: source, expected: 'a JSON object at the top level', found: shown(json, 40) });
  const model = json.model;
  if (!isObject(model)) throw new InputError({ file: source, field: 'model', expected: 'an object', found: shown(model, 40) });
  // The older format (tokenizers < 0.10) writes no "type"; its WordPiece models have these fields.
  const type = model.type ?? ('continuing_subword_prefix' in model && !('merges' in model) ? 'WordPiece' : undefined);
  if (type !== 'WordPiece') {
    throw new InputError({ file: source, field: 'model.type', expected: '"WordPiece" (a BERT tokenizer)', found: shown(model.type ?? null) });
  }
  if (!isObject(model.vocab)) throw new InputError({ file: source, field: 'model.vocab', expected: 'an object { token: id }', found: shown(model.vocab, 40) });
  const unk = model.unk_token ?? SPECIAL_TOKENS.unk;
  if (unk !== SPECIAL_TOKENS.unk) throw new InputError({ file: source, field: 'model.unk_token', expected: `"${SPECIAL_TOKENS.unk}"`, found: shown(unk) });
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
  const json = parseJsonFile(text, source, 'a tokenizer_config.json (a JSON object)');
  if (!isObject(json)) throw new InputError({ file: source, expected: 'a JSON object at the top level', found: shown(json, 40) });
  const lowercase = optionalBoolean(json, 'do_lower_case', true, source);
  return {
    lowercase,
    stripAccents: optionalBoolean(json, 'strip_accents', lowercase, source),
    handleChineseChars: optionalBoolean(json, 'tokenize_chinese_chars', true, source),
    cleanText: true,
  };
}
