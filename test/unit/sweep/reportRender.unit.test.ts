import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateSweep } from '../../../trainer/sweep/report/aggregate';
import { csvField, reportCsv, reportJson, reportMarkdown } from '../../../trainer/sweep/report/render';
import type { SweepReportInput } from '../../../trainer/sweep/report/types';
import { parseCsv } from '../../../trainer/data/delimitedText';
import { sweepInput } from './reportFixture';

/** A sweep whose labels need quoting in CSV and escaping in markdown. */
function awkwardInput(): SweepReportInput {
  const task = 'SST-2, "small"';
  const method = 'LRC | eps 0.1';
  return {
    sweep: { id: 'sw-2', name: 'awkward' },
    axes: [{ name: 'task', levels: [task] }, { name: 'method', levels: [method, 'MSE'] }],
    runs: [
      { runId: 'a', cell: { task, method }, seed: 1, kind: 'lrc', status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.5 } },
      { runId: 'b', cell: { task, method: 'MSE' }, seed: 1, kind: 'mse', status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.25 } },
    ],
    teachers: [],
    comparisons: [{ name: 'pipes', axis: 'method', a: method, b: 'MSE' }],
  };
}

test('csvField quotes commas, quotes and line breaks (RFC 4180); no value is an empty field', () => {
  const cases: [string | number | null, string][] = [
    ['plain', 'plain'], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['two\nlines', '"two\nlines"'], ['cr\r', '"cr\r"'],
    [1.5, '1.5'], [-0.25, '-0.25'], [0, '0'], [NaN, ''], [Infinity, ''], [null, ''], ['', ''],
  ];
  for (const [input, expected] of cases) assert.equal(csvField(input), expected, String(input));
});

test('every CSV is rectangular and reads back to the same labels', () => {
  for (const input of [sweepInput(), awkwardInput()]) {
    const tables = reportCsv(aggregateSweep(input));
    for (const [name, text] of Object.entries(tables)) {
      assert.ok(text.endsWith('\n'), name);
      const rows = parseCsv(text, `${name}.csv`);
      for (const r of rows) assert.equal(r.fields.length, rows[0].fields.length, `${name}.csv line ${r.line}`);
    }
  }
  const awkward = reportCsv(aggregateSweep(awkwardInput()));
  const cells = parseCsv(awkward.cells, 'cells.csv');
  assert.deepEqual(cells.map((r) => r.fields.slice(0, 3)), [['task', 'method', 'metric'], ['SST-2, "small"', 'LRC | eps 0.1', 'accuracy'], ['SST-2, "small"', 'MSE', 'accuracy']]);
  assert.match(awkward.cells, /^task,method,metric,runs,finished,n,mean,sd,left_out,/);
  const pairs = parseCsv(awkward.pairs, 'pairs.csv').map((r) => r.fields);
  assert.deepEqual(pairs[1], ['pipes', 'SST-2, "small"', '', 'accuracy', '1', '0.5', '0.25', '25', '', ''], 'no last evaluation: no difference there');
});

test('the CSVs of the fixture: numbers at full precision, NaN empty, dropped seeds listed', () => {
  const tables = reportCsv(aggregateSweep(sweepInput()));
  const rows = (text: string) => parseCsv(text, 'x.csv').map((r) => r.fields);
  assert.deepEqual(rows(tables.status)[4], ['finished', '13', '2']);
  const alone = rows(tables.cells)[3];
  assert.deepEqual([alone[0], alone[1], alone[5], alone[6], alone[7]], ['SST-2', 'alone', '1', '0.78', ''], 'no sd from one seed');
  assert.deepEqual(rows(tables.seeds)[9].slice(3), ['42', 'SST-2-alone-42', 'running', '', '']);
  const comparisons = rows(tables.comparisons);
  assert.equal(comparisons[0].at(-1), 'dropped_seeds');
  assert.deepEqual(comparisons[3].at(-1), '13 42');
  // CoLA has no student alone (left out by the sweep): LRC vs alone has no CoLA row in any CSV
  assert.deepEqual(comparisons.filter((r) => r[0] === 'LRC vs alone').map((r) => r[4]), ['SST-2']);
  assert.deepEqual([...new Set(rows(tables.pairs).filter((r) => r[0] === 'LRC vs alone').map((r) => r[1]))], ['SST-2']);
  assert.deepEqual(comparisons[0].slice(comparisons[0].indexOf('difference_sd_pt') + 1).slice(0, 3), ['last_difference_n', 'last_difference_mean_pt', 'last_difference_sd_pt']);
  const last = comparisons[1].slice(comparisons[0].indexOf('last_difference_n'));
  assert.equal(last[0], '3');
  assert.ok(Math.abs(Number(last[1]) + 1 / 3) < 1e-12, 'full precision: -1/3 point');
  const runs = rows(tables.runs);
  const col = (name: string) => runs[0].indexOf(name);
  const lrc42 = runs.find((r) => r[1] === 'SST-2-LRC-42')!;
  assert.deepEqual(['accuracy', 'mcc', 'parameters', 'best_in_stage_1', 'source'].map((c) => lrc42[col(c)]), ['0.84', '', '760000', 'true', 'record'], 'the metrics of every run as columns, empty where a run has none');
  assert.deepEqual([runs[1][0], runs[1][1], runs[1][col('seed')], runs[1][col('speed_up')]], ['teacher', 't-sst2', '', '1']);
});

