import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateSweep } from '../../../trainer/sweep/report/aggregate';
import { reportCsv, reportMarkdown } from '../../../trainer/sweep/report/render';
import type { SweepReportInput } from '../../../trainer/sweep/report/types';
import { sweepInput } from './reportFixture';

const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);
const label = (cell: Record<string, string>) => Object.values(cell).join(' ');

test('cells come in axis/level order, one per combination with a run', () => {
  const report = aggregateSweep(sweepInput());
  assert.deepEqual(report.cells.map((c) => label(c.cell)), ['SST-2 LRC', 'SST-2 MSE', 'SST-2 alone', 'CoLA LRC', 'CoLA MSE']);
  assert.deepEqual(Object.keys(report.cells[0].cell), ['task', 'method']);
  assert.deepEqual(report.cells[0].seeds.map((s) => s.seed), [7, 13, 42], 'seeds by number');
  assert.deepEqual(report.notes, ['run MRPC-LRC-7 is in no cell: "MRPC" is not a level of axis task (SST-2, CoLA)']);
});

test('cell rows: counts, means and sds over finished seeds, at the last evaluation, teacher share', () => {
  const cells = aggregateSweep(sweepInput()).cells;
  const cases: { cell: string; primary: string; runs: number; finished: number; n: number; leftOut: number; mean: number; sd: number; lastMean: number; teacher: string; teacherValue: number; kept: number; missing: number[] }[] = [
    // 0.80, 0.82, 0.84; at the last evaluation 0.79, 0.81, 0.83; kept 100 x 0.82 / 0.85
    { cell: 'SST-2 LRC', primary: 'accuracy', runs: 3, finished: 3, n: 3, leftOut: 0, mean: 0.82, sd: 0.02, lastMean: 0.81, teacher: 't-sst2', teacherValue: 0.85, kept: 8200 / 85, missing: [] },
    // 0.81, 0.81, 0.83 (the crashed earlier run of seed 7 counts as a run, not as a seed): sd sqrt((2 (0.02/3)^2 + (0.04/3)^2) / 2)
    { cell: 'SST-2 MSE', primary: 'accuracy', runs: 4, finished: 3, n: 3, leftOut: 0, mean: 2.45 / 3, sd: Math.sqrt(0.0024 / 9 / 2), lastMean: 2.44 / 3, teacher: 't-sst2', teacherValue: 0.85, kept: 24500 / 3 / 85, missing: [] },
    // the student alone names no teacher: the teacher of its task, by cell
    { cell: 'SST-2 alone', primary: 'accuracy', runs: 3, finished: 1, n: 1, leftOut: 0, mean: 0.78, sd: NaN, lastMean: 0.77, teacher: 't-sst2', teacherValue: 0.85, kept: 7800 / 85, missing: [] },
    // the null MCC of seed 13 is left out; the teacher's 0.04 is too close to 0 for a share
    { cell: 'CoLA LRC', primary: 'mcc', runs: 3, finished: 3, n: 2, leftOut: 1, mean: 0.11, sd: Math.SQRT2 / 100, lastMean: 0.11, teacher: 't-cola', teacherValue: 0.04, kept: NaN, missing: [] },
    { cell: 'CoLA MSE', primary: 'mcc', runs: 2, finished: 2, n: 2, leftOut: 0, mean: 0.085, sd: Math.SQRT2 / 200, lastMean: 0.085, teacher: 't-cola', teacherValue: 0.04, kept: NaN, missing: [13] },
  ];
  for (const [i, c] of cases.entries()) {
    const row = cells[i];
    assert.equal(label(row.cell), c.cell);
    assert.deepEqual([row.primary, row.runs, row.finished, row.value.n, row.value.leftOut, row.teacherRunId, row.missingSeeds], [c.primary, c.runs, c.finished, c.n, c.leftOut, c.teacher, c.missing], c.cell);
    close(row.value.mean, c.mean, `${c.cell} mean`);
    close(row.value.sd, c.sd, `${c.cell} sd`);
    close(row.last.mean, c.lastMean, `${c.cell} mean at the last evaluation`);
    close(row.teacherValue, c.teacherValue, `${c.cell} teacher`);
    close(row.keptOfTeacher, c.kept, `${c.cell} kept of teacher`);
  }
});

