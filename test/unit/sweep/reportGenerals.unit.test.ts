// The general runs of a sweep in its report: one row per general run (its student's shape, teacher, corpus,
// steps, status, the exported student's evaluation on the held-out passages, the cells that start from
// it) in markdown, CSV and JSON; the fixture's sweep with three general runs added by hand: one finished
// that the LRC cells start from, one running, one queued.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateSweep } from '../../../trainer/sweep/report/aggregate';
import { reportCsv, reportJson, reportMarkdown } from '../../../trainer/sweep/report/render';
import type { SweepReportInput } from '../../../trainer/sweep/report/types';
import { parseCsv } from '../../../trainer/data/delimitedText';
import { sweepInput } from './reportFixture';

function withGenerals(): SweepReportInput {
  const input = sweepInput();
  for (const r of input.runs) if (r.cell.method === 'LRC') r.generalRunId = 'g-done';
  input.generals = [
    {
      runId: 'g-done', cell: {}, status: 'finished', student: { layers: 2, hidden: 64, heads: 4, intermediate: 256 }, teacher: '/checkpoints/bert-base/', corpus: { paths: ['/corpus/wiki.txt', '/corpus/books.txt'], text: 'documents' },
      primary: 'cosine',
      metrics: { cosine: 0.62, angular_distance: 0.38, cos_nce: 5.5, angular_distance_s2_t4: 0.4, angular_distance_s1_t2: 0.36, spare: null },
      last: { cosine: 0.61, angular_distance: 0.39, cos_nce: 5.6 },
      details: { source: 'run folder', step: 900, totalSteps: 900, bestStep: 600, trainSeconds: 1800 },
    },
    { runId: 'g-running', cell: {}, status: 'running', teacher: 't-run', primary: 'cosine', last: { cosine: 0.3 }, details: { source: 'run folder', step: 100, totalSteps: 900 } },
    { runId: 'g-queued', cell: {}, status: 'queued' },
  ];
  return input;
}

const rows = (text: string) => parseCsv(text, 'x.csv').map((r) => r.fields);
/** The cells of a markdown table line, split on pipes that are not escaped. */
const columns = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/).length;

test('general rows: what each run is, how far it got, its exported student\'s evaluation once finished, the cells that start from it', () => {
  const report = aggregateSweep(withGenerals());
  assert.deepEqual(report.generals.map((g) => [g.runId, g.status]), [['g-done', 'finished'], ['g-running', 'running'], ['g-queued', 'queued']], 'input order');
  const [done, running, queued] = report.generals;
  assert.deepEqual([done.student, done.teacher, done.corpus, done.corpusText, done.step, done.totalSteps, done.primary, done.value, done.bestStep, done.last, done.trainSeconds],
    [{ layers: 2, hidden: 64, heads: 4, intermediate: 256 }, '/checkpoints/bert-base/', ['/corpus/wiki.txt', '/corpus/books.txt'], 'documents', 900, 900, 'cosine', 0.62, 600, 0.61, 1800]);
  assert.ok(Number.isNaN(done.metrics.spare), 'a null metric is NaN');
  assert.equal(done.metrics.cos_nce, 5.5);
  // The LRC runs start from it: their cells in axis/level order (the fixture lists CoLA's first; MRPC, a task
  // that is no level of the sweep, last), every run counted.
  assert.deepEqual(done.startedCells, [{ task: 'SST-2', method: 'LRC' }, { task: 'CoLA', method: 'LRC' }, { task: 'MRPC', method: 'LRC' }]);
  assert.equal(done.startedRuns, 7);
  // A running run has its steps but no value yet, not even its last evaluation (as every run of the report).
  assert.deepEqual([running.step, running.totalSteps, running.startedRuns, running.metrics], [100, 900, 0, {}]);
  assert.ok([running.value, running.last, running.bestStep, running.trainSeconds].every(Number.isNaN));
  assert.deepEqual([queued.student, queued.teacher, queued.corpus, queued.primary], [null, null, [], null]);
  assert.ok(Number.isNaN(queued.step) && Number.isNaN(queued.totalSteps));
  assert.deepEqual([report.summary.generals, report.summary.generalsByStatus.finished, report.summary.generalsByStatus.running, report.summary.generalsByStatus.queued], [3, 1, 1, 1]);
});

