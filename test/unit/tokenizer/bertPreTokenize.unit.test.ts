import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bertPreTokenize, isChineseChar, isPunctuation, normalizeBertText, UNCASED_SETTINGS } from '../../../trainer/tokenizer/bertPreTokenize';

const CASED = { ...UNCASED_SETTINGS, lowercase: false, stripAccents: false };

test('lowercasing strips accents: Héllo -> hello, naïve café -> naive cafe', () => {
  assert.equal(normalizeBertText('Héllo', UNCASED_SETTINGS), 'hello');
  assert.deepEqual(bertPreTokenize('Naïve CAFÉ', UNCASED_SETTINGS), ['naive', 'cafe']);
});

test('the cased settings keep case and accents', () => {
  assert.deepEqual(bertPreTokenize('Héllo World', CASED), ['Héllo', 'World']);
});

test('punctuation (ASCII symbols included) becomes words of its own', () => {
  assert.deepEqual(bertPreTokenize("Hello, world! It's $5.00-ish", UNCASED_SETTINGS), [
    'hello', ',', 'world', '!', 'it', "'", 's', '$', '5', '.', '00', '-', 'ish',
  ]);
  assert.ok(isPunctuation('«') && isPunctuation('^') && isPunctuation('`') && isPunctuation('~'));
  assert.ok(!isPunctuation('a') && !isPunctuation('中'));
});

test('CJK ideographs are split one by one; Hangul and kana are not', () => {
  assert.deepEqual(bertPreTokenize('中国人abc', UNCASED_SETTINGS), ['中', '国', '人', 'abc']);
  assert.ok(isChineseChar(0x4e2d) && isChineseChar(0x20000) && isChineseChar(0xf900));
  assert.ok(!isChineseChar('こ'.codePointAt(0)!) && !isChineseChar('안'.codePointAt(0)!));
  assert.deepEqual(bertPreTokenize('中国', { ...UNCASED_SETTINGS, handleChineseChars: false }), ['中国']);
});

test('clean text: NUL, U+FFFD and control/format characters vanish; any whitespace splits', () => {
  assert.deepEqual(bertPreTokenize('hel\u200blo\u0000 wo\uFFFDrld', UNCASED_SETTINGS), ['hello', 'world']);
  assert.deepEqual(bertPreTokenize('a\tb\nc\r\nd\u3000e\u00a0f\u2028g', UNCASED_SETTINGS), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.deepEqual(bertPreTokenize('   ', UNCASED_SETTINGS), []);
});
