// Which line of a data file is which case (the CodeLens and hover): TSV, CSV and JSON lines, cut
// texts, pairs, duplicates, the run's data files from its config.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { CaseTextIndex, csvLineFields, dataFormatOf, lineFields, lineOfId, matchLines, textMatches } from '../../../extension/analysis/dataFileMatch';
import { dataFilesOfRun, samePath } from '../../../extension/analysis/dataFiles';

const cases = [
  { id: '2', text: 'a good movie' },
  { id: '3', text: 'the plot was bad' },
  { id: '7', text: 'the plot was bad' }, // the same text again, on line 7
  { id: '4', text: 'A long review that the analysis file cut at its limit, here at forty charact…' },
  { id: 'dev:5', text: 'is it raining', textPair: 'it is raining' },
];

test('TSV: the text column matches, the header and other lines do not; the id of the line wins among equal texts', () => {
  const lines = [
    'sentence\tlabel',
    'a good movie\tpos',
    'the plot was bad\tneg',
    'A long review that the analysis file cut at its limit, here at forty characters and more\tpos',
    'is it raining\tit is raining\tentailment',
    'no such example\tneg',
    'the plot was bad\tneg',
    '',
  ];
  const index = new CaseTextIndex(cases);
  const matched = matchLines(lines, 'tsv', index);
  assert.deepEqual([...matched].map(([line, c]) => [line, c.id]), [[1, '2'], [2, '3'], [3, '4'], [4, 'dev:5'], [6, '7']]);
});

test('spaces are normalised; a pair needs both texts; a cut text needs more than its prefix', () => {
  const index = new CaseTextIndex(cases);
  assert.equal(index.match(['  a   good movie ', 'pos'], 99)?.id, '2');
  assert.equal(index.match(['is it raining', 'it is snowing'], 5), undefined);
  assert.equal(index.match(['A long review that the analysis file cut at its limit, here at forty charact'], 4), undefined);
  assert.ok(textMatches('cut here…', 'cut here and more'));
  assert.ok(!textMatches('cut here…', 'cut there'));
  assert.ok(textMatches('a  b', ' a b '));
});

test('CSV lines with quotes, JSON lines by their string values', () => {
  assert.deepEqual(csvLineFields('"a, quoted ""text""",pos,3'), ['a, quoted "text"', 'pos', '3']);
  assert.deepEqual(csvLineFields('plain,,end'), ['plain', '', 'end']);
  assert.deepEqual(lineFields('{"sentence": "a good movie", "label": 1, "x": null}', 'jsonl'), ['a good movie', '1']);
  assert.deepEqual(lineFields('not json', 'jsonl'), []);
  assert.deepEqual(lineFields('[1, 2]', 'jsonl'), []);
  assert.deepEqual(lineFields('a\tb\r', 'tsv'), ['a', 'b']);
  const index = new CaseTextIndex(cases);
  const matched = matchLines(['text,label', '"the plot was bad",neg', '{"text": "a good movie"}'], 'csv', index);
  assert.deepEqual([...matched].map(([l, c]) => [l, c.id]), [[1, '3']]);
  const json = matchLines(['{"text": "a good movie", "label": "pos"}', '{"premise": "is it raining", "hypothesis": "it is raining"}'], 'jsonl', index);
  assert.deepEqual([...json].map(([l, c]) => [l, c.id]), [[0, '2'], [1, 'dev:5']]);
});

test('formats by extension, line numbers of ids', () => {
  assert.equal(dataFormatOf('/x/dev.TSV'), 'tsv');
  assert.equal(dataFormatOf('/x/a.tab'), 'tsv');
  assert.equal(dataFormatOf('/x/a.csv'), 'csv');
  assert.equal(dataFormatOf('/x/a.ndjson'), 'jsonl');
  assert.equal(dataFormatOf('/x/a.json'), 'jsonl');
  assert.equal(dataFormatOf('/x/readme.md'), undefined);
  assert.equal(lineOfId('12'), 12);
  assert.equal(lineOfId('dev_matched:40'), 40);
  assert.equal(lineOfId('ham/0042.abc'), undefined);
});

test('the data files of a run: a file task\'s train and dev (relative to the workspace), a GLUE task\'s TSVs, none for the demo', () => {
  const ws = resolve('/work/space');
  const file = dataFilesOfRun({ data: { task: 'file', train: 'data/train.csv', dev: '/abs/dev.jsonl', columns: { text: 't', label: 'l' } } }, ws);
  assert.deepEqual(file, [
    { path: join(ws, 'data', 'train.csv'), split: 'train', format: 'csv' },
    { path: resolve('/abs/dev.jsonl'), split: 'dev', format: 'jsonl' },
  ]);
  const forced = dataFilesOfRun({ data: { task: 'file', train: 'a.txt', dev: 'b.txt', format: 'tsv', columns: { text: 't', label: 'l' } } }, ws);
  assert.deepEqual(forced.map((f) => f.format), ['tsv', 'tsv']);
  const glue = dataFilesOfRun({ data: { task: 'glue', name: 'MNLI', dir: 'glue', devSplit: 'dev_matched' } }, ws);
  assert.ok(glue.some((f) => f.path === join(ws, 'glue', 'MNLI', 'dev_matched.tsv') && f.split === 'dev'));
  assert.ok(glue.some((f) => f.path === join(ws, 'glue', 'train.tsv') && f.split === 'train'));
  assert.deepEqual(dataFilesOfRun({ data: { task: 'demo' } }, ws), []);
  assert.deepEqual(dataFilesOfRun({ data: { task: 'nope' } }, ws), []);
  assert.deepEqual(dataFilesOfRun(undefined, ws), []);
  assert.ok(samePath('/a/B.tsv', '/a/b.tsv', true));
  assert.ok(!samePath('/a/B.tsv', '/a/b.tsv', false));
});
