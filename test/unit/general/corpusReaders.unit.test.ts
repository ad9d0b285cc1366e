// The corpus readers of general distillation: every format, records cut across chunk boundaries, the
// windows of a document, resuming at a position, and one clear line for each bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tempDir';
import { listCorpusFiles } from '../../../trainer/general/corpusFiles';
import { readRecords, type CorpusReadSettings } from '../../../trainer/general/corpusRecords';
import { readLines } from '../../../trainer/general/lineReader';
import { PassageStream } from '../../../trainer/general/passageStream';
import { openCorpus } from '../../../trainer/general/corpusFeed';
import { loadTokenizer } from '../../../trainer/tokenizer/loadTokenizer';
import { InputError, UserError } from '../../../trainer/errors';

const dir = tempDir('lrc-corpus-');
const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'far', 'away', 'é', 'naïve'];
const settings = (extra: Partial<CorpusReadSettings> = {}): CorpusReadSettings => ({ text: 'lines', field: 'text', column: 'text', header: true, chunkBytes: 7, ...extra });

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const texts = (file: string, s = settings(), from?: { offset: number; line: number }) =>
  [...readRecords(listCorpusFiles([file])[0], s, from)].map((r) => [r.text, r.line]);

async function tokenizer() {
  const folder = join(dir, 'tok');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'vocab.txt'), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...WORDS.filter((w) => /^[a-z]+$/.test(w))].join('\n') + '\n');
  return loadTokenizer(folder);
}

test('lines: every line read through chunks smaller than a line, with \\r\\n, a BOM and multi-byte characters', () => {
  const file = write('a.txt', '\ufeffthe cat sat\r\n\non a mat é naïve\r\n   \nthe dog ran far away');
  const lines = [...readLines(file, undefined, 3)].map((l) => l.text);
  assert.deepEqual(lines, ['the cat sat', '', 'on a mat é naïve', '   ', 'the dog ran far away']);
  assert.deepEqual(texts(file), [['the cat sat', 1], ['on a mat é naïve', 3], ['the dog ran far away', 5]]);
});

test('a file many times larger than a chunk streams whole, and resuming at any record gives the rest', () => {
  const rows = Array.from({ length: 500 }, (_, i) => `${WORDS[i % WORDS.length]} line ${i}`);
  const file = write('big.txt', rows.join('\n') + '\n');
  const all = [...readRecords(listCorpusFiles([file])[0], settings({ chunkBytes: 64 }))];
  assert.deepEqual(all.map((r) => r.text), rows);
  const at = all[317];
  const rest = [...readRecords(listCorpusFiles([file])[0], settings({ chunkBytes: 64 }), { offset: at.start, line: at.line })];
  assert.deepEqual(rest.map((r) => r.text), rows.slice(317));
  assert.equal(rest[0].line, 318);
});

test('documents: blank-line separated, one record each', () => {
  const file = write('docs.txt', 'the cat\nsat on\n\n\na dog\nran\n\nfar');
  assert.deepEqual(texts(file, settings({ text: 'documents' })), [['the cat\nsat on', 1], ['a dog\nran', 5], ['far', 8]]);
});

test('jsonl: the named field; csv: a quoted column spanning lines; tsv: quotes are literal; headerless by number', () => {
  const jsonl = write('c.jsonl', '{"id":1,"body":"the cat"}\n\n{"id":2,"body":"a \\"dog\\""}\n');
  assert.deepEqual(texts(jsonl, settings({ field: 'body' })), [['the cat', 1], ['a "dog"', 3]]);
  const csv = write('c.csv', 'id,text\n1,"the cat, sat\non a mat"\n2,dog\n');
  assert.deepEqual(texts(csv), [['the cat, sat\non a mat', 2], ['dog', 4]]);
  const tsv = write('c.tsv', 'text\tlabel\n"the cat\t1\ndog "ran\t0\n');
  assert.deepEqual(texts(tsv), [['"the cat', 2], ['dog "ran', 3]]);
  const bare = write('bare.tsv', '1\tthe cat\n2\tdog\n');
  assert.deepEqual(texts(bare, settings({ header: false, column: '1' })), [['the cat', 1], ['dog', 2]]);
  // resumed past the header, the header still names the column
  assert.deepEqual(texts(csv, settings(), { offset: 'id,text\n1,"the cat, sat\non a mat"\n'.length, line: 4 }), [['dog', 4]]);
});

