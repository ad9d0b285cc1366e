// Against the real bert-base-uncased vocabulary (shared data; skipped when absent). Expected ids are
// looked up in vocab.txt by this test (line number = id), independently of the tokenizer code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { readGlueSplit } from '../../../trainer/data/glueReader';
import { sharedDataFile, sharedDataSkipMessage } from '../../../trainer/data/sharedData';
import { encodeIds } from '../../../trainer/tokenizer/encode';
import { LibraryBertTokenizer, loadTokenizersLibrary } from '../../../trainer/tokenizer/libraryTokenizer';
import { loadTokenizer, specFromTokenizerJson, specFromVocabTxt } from '../../../trainer/tokenizer/loadTokenizer';
import { TypeScriptBertTokenizer } from '../../../trainer/tokenizer/typescriptTokenizer';

const repoRoot = resolve(__dirname, '../../..');
const vocabPath = sharedDataFile(repoRoot, 'bert-base-uncased', 'vocab.txt');
const jsonPath = sharedDataFile(repoRoot, 'bert-base-uncased', 'tokenizer.json');
const skip = vocabPath && jsonPath ? false : sharedDataSkipMessage('bert-base-uncased/vocab.txt and tokenizer.json');
let skipLibrary: string | false = skip;
try {
  loadTokenizersLibrary();
} catch (e) {
  skipLibrary ||= `skipped: ${(e as Error).message}`;
}

/** The id of a token: its 0-based line in vocab.txt. */
function idOf(token: string): number {
  const lines = readFileSync(vocabPath!, 'utf8').split('\n');
  const id = lines.indexOf(token);
  assert.ok(id >= 0, `${token} is not in vocab.txt`);
  return id;
}

const SENTENCES = [
  'Hello, world!',
  'Héllo',
  'unaffable',
  '中国人 你好',
  "It's a truly un-believable, hyper-extraordinary movie!!! 10/10 -- ÀÉÎÕÜ naïve café",
  'hello [SEP] world [CLS]x [sep]',
  'tab\there\nnew line\u00a0nbsp\u3000ideographic\u200bzero-width \u0000nul',
  'Ελληνικά Русский עברית عربى 안녕하세요 こんにちは \u{1F600} ｆｕｌｌ',
  'a'.repeat(101) + ' ' + 'b'.repeat(100),
  '',
];

test('hand-checked ids: hello , world ! [CLS] [SEP] [UNK] and the ## pieces of unaffable', { skip }, () => {
  assert.equal(idOf('hello'), 7592);
  assert.equal(idOf(','), 1010);
  assert.equal(idOf('world'), 2088);
  assert.equal(idOf('!'), 999);
  assert.equal(idOf('[CLS]'), 101);
  assert.equal(idOf('[SEP]'), 102);
  assert.equal(idOf('[UNK]'), 100);
  const ts = new TypeScriptBertTokenizer(specFromVocabTxt(vocabPath!));
  const encoded = encodeIds(ts.tokenize('Hello, world!'), undefined, 16, ts.vocab);
  assert.deepEqual(encoded.inputIds, [101, 7592, 1010, 2088, 999, 102]);
  assert.deepEqual(ts.tokenize('Héllo'), [7592]);
  // The real vocab has '##ffa', so greedy longest match gives una ##ffa ##ble (not the docstring's una ##ff ##able).
  assert.deepEqual(ts.tokenize('unaffable'), [idOf('una'), idOf('##ffa'), idOf('##ble')]);
  // 你 and 好 are not in bert-base-uncased's vocabulary; 中 国 人 are.
  assert.deepEqual(ts.tokenize('中国人 你好'), [idOf('中'), idOf('国'), idOf('人'), 100, 100]);
  assert.deepEqual(ts.tokenize('a'.repeat(101)), [100]);
});

test('library (tokenizer.json), TypeScript (vocab.txt and tokenizer.json) and library (vocab.txt) agree', { skip: skipLibrary }, async () => {
  const library = await loadTokenizer(resolve(jsonPath!, '..'));
  assert.equal(library.implementation, 'tokenizers-library');
  const fromJson = new TypeScriptBertTokenizer(specFromTokenizerJson(jsonPath!));
  const fromVocab = new TypeScriptBertTokenizer(specFromVocabTxt(vocabPath!));
  const libraryFromVocab = await LibraryBertTokenizer.fromSpec(specFromVocabTxt(vocabPath!));
  const expected = await library.tokenizeBatch(SENTENCES);
  assert.deepEqual(await fromJson.tokenizeBatch(SENTENCES), expected);
  assert.deepEqual(await fromVocab.tokenizeBatch(SENTENCES), expected);
  assert.deepEqual(await libraryFromVocab.tokenizeBatch(SENTENCES), expected);
  assert.deepEqual(expected[0], [7592, 1010, 2088, 999]);
});

test("our [CLS]/[SEP] layout, token types and truncation match the library's own post-processing of tokenizer.json", { skip: skipLibrary }, async () => {
  const lib = loadTokenizersLibrary();
  const native = lib.Tokenizer.fromFile(jsonPath!);
  const ts = new TypeScriptBertTokenizer(specFromVocabTxt(vocabPath!));
  for (const maxLength of [6, 7, 12, 40]) {
    native.setTruncation(maxLength); // the default strategy is LongestFirst
    for (let i = 0; i + 1 < SENTENCES.length; i++) {
      const [a, b] = [SENTENCES[i], SENTENCES[i + 1]];
      const theirs = await native.encode(a, b);
      const ours = encodeIds(ts.tokenize(a), ts.tokenize(b), maxLength, ts.vocab);
      assert.deepEqual(ours.inputIds, theirs.getIds(), `pair ${i} at maxLength ${maxLength}`);
      assert.deepEqual(ours.tokenTypeIds, theirs.getTypeIds(), `pair ${i} at maxLength ${maxLength}`);
    }
  }
});

test('library and TypeScript give identical ids on every GLUE dev sentence at hand', { skip: skipLibrary }, async () => {
  const glue = resolve(vocabPath!, '..', '..', 'glue');
  const texts: string[] = [];
  for (const [task, split] of [['CoLA', 'dev'], ['SST-2', 'dev'], ['MRPC', 'dev'], ['STS-B', 'dev'], ['RTE', 'dev']]) {
    try {
      const d = readGlueSplit(glue, task, split);
      for (const e of d.examples) texts.push(e.text, ...(e.textPair === undefined ? [] : [e.textPair]));
    } catch {
      // a task that is not in the shared data is simply not compared
    }
  }
  if (texts.length === 0) return;
  const library = await loadTokenizer(resolve(jsonPath!, '..'));
  const ts = new TypeScriptBertTokenizer(specFromVocabTxt(vocabPath!));
  const a = await library.tokenizeBatch(texts);
  const b = await ts.tokenizeBatch(texts);
  const differ = texts.filter((_, i) => a[i].join() !== b[i].join());
  assert.deepEqual(differ, [], `${differ.length} of ${texts.length} sentences differ`);
});
