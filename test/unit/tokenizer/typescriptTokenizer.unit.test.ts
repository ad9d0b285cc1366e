import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { LibraryBertTokenizer, loadTokenizersLibrary } from '../../../trainer/tokenizer/libraryTokenizer';
import { specFromVocabTxt } from '../../../trainer/tokenizer/loadTokenizer';
import { TypeScriptBertTokenizer } from '../../../trainer/tokenizer/typescriptTokenizer';
import { writeSmallVocabFolder } from './smallVocab';

const folder = writeSmallVocabFolder();
const spec = specFromVocabTxt(join(folder, 'vocab.txt'));
const tokenizer = new TypeScriptBertTokenizer(spec);

// Expected ids by hand from the small vocabulary (see smallVocab.ts).
const CASES: [string, number[]][] = [
  ['Héllo, WORLD!', [5, 7, 6, 8]],
  ['unaffable', [9, 10, 11]],
  ['unaffablex hello', [1, 5]],
  ['中国人', [12, 13, 1]],
  ['café naïve', [22, 23]],
  ['hello[SEP]world', [5, 3, 6]],
  ['hello [sep]', [5, 1, 1, 1]], // lowercase [sep] is plain text: '[' 'sep' ']', none in the vocab
  ['$5.', [24, 1, 25]],
  ['hel\u200blo\u0000 world', [5, 6]],
  ["the run's", [21, 17, 14, 15]],
  ['a'.repeat(101), [1]],
  ['', []],
];

test('the TypeScript tokenizer gives the hand-computed ids of the small vocabulary', () => {
  for (const [text, ids] of CASES) assert.deepEqual(tokenizer.tokenize(text), ids, JSON.stringify(text));
});

test('tokens() names the pieces', () => {
  assert.deepEqual(tokenizer.tokens('Unaffable!'), ['una', '##ff', '##able', '!']);
});

let library: string | false = false;
try {
  loadTokenizersLibrary();
} catch (e) {
  library = `skipped: ${(e as Error).message}`;
}

test("Hugging Face's library, built from the same vocab.txt, gives the same ids", { skip: library }, async () => {
  const lib = await LibraryBertTokenizer.fromSpec(spec);
  const got = await lib.tokenizeBatch(CASES.map(([t]) => t));
  CASES.forEach(([text, ids], i) => assert.deepEqual(got[i], ids, JSON.stringify(text)));
});
