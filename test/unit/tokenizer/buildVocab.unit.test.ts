import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWordPieceVocab } from '../../../trainer/tokenizer/buildVocab';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { TypeScriptBertTokenizer } from '../../../trainer/tokenizer/typescriptTokenizer';
import { UNCASED_SETTINGS } from '../../../trainer/tokenizer/bertPreTokenize';
import { DEFAULT_WORDPIECE } from '../../../trainer/tokenizer/wordPiece';

const texts = [
  'Free money!!! Click here to claim your prize.',
  'Meeting moved to Tuesday; please confirm.',
  'Claim your FREE prize now, click the link.',
  'The meeting notes are attached.',
  'Unbelievable offers: click, claim, win!',
  'Please review the attached notes before the meeting.',
];

function tokenizer(tokens: string[]) {
  return new TypeScriptBertTokenizer({ vocab: new Vocabulary(tokens, 'built'), normalizer: UNCASED_SETTINGS, wordPiece: DEFAULT_WORDPIECE, source: 'built' });
}

test('the special tokens come first, [PAD] at id 0', () => {
  const v = buildWordPieceVocab(texts, { size: 60 });
  assert.deepEqual(v.slice(0, 5), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  assert.equal(v.length, 60);
  assert.equal(new Set(v).size, v.length, 'no token twice');
});

test('every word of the texts tokenizes without [UNK], and frequent words are one token', async () => {
  const tokens = buildWordPieceVocab(texts, { size: 120, minCharCount: 1 });
  const tok = tokenizer(tokens);
  const ids = await tok.tokenizeBatch(texts);
  const unk = tok.vocab.unkId;
  for (const row of ids) assert.ok(!row.includes(unk), `no [UNK] in ${row}`);
  assert.deepEqual(tok.tokenize('click'), [tokens.indexOf('click')]);
  assert.deepEqual(tok.tokenize('meeting'), [tokens.indexOf('meeting')]);
});

test('a word never seen is cut into learnt pieces rather than [UNK]', () => {
  const tokens = buildWordPieceVocab(texts, { size: 200, minCharCount: 1 });
  const pieces = tokenizer(tokens).tokenize('clicking').map((id) => tokens[id]);
  assert.equal(pieces.join('').replace(/##/g, ''), 'clicking');
  assert.ok(pieces.length >= 2 && pieces[0] === 'click', pieces.join(' '));
});

test('the same texts give the same vocabulary; the size is respected; bad sizes are refused', () => {
  assert.deepEqual(buildWordPieceVocab(texts, { size: 80 }), buildWordPieceVocab([...texts], { size: 80 }));
  assert.ok(buildWordPieceVocab(texts, { size: 10_000 }).length < 10_000, 'a small corpus gives a smaller vocabulary');
  assert.throws(() => buildWordPieceVocab(texts, { size: 3 }), /vocabulary size must be an integer >= 7, got 3/);
  assert.throws(() => buildWordPieceVocab(['   ', ''], { size: 50 }), /the texts hold no words/);
});