test('folders: the corpus files inside, sorted, hidden ones and other extensions left out', () => {
  write('tree/b/2.txt', 'x\n');
  write('tree/a.jsonl', '{"text":"y"}\n');
  write('tree/.hidden.txt', 'z\n');
  write('tree/notes.md', 'w\n');
  assert.deepEqual(listCorpusFiles([join(dir, 'tree')]).map((f) => [f.path.slice(dir.length + 6), f.format]), [['a.jsonl', 'jsonl'], ['b/2.txt', 'txt']]);
});

test('every bad input is one line naming the file, line and field', () => {
  const bad = (f: () => unknown, fragment: string) => assert.throws(f, (e: unknown) => e instanceof UserError && !e.message.includes('\n') && e.message.includes(fragment), fragment);
  const read = (file: string, s = settings()) => () => [...readRecords(listCorpusFiles([file])[0], s)];
  bad(() => listCorpusFiles([join(dir, 'nope.txt')]), 'nope.txt: corpus: expected a corpus file or folder, found no file or folder at this path');
  bad(() => listCorpusFiles([write('x.pdf', '')]), "x.pdf: corpus: expected a .txt, .jsonl, .tsv or .csv file, found the extension \".pdf\"");
  mkdirSync(join(dir, 'empty'));
  bad(() => listCorpusFiles([join(dir, 'empty')]), 'empty: corpus: expected a .txt, .jsonl, .tsv or .csv file in the folder, found none');
  bad(read(write('b1.jsonl', '{"text":"a"}\n{"text": oops}\n')), 'b1.jsonl:2: expected a JSON object, found `{"text": oops}`');
  bad(read(write('b2.jsonl', '{"text":"a"}\n{"body":"b"}\n')), 'b2.jsonl:2: field "text": expected a string, found no such field (the fields: "body")');
  bad(read(write('b3.jsonl', '{"text":3}\n')), 'b3.jsonl:1: field "text": expected a string, found 3');
  bad(read(write('b4.csv', 'id,body\n1,a\n')), 'b4.csv:1: column "text": expected a column of the header line, found "id", "body"');
  bad(read(write('b5.tsv', 'id\ttext\n1\tok\n2\n')), 'b5.tsv:3: column "text": expected at least 2 fields, found 1');
  bad(read(write('b6.tsv', '1\ta\n'), settings({ header: false })), 'b6.tsv: column "text": expected a 0-based column number (the file has no header line), found "text"');
  bad(read(write('b7.txt', Buffer.concat([Buffer.from('ok\nab'), Buffer.from([0xe9]), Buffer.from('\n')]) as unknown as string)), 'b7.txt:2: expected UTF-8 text, found the byte 0xE9');
  assert.ok(new InputError({ expected: 'x', found: 'y' }) instanceof UserError);
});

test('passages: a document is cut into windows of maxLength - 2 word pieces; a line is truncated', async () => {
  const tok = await tokenizer();
  const doc = write('w.txt', 'the cat sat on a mat the dog ran\n\nfar away\n');
  const stream = new PassageStream(listCorpusFiles([doc]), { ...settings({ text: 'documents' }), maxLength: 6 }, tok);
  const got: number[][] = [];
  for (let p = await stream.next(); p; p = await stream.next()) got.push(p.inputIds);
  const id = (w: string) => tok.vocab.idOf(w);
  assert.deepEqual(got, [
    [2, id('the'), id('cat'), id('sat'), id('on'), 3],
    [2, id('a'), id('mat'), id('the'), id('dog'), 3],
    [2, id('ran'), 3],
    [2, id('far'), id('away'), 3],
  ]);
  const lines = new PassageStream(listCorpusFiles([doc]), { ...settings(), maxLength: 6 }, tok);
  assert.deepEqual((await lines.next())!.inputIds, got[0]);
  assert.equal((await lines.next())!.inputIds.length, 4); // "far away": the next non-blank line
});

