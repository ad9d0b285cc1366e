// The parts of the one error path: one line by construction, the message of a problem, JSON with the
// line of its first syntax error and of a field, zod issues with the value found, the CLI's report
// (one line, the stack only when asked), UTF-8 checking, a torn metrics line set aside, what makes a
// header line look like data, and the extension's reading of "file:line" out of a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { cliErrorReport, describeZodError, formatProblem, InputError, jsonLineOf, oneLine, parseJsonFile, UserError } from '../../../trainer/errors';
import { decodeUtf8, firstInvalidUtf8 } from '../../../trainer/data/delimitedText';
import { headerLooksLikeData } from '../../../trainer/data/tableDataset';
import { readMetrics, setAsideTornLine } from '../../../trainer/runs/metricsLog';
import { locationsInMessage } from '../../../extension/util/errorLocation';
import { tempDir } from '../helpers/tempDir';

test('a UserError is one line whatever it is given; a list becomes "x: a; b"', () => {
  assert.equal(oneLine('folder: the weights do not fit:\n  - missing a\n  - b has shape [2]'), 'folder: the weights do not fit: missing a; b has shape [2]');
  assert.equal(new UserError('Unexpected token\n "{\n  x" is not valid JSON').message, 'Unexpected token "{ x" is not valid JSON');
  assert.doesNotMatch(new UserError('a\r\nb\nc').message, /[\r\n]/);
});

test('an input problem reads file:line: field: expected X, found Y; hint, without the parts it lacks', () => {
  assert.equal(formatProblem({ file: '/d/t.tsv', line: 3, field: 'column "label"', expected: 'one of "a", "b"', found: '"c"', hint: 'fix it' }), '/d/t.tsv:3: column "label": expected one of "a", "b", found "c"; fix it');
  assert.equal(formatProblem({ field: '--epochs', expected: 'a number', found: '"x"' }), '--epochs: expected a number, found "x"');
  assert.equal(formatProblem({ file: '/d/f', expected: 'a file', found: 'a folder' }), '/d/f: expected a file, found a folder');
  const e = new InputError({ file: '/d/t.tsv', line: 3, field: 'col', expected: 'x', found: 'y' });
  assert.ok(e instanceof UserError);
  assert.deepEqual([e.file, e.line, e.field, e.where], ['/d/t.tsv', 3, 'col', '/d/t.tsv:3']);
});