test('unfinished, duplicate and null-metric runs: per-seed values and notes', () => {
  const cells = aggregateSweep(sweepInput()).cells;
  const alone = cells[2];
  assert.deepEqual(alone.seeds.map((s) => [s.seed, s.status]), [[7, 'finished'], [13, 'failed'], [42, 'running']]);
  assert.ok(Number.isNaN(alone.seeds[2].value) && Number.isNaN(alone.seeds[2].last), 'a running run has no value yet, not even its last evaluation');
  const mse = cells[1];
  assert.equal(mse.seeds[0].runId, 'SST-2-MSE-7', 'the finished run of a seed wins over a crashed one');
  assert.deepEqual(mse.notes, ['seed 7: 2 runs (SST-2-MSE-7-old, SST-2-MSE-7), the report uses SST-2-MSE-7']);
  assert.deepEqual(cells[3].notes, ['seed 13: mcc has no value, left out of the mean']);
});

test('paired comparisons: differences in points, k of n, sign test, dropped seeds and why', () => {
  const [lrcMse, lrcAlone] = aggregateSweep(sweepInput()).comparisons;
  assert.deepEqual(lrcMse.otherAxes, ['task']);
  assert.deepEqual(lrcMse.groups.map((g) => g.cell), [{ task: 'SST-2' }, { task: 'CoLA' }]);
  const cases: { group: (typeof lrcMse.groups)[number]; differences: number[]; dropped: (string | null)[]; mean: number; sd: number; aAhead: number; n: number; p: number }[] = [
    // -1, +1, +1 points: mean 1/3, sd sqrt(((4/3)^2 + 2 (2/3)^2) / 2) = sqrt(4/3); 2 of 3, p = 2 P(X <= 1 | n 3) = 1
    { group: lrcMse.groups[0], differences: [-1, 1, 1], dropped: [null, null, null], mean: 1 / 3, sd: Math.sqrt(4 / 3), aAhead: 2, n: 3, p: 1 },
    // +2, +3 points; seed 13 has neither side: 2 of 2, p = 2 / 4
    { group: lrcMse.groups[1], differences: [2, NaN, 3], dropped: [null, 'LRC: mcc has no value; no MSE run', null], mean: 2.5, sd: Math.SQRT1_2, aAhead: 2, n: 2, p: 0.5 },
    { group: lrcAlone.groups[0], differences: [2, NaN, NaN], dropped: [null, 'alone run failed', 'alone run running'], mean: 2, sd: NaN, aAhead: 1, n: 1, p: 1 },
  ];
  // CoLA has no student alone (a combination the sweep left out): no group, rather than one of dropped seeds
  assert.deepEqual(lrcAlone.groups.map((g) => g.cell), [{ task: 'SST-2' }]);
  for (const [i, c] of cases.entries()) {
    const g = c.group;
    assert.deepEqual(g.seeds.map((s) => s.dropped), c.dropped, `case ${i}`);
    g.seeds.forEach((s, j) => close(s.difference, c.differences[j], `case ${i} seed ${s.seed}`));
    close(g.difference.mean, c.mean, `case ${i} mean`);
    close(g.difference.sd, c.sd, `case ${i} sd`);
    assert.deepEqual([g.signTest.aAhead, g.difference.n], [c.aAhead, c.n], `case ${i} ahead on`);
    close(g.signTest.p, c.p, `case ${i} p`);
  }
  close(lrcMse.groups[0].a.mean, 0.82, 'LRC over the counted seeds');
  close(lrcMse.groups[1].b.mean, 0.085, 'MSE over the counted seeds');
  close(lrcMse.groups[1].seeds[1].a, NaN, 'the null MCC shows as no value');
});

test('pooled over the other axes (tasks x seeds): every counted pair of every group, one sign test, in the markdown and CSV', () => {
  const report = aggregateSweep(sweepInput());
  const [lrcMse, lrcAlone] = report.comparisons;
  // SST-2: -1, +1, +1; CoLA: +2, +3 points: 4 of 5 ahead, p = 2 P(X <= 1 | n 5) = 2 x 6/32
  assert.deepEqual([lrcMse.pooled.groups, lrcMse.pooled.difference.n, lrcMse.pooled.signTest.aAhead, lrcMse.pooled.signTest.bAhead], [2, 5, 4, 1]);
  close(lrcMse.pooled.difference.mean, 6 / 5, 'mean of the five differences');
  close(lrcMse.pooled.difference.sd, Math.sqrt(8.8 / 4), 'sd of the five differences', 1e-12);
  close(lrcMse.pooled.signTest.p, 12 / 32, 'sign test over the five pairs');
  // CoLA has no student alone: one group with pairs, so no pooled row in the markdown
  assert.deepEqual([lrcAlone.pooled.groups, lrcAlone.pooled.difference.n], [1, 1]);
  const md = reportMarkdown(report);
  assert.match(md, /\| LRC vs MSE \| all \| - \| 5 pairs \| - \| - \| - \| 1\.20 ± 1\.48 pt \| 4 of 5 \| - \| 0\.375 \|/);
  assert.match(md, /Over all 2 combinations of task and their seeds: LRC ahead on 4 of 5 pairs \(0 ties\), sign test p = 0\.375/);
  assert.doesNotMatch(md, /\| LRC vs alone \| all \|/);
  const row = reportCsv(report).pooled.split('\n')[1].split(',');
  assert.deepEqual(row.slice(0, 6), ['LRC vs MSE', 'method', 'LRC', 'MSE', '2', '5']);
  close(Number(row[6]), 6 / 5, 'CSV mean');
  assert.deepEqual(row.slice(8), ['4', '1', '0', '0.375']);
});

