import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UNCASED_SETTINGS } from '../../../trainer/tokenizer/bertPreTokenize';
import { encodeIds, longestFirstLengths, padBatch } from '../../../trainer/tokenizer/encode';
import { encodeTexts } from '../../../trainer/tokenizer/encodeTexts';
import { loadTokenizersLibrary } from '../../../trainer/tokenizer/libraryTokenizer';
import { TypeScriptBertTokenizer } from '../../../trainer/tokenizer/typescriptTokenizer';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { DEFAULT_WORDPIECE } from '../../../trainer/tokenizer/wordPiece';
import { SeededRandom } from '../../../trainer/util/random';
import { SMALL_VOCAB } from './smallVocab';

const SPECIAL = { clsId: 2, sepId: 3, padId: 0 };

test('a single text: [CLS] A [SEP], all token types 0, cut to maxLength - 2 pieces', () => {
  assert.deepEqual(encodeIds([5, 6], undefined, 8, SPECIAL), { inputIds: [2, 5, 6, 3], tokenTypeIds: [0, 0, 0, 0], truncated: false });
  assert.deepEqual(encodeIds([10, 11, 12, 13, 14], undefined, 5, SPECIAL), { inputIds: [2, 10, 11, 12, 3], tokenTypeIds: [0, 0, 0, 0, 0], truncated: true });
});

test('a pair: [CLS] A [SEP] B [SEP], token types 0 up to the first [SEP], 1 after', () => {
  assert.deepEqual(encodeIds([5, 6], [7], 16, SPECIAL), { inputIds: [2, 5, 6, 3, 7, 3], tokenTypeIds: [0, 0, 0, 0, 1, 1], truncated: false });
  assert.deepEqual(encodeIds([], [], 3, SPECIAL).inputIds, [2, 3, 3]);
});

test('longest first, worked by hand (budget 7; the table of the Rust tokenizers tests)', () => {
  const cases: [number, number, number, number][] = [
    [0, 8, 0, 7], [2, 2, 2, 2], [2, 8, 2, 5], [4, 4, 3, 4], [4, 8, 3, 4],
    [8, 0, 7, 0], [8, 2, 5, 2], [8, 4, 4, 3], [8, 8, 3, 4],
  ];
  for (const [a, b, keepA, keepB] of cases) assert.deepEqual(longestFirstLengths(a, b, 7), [keepA, keepB], `${a}, ${b}`);
});

test('each text is first cut to maxLength, which decides ties (20 + 10 -> 3 + 4, 20 + 9 -> 4 + 3 at maxLength 10)', () => {
  const ids = (n: number, v: number) => new Array<number>(n).fill(v);
  const count = (e: { inputIds: number[] }, v: number) => e.inputIds.filter((x) => x === v).length;
  const e1 = encodeIds(ids(20, 9), ids(10, 8), 10, SPECIAL);
  assert.deepEqual([count(e1, 9), count(e1, 8)], [3, 4]);
  const e2 = encodeIds(ids(20, 9), ids(9, 8), 10, SPECIAL);
  assert.deepEqual([count(e2, 9), count(e2, 8)], [4, 3]);
  assert.equal(e2.truncated, true);
  assert.deepEqual(e2.tokenTypeIds, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
});

test('maxLength must leave room for the special tokens', () => {
  assert.throws(() => encodeIds([1], [1], 2, SPECIAL), /maxLength must be an integer >= 3.*got 2/);
  assert.throws(() => encodeIds([1], undefined, 1, SPECIAL), /maxLength must be an integer >= 2.*got 1/);
});

test('padBatch: (B, L) int32 arrays, [PAD] ids, attention 1 on real tokens only, token types kept', () => {
  const a = encodeIds([5, 6], [7], 16, SPECIAL);
  const b = encodeIds([5], undefined, 16, SPECIAL);
  const batch = padBatch([a, b], 7, SPECIAL.padId);
  assert.equal(batch.batchSize, 2);
  assert.equal(batch.seqLength, 7);
  assert.ok(batch.inputIds instanceof Int32Array);
  assert.deepEqual(Array.from(batch.inputIds), [2, 5, 6, 3, 7, 3, 0, 2, 5, 3, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(batch.attentionMask), [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(batch.tokenTypeIds), [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const longest = padBatch([a, b], 7, SPECIAL.padId, 'longest');
  assert.equal(longest.seqLength, 6);
  assert.deepEqual(Array.from(longest.inputIds.subarray(6)), [2, 5, 3, 0, 0, 0]);
  assert.throws(() => padBatch([a], 5, 0), /6 tokens, more than maxLength 5/);
});

let skipLibrary: string | false = false;
try {
  loadTokenizersLibrary();
} catch (e) {
  skipLibrary = `skipped: ${(e as Error).message}`;
}

test("truncation and layout equal the library's own (bertProcessing + LongestFirst) on 300 random pairs", { skip: skipLibrary }, async () => {
  const lib = loadTokenizersLibrary();
  const vocab: Record<string, number> = {};
  SMALL_VOCAB.forEach((t, i) => (vocab[t] = i));
  const native = new lib.Tokenizer(lib.WordPiece.init(vocab, { unkToken: '[UNK]' }));
  native.setNormalizer(lib.bertNormalizer({ lowercase: true }));
  native.setPreTokenizer(lib.bertPreTokenizer());
  native.setPostProcessor(lib.bertProcessing(['[SEP]', 3], ['[CLS]', 2]));
  const random = new SeededRandom(7);
  const int = (n: number) => Math.floor(random.next() * n);
  for (let i = 0; i < 300; i++) {
    const [la, lb, maxLength] = [int(30), int(30), 3 + int(25)];
    native.setTruncation(maxLength);
    const theirs = await native.encode('hello '.repeat(la), 'world '.repeat(lb));
    const ours = encodeIds(new Array(la).fill(5), new Array(lb).fill(6), maxLength, SPECIAL);
    assert.deepEqual(ours.inputIds, theirs.getIds(), `lengths ${la}, ${lb} at maxLength ${maxLength}`);
    assert.deepEqual(ours.tokenTypeIds, theirs.getTypeIds(), `lengths ${la}, ${lb} at maxLength ${maxLength}`);
  }
});

test('encodeTexts: raw sentence pairs to one padded batch (small vocab ids by hand)', async () => {
  const tok = new TypeScriptBertTokenizer({ vocab: new Vocabulary(SMALL_VOCAB, 'small'), normalizer: UNCASED_SETTINGS, wordPiece: DEFAULT_WORDPIECE, source: 'small' });
  const batch = await encodeTexts(tok, ['Hello!', 'unaffable world'], ['world', 'hello'], { maxLength: 6 });
  assert.deepEqual([batch.batchSize, batch.seqLength], [2, 6]);
  // [CLS] hello ! [SEP] world [SEP] ; [CLS] una ##ff [SEP] hello [SEP] (4 + 1 pieces, budget 3: 2 + 1)
  assert.deepEqual(Array.from(batch.inputIds), [2, 5, 8, 3, 6, 3, 2, 9, 10, 3, 5, 3]);
  assert.deepEqual(batch.truncated, [false, true]);
  await assert.rejects(encodeTexts(tok, ['a'], ['b', 'c'], { maxLength: 8 }), /1 texts but 2 second texts/);
});
