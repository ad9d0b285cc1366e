import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv, parseTsv, readTextFile } from '../../../trainer/data/delimitedText';

test('TSV: split on tab only, quotes are literal, \\r\\n handled, empty lines skipped, lines counted', () => {
  const rows = parseTsv('a\tb\r\n"x, y\t"z\n\nlast\t"\n');
  assert.deepEqual(rows, [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['"x, y', '"z'] },
    { line: 4, fields: ['last', '"'] },
  ]);
});

test('CSV: quoted commas, doubled quotes, newlines inside quotes, and the line where each row starts', () => {
  const rows = parseCsv('text,label\n"Hello, world",pos\n"He said ""hi""",neg\n"two\nlines",pos\r\nplain,neg', 'f.csv');
  assert.deepEqual(rows, [
    { line: 1, fields: ['text', 'label'] },
    { line: 2, fields: ['Hello, world', 'pos'] },
    { line: 3, fields: ['He said "hi"', 'neg'] },
    { line: 4, fields: ['two\nlines', 'pos'] },
    { line: 6, fields: ['plain', 'neg'] },
  ]);
  assert.deepEqual(parseCsv('a,"",c\n', 'f.csv'), [{ line: 1, fields: ['a', '', 'c'] }]);
  assert.deepEqual(parseCsv('a,b"c\n', 'f.csv'), [{ line: 1, fields: ['a', 'b"c'] }]);
});

test('CSV errors name the file and line', () => {
  assert.throws(() => parseCsv('a,b\n"open,\nstill open', 'f.csv'), /f.csv:2: expected the closing quote of the quoted field that starts on this line, found the end of the file/);
  assert.throws(() => parseCsv('a,b\nx,"q"z\n', 'f.csv'), /f.csv:2: expected "," or the end of the line after a closing quote, found "z"/);
});

test('readTextFile drops a UTF-8 BOM and names a missing file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lrc-text-'));
  writeFileSync(join(dir, 'bom.tsv'), '\ufeffQuality\tx\n');
  assert.equal(readTextFile(join(dir, 'bom.tsv')), 'Quality\tx\n');
  assert.throws(() => readTextFile(join(dir, 'nope.tsv')), /nope.tsv: expected a data file, found no file at this path/);
});