test('a seed where both sides score the same is a tie: in n, not in the sign test', () => {
  const input = sweepInput();
  const r = input.runs.find((x) => x.runId === 'SST-2-MSE-7')!;
  r.metrics = { accuracy: 0.8 };
  const g = aggregateSweep(input).comparisons[0].groups[0];
  assert.deepEqual([g.signTest.aAhead, g.signTest.bAhead, g.signTest.ties, g.difference.n], [2, 0, 1, 3]);
  close(g.signTest.p, 0.5, '2 of 2 after the tie');
});

test('teacher of a cell: named by all its runs, else matched by cell (most specific), else none', () => {
  const teachers: SweepReportInput['teachers'] = [
    { runId: 't-any', cell: {}, status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.9 } },
    { runId: 't-sst2', cell: { task: 'SST-2' }, status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.85 } },
    { runId: 't-cola-a', cell: { task: 'CoLA' }, status: 'finished', metrics: { mcc: 0.3 } },
    { runId: 't-cola-b', cell: { task: 'CoLA' }, status: 'running' },
  ];
  const input = { ...sweepInput(), teachers };
  for (const r of input.runs) if (r.cell.task === 'SST-2' && r.cell.method === 'MSE') r.teacherRunId = r.seed === 13 ? 't-any' : 't-sst2';
  for (const r of input.runs) if (r.cell.task === 'CoLA' && r.cell.method === 'LRC') r.teacherRunId = 't-gone';
  const cells = aggregateSweep(input).cells;
  assert.deepEqual(cells.map((c) => c.teacherRunId), ['t-sst2', 't-sst2', 't-sst2', null, null]);
  assert.match(cells[1].notes.join('\n'), /the runs name different teachers \(t-sst2, t-any\)/);
  assert.deepEqual(cells[3].notes.slice(-2), ["the runs' teacher t-gone is not among the sweep's teachers", 'no teacher: t-cola-a, t-cola-b all match the cell']);
  assert.ok(Number.isNaN(cells[4].teacherValue) && Number.isNaN(cells[4].keptOfTeacher));
  const named = aggregateSweep({ ...input, teachers: [teachers[3]] }).cells[4];
  assert.equal(named.teacherRunId, 't-cola-b');
  assert.ok(Number.isNaN(named.teacherValue), 'a teacher that has not finished has no value');
});

test('summary: runs and teachers by status, every status counted', () => {
  const { summary, teachers } = aggregateSweep(sweepInput());
  assert.equal(summary.runs, 16);
  assert.deepEqual(summary.runsByStatus, { queued: 0, running: 1, paused: 0, finished: 13, stopped: 0, failed: 1, crashed: 1 });
  assert.deepEqual([summary.teachers, summary.teachersByStatus.finished], [2, 2]);
  assert.deepEqual(teachers.map((t) => [t.runId, t.primary, t.value]), [['t-sst2', 'accuracy', 0.85], ['t-cola', 'mcc', 0.04]]);
});

test('a comparison on an unknown axis or level is an error that names it', () => {
  const bad = (c: SweepReportInput['comparisons'][number]) => () => aggregateSweep({ ...sweepInput(), comparisons: [c] });
  assert.throws(bad({ name: 'x', axis: 'loss', a: 'LRC', b: 'MSE' }), /comparison x: loss is not an axis of the sweep \(task, method\)/);
  assert.throws(bad({ name: 'x', axis: 'method', a: 'LRC', b: 'KD' }), /"KD" is not a level of axis method \(LRC, MSE, alone\)/);
  assert.throws(bad({ name: 'x', axis: 'method', a: 'LRC', b: 'LRC' }), /compares level LRC with itself/);
});

