import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTableDataset } from '../../../trainer/data/tableDataset';

const dir = mkdtempSync(join(tmpdir(), 'lrc-table-'));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

test('CSV with quoting: classes in order of first appearance, ids are the lines', () => {
  const path = file('reviews.csv', 'review,stars,sentiment\n"Great, really great",5,pos\n"Not ""great""",1,neg\nMeh,3,neutral\n"ok\nfine",4,pos\n');
  const d = readTableDataset(path, { columns: { text: 'review', label: 'sentiment' } });
  assert.deepEqual(d.labelNames, ['pos', 'neg', 'neutral']);
  assert.deepEqual(d.examples, [
    { id: '2', text: 'Great, really great', label: 0 },
    { id: '3', text: 'Not "great"', label: 1 },
    { id: '4', text: 'Meh', label: 2 },
    { id: '5', text: 'ok\nfine', label: 0 },
  ]);
  assert.equal(d.name, 'reviews.csv');
});

test('given class names fix the label order; a label outside them is an error with file and line', () => {
  const path = file('given.csv', 'text,label\na,neg\nb,pos\nc,other\n');
  assert.throws(() => readTableDataset(path, { columns: { text: 'text', label: 'label' }, labelNames: ['pos', 'neg'] }), /given.csv:4: column "label": expected one of "pos", "neg" \(data\.labelNames\), found "other"/);
  const ok = readTableDataset(file('given2.csv', 'text,label\na,neg\nb,pos\n'), { columns: { text: 'text', label: 'label' }, labelNames: ['pos', 'neg'] });
  assert.deepEqual(ok.examples.map((e) => e.label), [1, 0]);
});

test('TSV without header: columns by number, quotes literal, text pairs', () => {
  const path = file('pairs.tsv', 'a "quoted\tsecond\tyes\nthird\tfourth\tno\n');
  const d = readTableDataset(path, { header: false, columns: { text: '0', textPair: '1', label: '2' } });
  assert.deepEqual(d.examples, [
    { id: '1', text: 'a "quoted', textPair: 'second', label: 0 },
    { id: '2', text: 'third', textPair: 'fourth', label: 1 },
  ]);
});

test('JSON lines: string, number and boolean labels become class names; regression reads numbers', () => {
  const path = file('data.jsonl', '{"q": "first", "a": "x", "y": 1}\n\n{"q": "second", "a": "z", "y": 0}\n{"q": "third", "a": "w", "y": true}\n');
  const d = readTableDataset(path, { columns: { text: 'q', textPair: 'a', label: 'y' } });
  assert.deepEqual(d.labelNames, ['1', '0', 'true']);
  assert.deepEqual(d.examples.map((e) => [e.id, e.text, e.textPair, e.label]), [['1', 'first', 'x', 0], ['3', 'second', 'z', 1], ['4', 'third', 'w', 2]]);
  const reg = readTableDataset(file('scores.jsonl', '{"t": "a", "s": 0.5}\n{"t": "b", "s": "4.25"}\n'), { columns: { text: 't', label: 's' }, kind: 'regression' });
  assert.deepEqual([reg.kind, reg.labelNames, reg.examples.map((e) => e.label)], ['regression', [], [0.5, 4.25]]);
});

test('errors: missing file, unknown column, wrong column count, bad JSON, missing field, bad score, empty, unknown extension', () => {
  const cols = { columns: { text: 'text', label: 'label' } };
  assert.throws(() => readTableDataset(join(dir, 'none.csv'), cols), /none.csv: expected a data file, found no file at this path/);
  assert.throws(() => readTableDataset(file('h.csv', 'sentence,label\nx,1\n'), cols), /h.csv:1: columns\.text: expected a column of the header line \("sentence", "label"\), found "text"$/);
  assert.throws(() => readTableDataset(file('w.csv', 'text,label\nx,1\ny,1,extra\n'), cols), /w.csv:3: expected 2 comma-separated fields \(as the header line has\), found 3/);
  assert.throws(() => readTableDataset(file('b.jsonl', '{"text": "a", "label": 1}\n{"text": \n'), cols), /b.jsonl:2: expected a JSON object on each line, found `{"text":`, which is not valid JSON/);
  assert.throws(() => readTableDataset(file('m.jsonl', '{"text": "a"}\n'), cols), /m.jsonl:1: key "label": expected a text, found nothing/);
  assert.throws(() => readTableDataset(file('s.csv', 'text,label\na,high\n'), { ...cols, kind: 'regression' }), /s.csv:2: column "label": expected a number \(the label of a regression task\), found "high"/);
  assert.throws(() => readTableDataset(file('e.csv', 'text,label\n'), cols), /e.csv:1: expected examples after the header line, found only the header line \("text", "label"\)$/);
  assert.throws(() => readTableDataset(file('e.txt', 'x'), cols), /e.txt: data\.format: expected a \.csv, .*, found the extension "\.txt"/);
});
