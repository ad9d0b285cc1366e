import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTokenizersLibrary } from '../../../trainer/tokenizer/libraryTokenizer';
import { loadTokenizer } from '../../../trainer/tokenizer/loadTokenizer';
import { parseTokenizerJson } from '../../../trainer/tokenizer/tokenizerJson';
import { TypeScriptBertTokenizer } from '../../../trainer/tokenizer/typescriptTokenizer';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { SMALL_VOCAB, writeSmallVocabFolder } from './smallVocab';

let skipLibrary: string | false = false;
try {
  loadTokenizersLibrary();
} catch (e) {
  skipLibrary = `skipped: ${(e as Error).message}`;
}

/** A tokenizer.json for the small vocabulary, in the current format or the old one (no model "type"). */
function tokenizerJson(options: { oldFormat?: boolean; normalizer?: object | null; modelType?: string } = {}): object {
  const vocab: Record<string, number> = {};
  SMALL_VOCAB.forEach((t, i) => (vocab[t] = i));
  const model: Record<string, unknown> = { unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab };
  if (!options.oldFormat) model.type = options.modelType ?? 'WordPiece';
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({
      id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: options.normalizer !== undefined ? options.normalizer : { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model,
  };
}

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lrc-tok-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('a folder with only vocab.txt gets the TypeScript tokenizer, uncased by default', async () => {
  const tok = await loadTokenizer(writeSmallVocabFolder());
  assert.equal(tok.implementation, 'typescript');
  assert.deepEqual(await tok.tokenizeBatch(['Héllo, WORLD!', 'unaffable']), [[5, 7, 6, 8], [9, 10, 11]]);
});

test('tokenizer_config.json do_lower_case false keeps case (Hello is then unknown in the small vocab)', async () => {
  const tok = await loadTokenizer(writeSmallVocabFolder({ do_lower_case: false }));
  assert.deepEqual(await tok.tokenizeBatch(['Hello world']), [[1, 6]]);
});

for (const oldFormat of [false, true]) {
  test(`a tokenizer.json (${oldFormat ? 'old format, no model type' : 'current format'}) gets the library, with the same ids as TypeScript`, { skip: skipLibrary }, async () => {
    const dir = folderWith({ 'tokenizer.json': JSON.stringify(tokenizerJson({ oldFormat })) });
    const lib = await loadTokenizer(dir);
    assert.equal(lib.implementation, 'tokenizers-library');
    const ts = await loadTokenizer(dir, { implementation: 'typescript' });
    assert.equal(ts.implementation, 'typescript');
    const texts = ['Héllo, WORLD!', 'unaffable x', '中国人', 'hello[SEP]world', '$5.'];
    const expected = [[5, 7, 6, 8], [9, 10, 11, 1], [12, 13, 1], [5, 3, 6], [24, 1, 25]];
    assert.deepEqual(await lib.tokenizeBatch(texts), expected);
    assert.deepEqual(await ts.tokenizeBatch(texts), expected);
  });
}

test('a tokenizer.json with another normalizer runs in the library; the TypeScript tokenizer refuses it by name', { skip: skipLibrary }, async () => {
  const normalizer = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }, { type: 'StripAccents' }] };
  const dir = folderWith({ 'tokenizer.json': JSON.stringify(tokenizerJson({ normalizer })) });
  const lib = await loadTokenizer(dir);
  assert.deepEqual(await lib.tokenizeBatch(['Héllo world']), [[5, 6]]);
  await assert.rejects(loadTokenizer(dir, { implementation: 'typescript' }), /normalizer: expected "BertNormalizer" \(the TypeScript tokenizer runs no other\), found "Sequence"/);
});

test('errors name the file and the problem', async () => {
  await assert.rejects(loadTokenizer(folderWith({})), /tokenizer: expected a folder with tokenizer.json or vocab.txt, found neither/);
  await assert.rejects(loadTokenizer(folderWith({ 'vocab.txt': '[PAD]\n[CLS]\n[SEP]\nhello\n' })), /vocab.txt: expected BERT's special tokens \[PAD\], \[UNK\], \[CLS\], \[SEP\], found the vocabulary has no \[UNK\] token/);
  await assert.rejects(loadTokenizer(folderWith({ 'vocab.txt': '[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nhello\n' })), /expected each token once, found token "hello" twice \(ids 4 and 5\)/);
  await assert.rejects(loadTokenizer(folderWith({ 'vocab.txt': '[PAD]\n\n[UNK]\n' })), /vocab.txt:2: expected a token on each line, found an empty line/);
  await assert.rejects(loadTokenizer(folderWith({ 'tokenizer.json': '{"model": ' })), /tokenizer.json:1: expected valid JSON: a value .*, found the end of the file/);
  await assert.rejects(loadTokenizer(folderWith({ 'tokenizer.json': JSON.stringify(tokenizerJson({ modelType: 'BPE' })) })), /model.type: expected "WordPiece" \(a BERT tokenizer\), found "BPE"/);
  await assert.rejects(loadTokenizer(folderWith({ 'tokenizer.json': '{"model": {"type": "WordPiece", "vocab": {"[PAD]": 0, "[UNK]": 5}}}' })), /token "\[UNK\]": expected an id, an integer in \[0, 2\), found 5/);
  await assert.rejects(loadTokenizer(writeSmallVocabFolder({ do_lower_case: 'yes' })), /tokenizer_config.json: "do_lower_case": expected true, false or null, found "yes"/);
});

test('the vocabulary round-trips through vocab.txt and reports its special ids', () => {
  const vocab = Vocabulary.fromVocabTxt(SMALL_VOCAB.join('\n') + '\n');
  assert.deepEqual([vocab.size, vocab.padId, vocab.unkId, vocab.clsId, vocab.sepId, vocab.maskId], [SMALL_VOCAB.length, 0, 1, 2, 3, 4]);
  assert.equal(vocab.toVocabTxt(), SMALL_VOCAB.join('\n') + '\n');
  assert.throws(() => vocab.tokenOf(999), /token id 999 is outside the vocabulary \(size 27\)/);
  const spec = parseTokenizerJson(JSON.stringify(tokenizerJson({ normalizer: null })), 'x.json');
  assert.deepEqual(new TypeScriptBertTokenizer(spec).tokenize('Hello hello'), [1, 5]);
});