test('an empty sweep gives empty tables', () => {
  const report = aggregateSweep({ sweep: { id: 's', name: 'empty' }, axes: [{ name: 'task', levels: ['SST-2'] }], runs: [], teachers: [], comparisons: [] });
  assert.deepEqual([report.cells, report.teachers, report.comparisons, report.notes, report.summary.runs], [[], [], [], [], 0]);
});

test('at the last evaluation: differences seed by seed and their summary, the teacher\'s last value and its lead', () => {
  const report = aggregateSweep(sweepInput());
  const [sst2, cola] = report.comparisons[0].groups;
  // last: LRC 0.79, 0.81, 0.83 against MSE 0.81, 0.81, 0.82: -2, 0, +1 points; mean -1/3, sd sqrt(((5/3)^2 + (1/3)^2 + (4/3)^2) / 2) = sqrt(7/3)
  sst2.seeds.forEach((s, i) => close(s.lastDifference, [-2, 0, 1][i], `SST-2 seed ${s.seed}`));
  close(sst2.lastDifference.mean, -1 / 3, 'SST-2 mean at the last evaluation');
  close(sst2.lastDifference.sd, Math.sqrt(7 / 3), 'SST-2 sd at the last evaluation');
  // CoLA: seed 13 is dropped, so it has no difference at the last evaluation either, and does not count
  cola.seeds.forEach((s, i) => close(s.lastDifference, [2, NaN, 3][i], `CoLA seed ${s.seed}`));
  assert.deepEqual([cola.lastDifference.n, cola.lastDifference.leftOut], [2, 0]);
  close(cola.lastDifference.mean, 2.5, 'CoLA mean at the last evaluation');
  const lrc = report.cells[0];
  close(lrc.teacherLast, 0.84, 'the teacher at its last evaluation');
  close(lrc.teacherLead, 3, 'teacher - mean: 100 x (0.85 - 0.82)');
  close(report.cells[3].teacherLead, -7, 'CoLA LRC: 100 x (0.04 - 0.11)');
  assert.deepEqual(report.teachers.map((t) => t.last), [0.84, 0.03]);
});

test('runs table: a table per set of metric names, teachers first, then cell by cell and seed by seed; shares and speed-ups against the teacher', () => {
  const { runs } = aggregateSweep(sweepInput());
  assert.deepEqual(runs.map((t) => t.metrics), [['accuracy'], ['mcc']]);
  assert.deepEqual(runs[0].rows.map((r) => r.runId), ['t-sst2', 'SST-2-LRC-7', 'SST-2-LRC-13', 'SST-2-LRC-42', 'SST-2-MSE-7-old', 'SST-2-MSE-7', 'SST-2-MSE-13', 'SST-2-MSE-42',
    'SST-2-alone-7', 'SST-2-alone-13', 'SST-2-alone-42', 'MRPC-LRC-7'], 'a run without metrics yet joins its cell\'s table; the run in no cell comes last');
  assert.deepEqual(runs[1].rows.map((r) => r.runId), ['t-cola', 'CoLA-LRC-7', 'CoLA-LRC-13', 'CoLA-LRC-42', 'CoLA-MSE-7', 'CoLA-MSE-42']);
  const [teacher, , , lrc42] = runs[0].rows;
  assert.deepEqual([teacher.role, teacher.seed, teacher.keptOfTeacher, teacher.speedUp, teacher.last], ['teacher', null, 100, 1, 0.84]);
  assert.deepEqual([lrc42.role, lrc42.seed, lrc42.teacherRunId, lrc42.speedUp, lrc42.last], ['run', 42, 't-sst2', 8, 0.83]);
  close(lrc42.keptOfTeacher, 8400 / 85, 'kept of teacher');
  const running = runs[0].rows[10];
  assert.deepEqual([running.status, running.metrics], ['running', {}], 'no metrics before it finishes');
  assert.ok(Number.isNaN(running.last) && Number.isNaN(running.keptOfTeacher) && Number.isNaN(running.speedUp));
  const nullMcc = runs[1].rows[2];
  assert.ok(Number.isNaN(nullMcc.metrics.mcc), 'a null metric is NaN');
  assert.ok(Number.isNaN(runs[1].rows[0].keptOfTeacher), 'a teacher at 0.04 is too close to 0 for a share, even of itself');
  assert.equal(runs[0].rows[11].teacherRunId, 't-sst2', 'a run in no cell: the teacher it names');
});