test('resuming a stream at its position, mid-document, gives the same passages as reading on', async () => {
  const tok = await tokenizer();
  const files = listCorpusFiles([write('r1.txt', 'the cat sat on a mat\n\nthe dog\n'), write('r2.jsonl', '{"text":"far away"}\n{"text":"a cat ran"}\n')]);
  const s = { ...settings({ text: 'documents', chunkBytes: 5 }), maxLength: 4 };
  const whole = new PassageStream(files, s, tok);
  const all: string[] = [];
  const positions = [];
  for (;;) {
    positions.push(whole.position);
    const p = await whole.next();
    if (!p) break;
    all.push(`${p.source.split('/').pop()} ${p.inputIds.join(' ')}`);
  }
  assert.equal(all.length, 3 + 1 + 2); // 6 words in windows of 2, "the dog", then two truncated jsonl passages
  for (let k = 0; k < all.length; k++) {
    const resumed = new PassageStream(files, s, tok, positions[k]);
    const rest: string[] = [];
    for (let p = await resumed.next(); p; p = await resumed.next()) rest.push(`${p.source.split('/').pop()} ${p.inputIds.join(' ')}`);
    assert.deepEqual(rest, all.slice(k), `from passage ${k}`);
  }
});

test('the feed: held-out passages first, batches wrap into the next pass, a saved state goes on exactly', async () => {
  const tok = await tokenizer();
  const file = write('feed.txt', Array.from({ length: 11 }, (_, i) => WORDS.slice(0, 1 + (i % 5)).join(' ')).join('\n') + '\n');
  const source = { paths: [file], ...settings(), devPassages: 3 };
  const open = (saved?: Parameters<typeof openCorpus>[1]['saved']) => openCorpus(source, { tokenizer: tok, maxLength: 8, batchSize: 3, saved, log: () => {} });
  const a = await open();
  assert.equal(a.dev.examples.length, 3);
  assert.equal(a.feed.examplesPerEpoch, 8);
  const rows = async (feed: typeof a.feed, step: number) => {
    const b = await feed.batch(step);
    return Array.from({ length: b.batchSize }, (_, r) => Array.from(b.inputIds.slice(r * b.seqLength, (r + 1) * b.seqLength)).join(' '));
  };
  const seen: string[][] = [];
  for (let step = 0; step < 5; step++) seen.push(await rows(a.feed, step));
  // 8 passages a pass: steps 0-1 take 6, step 2 takes 2 and wraps to the first training passage
  assert.equal(seen[2][2], seen[0][0]);
  assert.equal(a.feed.epoch, 1);
  const b = await open();
  for (let step = 0; step < 2; step++) await b.feed.batch(step);
  const saved = JSON.parse(JSON.stringify(b.feed.state()));
  const c = await open(saved);
  for (let step = 2; step < 5; step++) assert.deepEqual(await rows(c.feed, step), seen[step]);
  await assert.rejects(c.feed.batch(9), /streams in order/);
  writeFileSync(file, 'changed\n');
  await assert.rejects(open(saved), /the corpus changed since the checkpoint: .*feed.txt had \d+ bytes/);
  await assert.rejects(openCorpus({ ...source, devPassages: 50 }, { tokenizer: tok, maxLength: 8, batchSize: 3, log: () => {} }), /has 1 passages, not more than the 50 held out/);
});