test('JSON: a syntax error at its line, with what was expected and found; an empty file; a BOM is fine', () => {
  const at = (text: string) => {
    try {
      parseJsonFile(text, 'c.json', 'a run config');
      return 'parsed';
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.equal(at('{\n  "a": 1\n  "b": 2\n}'), 'c.json:3: expected valid JSON: \',\' or \'}\' after a member of an object, found `"b": 2`');
  assert.equal(at('{\n  "a": [1, 2,]\n}'), 'c.json:2: expected valid JSON: a value (an object, array, string, number, true, false or null), found `]`');
  assert.equal(at('{ "a": "x\n" }'), 'c.json:1: expected valid JSON: the closing quote of the string before the end of the line, found the end of the line');
  assert.equal(at('{ "a": 1 } x'), 'c.json:1: expected valid JSON: the end of the JSON text, found `x`');
  assert.equal(at('{ "a": 01 }'), 'c.json:1: expected valid JSON: \',\' or \'}\' after a member of an object, found `1 }`');
  assert.equal(at('  \n'), 'c.json: expected a run config, found an empty file');
  assert.equal(at('\ufeff{"a": 1}'), 'parsed');
});

test('JSON: a key given twice in one object is refused at the line of its second occurrence, with its path', () => {
  const at = (text: string) => {
    try {
      parseJsonFile(text, 'c.json');
      return 'parsed';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const tail = 'expected each key once in an object, found "lr" given a second time; remove one of them (JSON keeps only the last, silently)';
  assert.equal(at('{\n  "optim": {\n    "lr": 1,\n    "batchSize": 8,\n    "lr": 2\n  }\n}'), `c.json:5: optim.lr: ${tail}`);
  // the same key after unescaping is the same key; at the top level the path is the key
  assert.equal(at('{ "lr": 1,\n "\\u006cr": 2 }'), `c.json:2: lr: ${tail}`);
  // inside an array element, the element's index is in the path
  assert.match(at('{ "runs": [ {}, { "seed": 1, "seed": 2 } ] }'), /^c\.json:1: runs\.1\.seed: expected each key once/);
  // the same key in two objects, and keys that differ only in case, are fine
  assert.equal(at('{ "a": { "x": 1 }, "b": { "x": 1 }, "X": 1, "x": 2 }'), 'parsed');
  // a syntax error is still reported as one
  assert.match(at('{ "a": 1, "a": }'), /^c\.json:1: expected valid JSON: a value/);
});

test('the line of a field in a JSON text: the key\'s line, an array element\'s, else the nearest enclosing member', () => {
  const text = JSON.stringify({ kind: 'teacher', optim: { batchSize: 0, epochs: 3 }, loss: { layerMapping: [1, 2, 9] } }, null, 2);
  const lines = text.split('\n');
  const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
  assert.equal(jsonLineOf(text, ['optim', 'batchSize']), lineOf('"batchSize"'));
  assert.equal(jsonLineOf(text, ['loss', 'layerMapping', 2]), lineOf('9'));
  assert.equal(jsonLineOf(text, ['optim', 'warmup']), lineOf('"optim"'));
  assert.equal(jsonLineOf(text, ['model']), undefined);
});

test('zod issues name the field and, for a bad value, what was found', () => {
  const schema = z.object({ seed: z.number(), split: z.number().max(1), kind: z.enum(['a', 'b']), when: z.string() }).strict();
  const input = { seed: '42', split: 2, kind: 'c', extra: 1 };
  const parsed = schema.safeParse(input);
  assert.ok(!parsed.success);
  assert.equal(
    describeZodError(parsed.error, input),
    "seed: Expected number, received string, found \"42\"; split: Number must be less than or equal to 1, found 2; kind: Invalid enum value. Expected 'a' | 'b', received 'c'; when: Required; (message): Unrecognized key(s) in object: 'extra'",
  );
  assert.doesNotMatch(describeZodError(parsed.error), /found/, 'without the input, as the sweep code calls it, nothing is added');
});

test('the CLI report: a UserError is one line and exit 2, the stack only with debug; anything else an internal error, exit 1', () => {
  const input = cliErrorReport(new InputError({ file: '/t.tsv', line: 2, expected: 'x', found: 'y' }), false);
  assert.deepEqual(input, { text: 'lrc-distill: /t.tsv:2: expected x, found y', exitCode: 2 });
  const debug = cliErrorReport(new UserError('bad'), true);
  assert.equal(debug.exitCode, 2);
  assert.match(debug.text, /^lrc-distill: bad\nUserError: bad\n\s+at /);
  const bug = cliErrorReport(new TypeError('x is undefined'), false);
  assert.deepEqual(bug, { text: 'lrc-distill: internal error: x is undefined (run again with --debug or LRC_DEBUG=1 for the stack trace)', exitCode: 1 });
  assert.match(cliErrorReport(new TypeError('x is undefined'), true).text, /^lrc-distill: internal error: x is undefined\nTypeError: x is undefined\n\s+at /);
});

test('UTF-8: the first bad byte is found (a Latin-1 byte, a cut sequence, an overlong form, a surrogate); good text passes', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  assert.equal(firstInvalidUtf8(bytes('café ✓ 𝄞')), -1);
  assert.equal(firstInvalidUtf8(bytes('ab', [0xe9], 'c')), 2);
  assert.equal(firstInvalidUtf8(bytes('ab', [0xe2, 0x9c])), 2, 'a sequence cut by the end of the file');
  assert.equal(firstInvalidUtf8(bytes([0xc0, 0xaf])), 0, 'an overlong "/"');
  assert.equal(firstInvalidUtf8(bytes('x', [0xed, 0xa0, 0x80])), 1, 'a UTF-16 surrogate');
  assert.equal(firstInvalidUtf8(bytes([0xf4, 0x90, 0x80, 0x80])), 0, 'past U+10FFFF');
  assert.throws(() => decodeUtf8(bytes('a\tb\nc\t', [0xe9], 'd\n'), 'f.tsv'), { message: 'f.tsv:2: expected UTF-8 text, found the byte 0xE9 at byte 3 of the line; a Latin-1 or Windows-1252 file? save it as UTF-8' });
  assert.equal(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'a\tb'), 'f.tsv'), 'a\tb', 'a UTF-8 byte order mark is dropped');
});

test('a metrics.jsonl line cut by a crash is set aside whole, once; a whole file is left alone', () => {
  const dir = tempDir();
  const file = join(dir, 'metrics.jsonl');
  const whole = '{"type":"start","step":0,"time":"t"}\n{"type":"progress","step":1,"time":"t"}\n';
  writeFileSync(file, whole);
  assert.equal(setAsideTornLine(file), undefined);
  assert.equal(readFileSync(file, 'utf8'), whole);
  writeFileSync(file, whole + '{"type":"prog');
  assert.deepEqual(setAsideTornLine(file), { bytes: 13, file: `${file}.torn` });
  assert.equal(readFileSync(file, 'utf8'), whole);
  assert.equal(readFileSync(`${file}.torn`, 'utf8'), '{"type":"prog\n');
  assert.equal(setAsideTornLine(file), undefined, 'nothing more to set aside');
  assert.equal(readMetrics(file).length, 2);
  writeFileSync(file, 'x'.repeat(70_000));
  assert.deepEqual(setAsideTornLine(file), { bytes: 70_000, file: `${file}.torn` }, 'a fragment longer than one read');
  assert.equal(readFileSync(file, 'utf8'), '');
});

test('a header line looks like data: a cell no column name would be, or a value its column has below', () => {
  const row = (line: number, ...fields: string[]) => ({ line, fields });
  assert.equal(headerLooksLikeData(row(1, 'sentence', 'label'), [row(2, 'a good film', 'pos'), row(3, 'bad', 'neg')]), undefined);
  assert.match(headerLooksLikeData(row(1, 'Leaders meet to sign a border treaty', 'World'), [row(2, 'x', 'Sports')])!, /is no column name/);
  assert.equal(headerLooksLikeData(row(1, 'good', 'pos'), [row(2, 'bad', 'neg'), row(3, 'fine', 'pos')]), 'its cell "pos" is a value of that column on line 3 too');
});

test('the extension finds file:line in a message: absolute paths (with spaces, on Windows), not words with colons', () => {
  assert.deepEqual(locationsInMessage('run 20261204-teacher-4cbe87 failed: /tmp/news/news.tsv:1: columns.text: expected a column'), [{ file: '/tmp/news/news.tsv', line: 1 }]);
  assert.deepEqual(locationsInMessage('LRC Distill: /home/me/my data/dev.tsv:3: column "label": expected one of "pos", found "x"'), [{ file: '/home/me/my data/dev.tsv', line: 3 }]);
  assert.deepEqual(locationsInMessage('C:\\Users\\me\\train.tsv:12: expected UTF-8 text'), [{ file: 'C:\\Users\\me\\train.tsv', line: 12 }]);
  assert.deepEqual(locationsInMessage('/x/teacher/model.safetensors: expected the tensors of config.json, found 1 problem'), [{ file: '/x/teacher/model.safetensors' }]);
  assert.deepEqual(locationsInMessage('control set alpha: expected a number (name=number, e.g. alpha=1), found "high"'), []);
  assert.deepEqual(locationsInMessage('--task: expected demo, glue:<TASK> (e.g. glue:SST-2) or file'), []);
  assert.deepEqual(locationsInMessage("no run 'nope' in /tmp/runs"), []);
});
