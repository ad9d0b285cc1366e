import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { wordPieceIds } from '../../../trainer/tokenizer/wordPiece';
import { SMALL_VOCAB } from './smallVocab';

const vocab = new Vocabulary(SMALL_VOCAB, 'small vocab');

test('greedy longest match: unaffable -> una ##ff ##able (ids 9 10 11)', () => {
  assert.deepEqual(wordPieceIds('unaffable', vocab), [9, 10, 11]);
});

test('a whole word in the vocabulary is one piece; continuation pieces carry ##', () => {
  assert.deepEqual(wordPieceIds('hello', vocab), [5]);
  assert.deepEqual(wordPieceIds('runnings', vocab), [17, 18, 16]); // run ##ning ##s
});

test('a word that cannot be split completely becomes one [UNK]', () => {
  assert.deepEqual(wordPieceIds('unaffablex', vocab), [1]);
  assert.deepEqual(wordPieceIds('xhello', vocab), [1]);
});

test('100 characters are split, 101 are [UNK] (max_input_chars_per_word, counted in code points)', () => {
  assert.deepEqual(wordPieceIds('a'.repeat(100), vocab), [19, ...new Array(99).fill(20)]);
  assert.deepEqual(wordPieceIds('a'.repeat(101), vocab), [1]);
  // 50 characters outside the BMP are 100 UTF-16 units but 50 code points: not too long, just unknown.
  assert.deepEqual(wordPieceIds('\u{1F600}'.repeat(50), vocab), [1]);
  assert.deepEqual(wordPieceIds('abc', vocab, { continuingSubwordPrefix: '##', maxInputCharsPerWord: 2 }), [1]);
});