test('markdown: a general runs section after the teachers, a row of them in the status table', () => {
  const md = reportMarkdown(aggregateSweep(withGenerals()));
  const lines = md.split('\n');
  const headings = lines.filter((l) => l.startsWith('### ')).map((l) => l.split(' (')[0]);
  assert.equal(headings.indexOf('### General runs'), headings.indexOf('### Teachers') + 1);
  for (const l of [
    '| general runs | 1 | 1 | 0 | 1 | 0 | 0 | 0 | 3 |',
    '| general run | status | student | teacher | corpus | steps | metric | value | best step | COS-NCE | angular distance per mapped layer | at the last evaluation | train time | students of |',
    '| g-done | finished | 2 x 64, 4 heads, FFN 256 | bert-base | wiki.txt, books.txt (documents) | 900 / 900 | cosine | 0.6200 | 600 | 5.5000 | s1→t2 0.3600, s2→t4 0.4000 | 0.6100 | 30.0 min | SST-2 LRC, CoLA LRC, MRPC LRC (7 runs) |',
    '| g-running | running | - | t-run | - | 100 / 900 | cosine | - | - | - | - | - | - | - |',
    '| g-queued | queued | - | - | - | - / - | - | - | - | - | - | - | - | - |',
  ]) assert.ok(lines.includes(l), `missing line: ${l}\n${md}`);
  const table = md.split('\n\n').find((b) => b.startsWith('| general run |'))!.split('\n');
  assert.match(table[1], /^\|(---:?\|)+$/);
  for (const l of table) assert.equal(columns(l), columns(table[0]), l);
  assert.ok(!reportMarkdown(aggregateSweep(sweepInput())).includes('General runs'), 'no section without general runs');
});

test('CSV: generals.csv at full precision with every metric a column, a generals column in status.csv; neither without general runs', () => {
  const tables = reportCsv(aggregateSweep(withGenerals()));
  const generals = rows(tables.generals!);
  const header = generals[0];
  assert.deepEqual(header.slice(0, 3), ['run', 'task', 'method']);
  const at = (row: string[], name: string) => row[header.indexOf(name)];
  const done = generals[1];
  assert.deepEqual(['run', 'status', 'layers', 'hidden', 'heads', 'intermediate', 'teacher', 'corpus', 'corpus_text', 'step', 'total_steps', 'metric', 'value', 'best_step', 'last', 'cosine', 'cos_nce', 'angular_distance_s1_t2', 'spare', 'train_seconds', 'started_cells', 'started_runs'].map((c) => at(done, c)),
    ['g-done', 'finished', '2', '64', '4', '256', '/checkpoints/bert-base/', '/corpus/wiki.txt; /corpus/books.txt', 'documents', '900', '900', 'cosine', '0.62', '600', '0.61', '0.62', '5.5', '0.36', '', '1800', 'SST-2 LRC; CoLA LRC; MRPC LRC', '7']);
  assert.deepEqual([at(done, 'task'), at(done, 'method')], ['', ''], 'one general run for the whole sweep: no level of any axis');
  assert.deepEqual(['run', 'status', 'step', 'value', 'last', 'cosine', 'started_runs'].map((c) => at(generals[2], c)), ['g-running', 'running', '100', '', '', '', '0']);
  assert.ok(generals.every((r) => r.length === header.length), 'rectangular');
  assert.deepEqual(rows(tables.status)[0], ['status', 'runs', 'teachers', 'generals']);
  assert.deepEqual(rows(tables.status)[2], ['running', '1', '0', '1']);
  const without = reportCsv(aggregateSweep(sweepInput()));
  assert.equal(without.generals, undefined);
  assert.deepEqual(rows(without.status)[0], ['status', 'runs', 'teachers']);
});

test('JSON: the general rows with NaN as null; an empty list without general runs', () => {
  const parsed = JSON.parse(reportJson(aggregateSweep(withGenerals())));
  assert.equal(parsed.generals.length, 3);
  assert.equal(parsed.generals[0].value, 0.62);
  assert.equal(parsed.generals[0].metrics.spare, null);
  assert.deepEqual(parsed.generals[0].startedCells, [{ method: 'LRC', task: 'SST-2' }, { method: 'LRC', task: 'CoLA' }, { method: 'LRC', task: 'MRPC' }]);
  assert.deepEqual([parsed.generals[1].value, parsed.generals[1].step], [null, 100]);
  assert.deepEqual(JSON.parse(reportJson(aggregateSweep(sweepInput()))).generals, []);
});
