/**
 * Loads the BERT tokenizer of a model folder.
 *
 * Which implementation, and why:
 * - A folder with `tokenizer.json` uses Hugging Face's own `tokenizers` library (npm binding 0.23.2 of
 *   the Rust code behind transformers' fast tokenizers, i.e. what AutoTokenizer gives). It reads both
 *   tokenizer.json formats correctly (the bert-base-uncased file is the old one, without a "type" in
 *   its model) and also runs tokenizer.json files whose normalizer or pre-tokenizer is not BERT's own,
 *   which the TypeScript tokenizer refuses. (A first test that gave [UNK] for '你好' was right: neither
 *   character is in bert-base-uncased's vocab.txt, while '中国人' gives 1746 1799 1756.)
 * - A folder with only `vocab.txt` (+ `tokenizer_config.json` for do_lower_case etc.) uses the pure
 *   TypeScript tokenizer (typescriptTokenizer.ts): no native binary, synchronous, and faster here
 *   (SST-2 train, 67,349 sentences: about 190,000 sentences/s against the library's 80,000/s, whose
 *   cost is mostly handing Encoding objects across the native boundary). The library can build the
 *   same tokenizer from a vocabulary (LibraryBertTokenizer.fromSpec); the tests use that as a check.
 * - If the native library cannot be loaded (a platform without a prebuilt binary), or the caller
 *   asks for it, tokenizer.json is also handled by the TypeScript tokenizer, as long as it is a BERT
 *   WordPiece one (BertNormalizer + BertPreTokenizer).
 * Both give identical ids (test/unit/tokenizer/, and every sentence of the GLUE files at hand). The
 * [CLS]/[SEP] layout, truncation and padding are done by encode.ts for both, so that they agree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UserError } from '../errors';
import { LibraryBertTokenizer } from './libraryTokenizer';
import { normalizerFromTokenizerConfig, parseTokenizerJson } from './tokenizerJson';
import type { BertTokenizer, BertTokenizerSpec } from './types';
import { TypeScriptBertTokenizer } from './typescriptTokenizer';
import { Vocabulary } from './vocabulary';
import { DEFAULT_WORDPIECE } from './wordPiece';

export interface LoadTokenizerOptions {
  /** 'auto' (default): as described above. 'typescript': never load the native library. */
  implementation?: 'auto' | 'typescript' | 'tokenizers-library';
  /** Called with a note when 'auto' falls back to TypeScript. */
  onNote?: (message: string) => void;
}

/** The spec of a vocab.txt (+ optional tokenizer_config.json) pair of files. */
export function specFromVocabTxt(vocabPath: string, tokenizerConfigPath?: string): BertTokenizerSpec {
  if (!existsSync(vocabPath)) throw new InputError({ file: vocabPath, expected: 'a vocabulary file', found: 'no file at this path' });
  const configText = tokenizerConfigPath && existsSync(tokenizerConfigPath) ? readFileSync(tokenizerConfigPath, 'utf8') : undefined;
  return {
    vocab: Vocabulary.fromVocabTxt(readFileSync(vocabPath, 'utf8'), vocabPath),
    normalizer: normalizerFromTokenizerConfig(configText, tokenizerConfigPath),
    wordPiece: DEFAULT_WORDPIECE,
    source: vocabPath,
  };
}

/** The spec of a tokenizer.json file. */
export function specFromTokenizerJson(path: string): BertTokenizerSpec {
  if (!existsSync(path)) throw new InputError({ file: path, expected: 'a tokenizer file', found: 'no file at this path' });
  return parseTokenizerJson(readFileSync(path, 'utf8'), path);
}

/** The tokenizer of a folder holding tokenizer.json and/or vocab.txt. */
export async function loadTokenizer(folder: string, options: LoadTokenizerOptions = {}): Promise<BertTokenizer> {
  const implementation = options.implementation ?? 'auto';
  const jsonPath = join(folder, 'tokenizer.json');
  const vocabPath = join(folder, 'vocab.txt');
  if (existsSync(jsonPath)) {
    const spec = specFromTokenizerJson(jsonPath);
    if (implementation === 'typescript') return new TypeScriptBertTokenizer(spec);
    try {
      return await LibraryBertTokenizer.fromTokenizerJson(jsonPath, spec);
    } catch (e) {
      if (implementation === 'tokenizers-library') throw e;
      if (spec.typescriptUnsupported) throw new UserError(`${(e as Error).message}; and ${spec.typescriptUnsupported}`, jsonPath);
      options.onNote?.(`using the TypeScript tokenizer for ${jsonPath}: ${(e as Error).message}`);
      return new TypeScriptBertTokenizer(spec);
    }
  }
  if (existsSync(vocabPath)) {
    const spec = specFromVocabTxt(vocabPath, join(folder, 'tokenizer_config.json'));
    if (implementation === 'tokenizers-library') return LibraryBertTokenizer.fromSpec(spec);
    return new TypeScriptBertTokenizer(spec);
  }
  if (!existsSync(folder)) throw new InputError({ file: folder, field: 'tokenizer', expected: 'a folder with tokenizer.json or vocab.txt', found: 'no folder at this path' });
  throw new InputError({ file: folder, field: 'tokenizer', expected: 'a folder with tokenizer.json or vocab.txt', found: 'neither' });
}
