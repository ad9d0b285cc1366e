// A small BERT vocabulary that the tokenizer tests write themselves, so that they always run.
// Ids are the line numbers (0-based), listed beside each token for hand-checking the expected ids.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SMALL_VOCAB = [
  '[PAD]', // 0
  '[UNK]', // 1
  '[CLS]', // 2
  '[SEP]', // 3
  '[MASK]', // 4
  'hello', // 5
  'world', // 6
  ',', // 7
  '!', // 8
  'una', // 9
  '##ff', // 10
  '##able', // 11
  '中', // 12
  '国', // 13
  "'", // 14
  's', // 15
  '##s', // 16
  'run', // 17
  '##ning', // 18
  'a', // 19
  '##a', // 20
  'the', // 21
  'cafe', // 22
  'naive', // 23
  '$', // 24
  '.', // 25
  '-', // 26
];

/** Writes vocab.txt (and optionally tokenizer_config.json) into a new temporary folder. */
export function writeSmallVocabFolder(tokenizerConfig?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'lrc-vocab-'));
  writeFileSync(join(dir, 'vocab.txt'), SMALL_VOCAB.join('\n') + '\n');
  if (tokenizerConfig) writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  return dir;
}