/** The cells of a markdown table line, split on pipes that are not escaped. */
const columns = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/).length;

test('markdown: every table line has its header\'s columns; the values of the fixture', () => {
  for (const input of [sweepInput(), awkwardInput()]) {
    const md = reportMarkdown(aggregateSweep(input));
    for (const table of md.trimEnd().split('\n\n').filter((block) => block.startsWith('|'))) {
      const lines = table.split('\n');
      assert.match(lines[1], /^\|(---:?\|)+$/);
      for (const l of lines) assert.equal(columns(l), columns(lines[0]), l);
    }
  }
  const md = reportMarkdown(aggregateSweep(sweepInput()));
  const expected = [
    '## Sweep main (sw-1)',
    '| runs | 0 | 1 | 0 | 13 | 0 | 1 | 1 | 16 |',
    // cells, with the teacher's lead in points: 100 x (0.85 - 0.82) = 3, 100 x (0.04 - 0.11) = -7
    '| task | method | metric | finished | seeds | per seed | mean ± sd | at the last evaluation | teacher | kept of teacher | teacher - mean |',
    '| SST-2 | LRC | accuracy | 3 of 3 | 7, 13, 42 | 7: 0.8000, 13: 0.8200, 42: 0.8400 | 0.8200 ± 0.0200 | 0.8100 ± 0.0200 | 0.8500 | 96.5% | 3.00 pt |',
    '| SST-2 | MSE | accuracy | 3 of 4 | 7, 13, 42 | 7: 0.8100, 13: 0.8100, 42: 0.8300 | 0.8167 ± 0.0115 | 0.8133 ± 0.0058 | 0.8500 | 96.1% | 3.33 pt |',
    '| SST-2 | alone | accuracy | 1 of 3 | 7 | 7: 0.7800, 13: -, 42: - | 0.7800 | 0.7700 | 0.8500 | 91.8% | 7.00 pt |',
    '| CoLA | LRC | mcc | 3 of 3 | 7, 42 | 7: 0.1000, 13: -, 42: 0.1200 | 0.1100 ± 0.0141 | 0.1100 ± 0.0141 | 0.0400 | - | -7.00 pt |',
    '- task CoLA, method MSE: no run of seed 13',
    '| t-cola | CoLA | finished | mcc | 0.0400 | 0.0300 |',
    // a comparison seed by seed, with the difference at the last evaluation: SST-2 -2, 0, +1 points
    '| task | metric | seed | LRC | MSE | LRC - MSE | LRC - MSE at the last evaluation | LRC ahead on | sign test p |',
    '| SST-2 | accuracy | 7 | 0.8000 | 0.8100 | -1.00 pt | -2.00 pt |  |  |',
    '| SST-2 | accuracy | mean ± sd (3) | 0.8200 ± 0.0200 | 0.8167 ± 0.0115 | **0.33 ± 1.15 pt** | -0.33 ± 1.53 pt | 2 of 3 | 1.00 |',
    '| CoLA | mcc | 13 | - | - | - | - |  |  |',
    '| CoLA | mcc | mean ± sd (2) | 0.1100 ± 0.0141 | 0.0850 ± 0.0071 | **2.50 ± 0.71 pt** | 2.50 ± 0.71 pt | 2 of 2 | 0.500 |',
    '- task CoLA: seed 13 dropped: LRC: mcc has no value; no MSE run',
    '| SST-2 | accuracy | mean ± sd (1) | 0.8000 | 0.7800 | **2.00 pt** | 2.00 pt | 1 of 1 | 1.00 |',
    // the comparisons on one axis, one row per group: the counted seeds, the teacher, both sides, the differences
    '| comparison | task | metric | seeds | teacher | a | b | a - b | a ahead on | a - b at the last evaluation | sign test p |',
    '| LRC vs MSE | SST-2 | accuracy | 7, 13, 42 | 0.8500 | 0.8200 ± 0.0200 | 0.8167 ± 0.0115 | 0.33 ± 1.15 pt | 2 of 3 | -0.33 ± 1.53 pt | 1.00 |',
    '| LRC vs alone | SST-2 | accuracy | 7 | 0.8500 | 0.8000 | 0.7800 | 2.00 pt | 1 of 1 | 2.00 pt | 1.00 |',
    // the levels side by side: a seed without a finished value is "-", a level without a cell (left out by the sweep) "excluded"
    '| task | metric | seed | LRC | MSE | alone | teacher |',
    '| SST-2 | accuracy | 13 | 0.8200 | 0.8100 | - | 0.8500 |',
    '| SST-2 | accuracy | mean ± sd | 0.8200 ± 0.0200 | 0.8167 ± 0.0115 | 0.7800 | 0.8500 |',
    '| CoLA | mcc | mean ± sd | 0.1100 ± 0.0141 | 0.0850 ± 0.0071 | excluded | 0.0400 |',
    '| SST-2 | accuracy | 7 | 0.7900 | 0.8100 | 0.7700 | 0.8400 |',
    '| CoLA | mcc | mean ± sd | 0.1100 ± 0.0141 | 0.0850 ± 0.0071 | excluded | 0.0300 |',
    // every run: kept 100 x 0.84 / 0.85, speed-up 800 / 100, 90 s, the best step in stage 1
    '| SST-2 | teacher | - | t-sst2 | teacher | finished | accuracy | 0.8500 | 100.0% | 4.78M (3.91M / 0.87M) | 100 | 1.0x | 600 / 1000 | 0.8400 | 10.0 min |',
    '| SST-2 | LRC | 42 | SST-2-LRC-42 | lrc | finished | accuracy | 0.8400 | 98.8% | 0.76M (0.73M / 0.03M) | 800 | 8.0x | 400 (stage 1) / 1000 | 0.8300 | 1.5 min |',
    '| SST-2 | alone | 42 | SST-2-alone-42 | student | running | accuracy | - | - | - | - | - | - | - | - |',
    '| CoLA | LRC | 13 | CoLA-LRC-13 | lrc | finished | mcc | - | - | - | - | - | - | - | - |',
    '- run MRPC-LRC-7 is in no cell: "MRPC" is not a level of axis task (SST-2, CoLA)',
  ];
  const lines = md.split('\n');
  for (const l of expected) assert.ok(lines.includes(l), `missing line: ${l}`);
  // CoLA has no student alone: no row of LRC vs alone on CoLA in any table, with or without runs
  assert.ok(!lines.some((l) => /^\| (LRC vs alone \| )?CoLA \| mcc \| (- \| 0\.0400|mean ± sd \(0\))/.test(l)), md);
  assert.deepEqual(lines.filter((l) => l.startsWith('### ')).map((l) => l.split(' (')[0]),
    ['### Runs by status', '### Comparisons on method', '### Cells', '### Teachers', '### method side by side, seed by seed', '### method side by side, seed by seed',
      '### LRC vs MSE: LRC - MSE on method, paired by seed', '### LRC vs alone: LRC - alone on method, paired by seed', '### Runs: accuracy', '### Runs: mcc', '### Notes']);
});

test('markdown escapes pipes in labels and says when a comparison has no runs', () => {
  const md = reportMarkdown(aggregateSweep(awkwardInput()));
  assert.ok(md.includes('| SST-2, "small" | accuracy | 1 | 0.5000 | 0.2500 | 25.00 pt | - |  |  |'), md);
  assert.ok(md.includes('| task | metric | seed | LRC \\| eps 0.1 | MSE | LRC \\| eps 0.1 - MSE |'), md);
  const none = aggregateSweep({ ...awkwardInput(), runs: [] });
  assert.match(reportMarkdown(none), /\nNo runs of both LRC \| eps 0.1 and MSE in any combination of task\.\n/);
});

/** Whether every object in a JSON value has its keys in sorted order. */
function sortedEverywhere(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(sortedEverywhere);
  if (v === null || typeof v !== 'object') return true;
  const keys = Object.keys(v);
  return keys.join('\n') === [...keys].sort().join('\n') && Object.values(v).every(sortedEverywhere);
}

test('JSON: keys sorted at every level, NaN as null, numbers as numbers, independent of key order', () => {
  const report = aggregateSweep(sweepInput());
  const text = reportJson(report);
  const parsed = JSON.parse(text);
  assert.ok(sortedEverywhere(parsed));
  assert.equal(parsed.cells[2].value.sd, null, 'one seed: no sd');
  assert.equal(parsed.cells[3].keptOfTeacher, null, 'teacher at 0.04: no share');
  assert.equal(parsed.cells[0].value.mean, 0.82);
  assert.equal(parsed.comparisons[1].groups[0].difference.sd, null, 'one pair: no sd');
  assert.deepEqual(parsed.comparisons[1].groups.map((g: { cell: unknown }) => g.cell), [{ task: 'SST-2' }], 'CoLA has no student alone: no group');
  assert.equal(parsed.summary.runsByStatus.finished, 13);
  // The same report with every object's keys reversed (and NaN already null) writes the same text.
  const reversed = JSON.parse(JSON.stringify(report), (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
  assert.equal(reportJson(reversed), reportJson(report));
  assert.ok(text.endsWith('}\n'));
});
