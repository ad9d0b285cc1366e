// The front of a sweep report and its rules, on hand-made cells: ties, a single cell, a cell without a
// serving cost, a regression task (STS-B's Pearson correlation, higher is better), the rule grammar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dominates, paretoFront } from '../../../trainer/sweep/report/pareto';
import { parseRule, recommend } from '../../../trainer/sweep/report/frontRule';
import { frontOf, shapeAxisOf } from '../../../trainer/sweep/report/front';
import type { SweepReportInput } from '../../../trainer/sweep/report/types';
import { cost, frontInput as input } from './frontFixture';
import { reportJson } from '../../../trainer/sweep/report/render';
import { aggregateSweep } from '../../../trainer/sweep/report/aggregate';

const p = (score: number, latency: number) => ({ score, latency });

test('pareto: dominated points are off, the rest by increasing latency', () => {
  // a: slow and best, b: fast and worst, c: dominated by a (slower and worse), d: in between
  assert.deepEqual(paretoFront([p(0.9, 10), p(0.8, 2), p(0.85, 12), p(0.86, 5)]), [1, 3, 0]);
  assert.ok(dominates(p(0.9, 10), p(0.85, 12)));
  assert.ok(!dominates(p(0.9, 10), p(0.9, 10)));
});

test('pareto: ties', () => {
  // two equal cells: neither dominates the other, both on the front
  assert.deepEqual(paretoFront([p(0.8, 3), p(0.8, 3)]), [0, 1]);
  // equal score, one faster: the slower is dominated
  assert.deepEqual(paretoFront([p(0.8, 4), p(0.8, 3)]), [1]);
  // equal latency, one better: the worse is dominated
  assert.deepEqual(paretoFront([p(0.7, 3), p(0.8, 3)]), [1]);
});

test('pareto: a single cell is the front; cells without a score or latency never are', () => {
  assert.deepEqual(paretoFront([p(0.5, 9)]), [0]);
  assert.deepEqual(paretoFront([p(0.99, NaN), p(0.5, 9), p(NaN, 1)]), [1]);
  assert.deepEqual(paretoFront([]), []);
});

test('pareto: a regression metric trades like any other (higher correlation, lower latency)', () => {
  // STS-B Pearson: a negative correlation is worse than a positive one
  assert.deepEqual(paretoFront([p(-0.1, 1), p(0.85, 8), p(0.80, 3), p(0.79, 4)]), [0, 2, 1]);
});

test('rule grammar: the four forms, and one line for anything else', () => {
  assert.deepEqual(parseRule(), { text: 'fastest-within:1', kind: 'fastest-within', points: 1, ms: NaN });
  assert.deepEqual(parseRule('best-under:5ms'), { text: 'best-under:5ms', kind: 'best-under', points: NaN, ms: 5 });
  assert.equal(parseRule('fastest-within:0.5').points, 0.5);
  assert.equal(parseRule('best').kind, 'best');
  assert.equal(parseRule('fastest').kind, 'fastest');
  for (const bad of ['best-under:5', 'fastest-within:-1', 'fastest-within:', 'quickest', 'best-under:0ms', 'fastest-within:1pt']) {
    assert.throws(() => parseRule(bad), (e: Error) => e.message.startsWith('--rule: expected fastest-within:<points>') && e.message.includes(JSON.stringify(bad)) && !e.message.includes('\n'), bad);
  }
});

const cells = [
  { label: '2x128 · LRC', score: 0.80, latency: 1 },
  { label: '4x128 · LRC', score: 0.845, latency: 2 },
  { label: '4x312 · LRC', score: 0.86, latency: 5 },
  { label: '4x312 · MSE', score: 0.85, latency: 5 },
  { label: 'no cost', score: 0.95, latency: NaN },
];

test('fastest-within: the fastest cell at most N points below the teacher; exactly N counts', () => {
  const r = recommend(parseRule('fastest-within:1'), cells, 0.855);
  assert.equal(r.index, 1); // 0.845 is exactly 1 point below 0.855
  assert.equal(r.fallback, false);
  assert.match(r.reason, /fastest cell within 1 point\(s\) of the teacher \(85\.50\): 4x128 · LRC \(84\.50, 2\.00 ms\)/);
  assert.equal(recommend(parseRule('fastest-within:0.5'), cells, 0.855).index, 2);
});

test('fastest-within: none qualifies, or no teacher: the best cell, and the reason says so', () => {
  const r = recommend(parseRule('fastest-within:1'), cells, 0.99);
  assert.equal(r.index, 2); // the cell without a cost (0.95) does not take part
  assert.equal(r.fallback, true);
  assert.match(r.reason, /^no cell within 1 point\(s\) of the teacher \(99\.00\): the best cell instead/);
  const n = recommend(parseRule('fastest-within:1'), cells, NaN);
  assert.equal(n.index, 2);
  assert.match(n.reason, /^no teacher score/);
});

test('best-under: the best cell at or under the bound; none: the fastest', () => {
  assert.equal(recommend(parseRule('best-under:5ms'), cells, NaN).index, 2); // 5 ms counts; of two at 5 ms the better
  assert.equal(recommend(parseRule('best-under:4.9ms'), cells, NaN).index, 1);
  const r = recommend(parseRule('best-under:0.5ms'), cells, NaN);
  assert.deepEqual([r.index, r.fallback], [0, true]);
  assert.match(r.reason, /^no cell at or under 0\.500 ms at batch 1: the fastest cell instead, 2x128/);
});

test('ties in a rule: the faster, then the first in order', () => {
  const tied = [{ label: 'a', score: 0.8, latency: 2 }, { label: 'b', score: 0.8, latency: 2 }, { label: 'c', score: 0.8, latency: 1 }];
  assert.equal(recommend(parseRule('best'), tied, NaN).index, 2);
  assert.equal(recommend(parseRule('fastest'), tied.slice(0, 2), NaN).index, 0);
  assert.equal(recommend(parseRule('best'), [{ label: 'x', score: NaN, latency: 1 }], NaN).index, null);
});

test('frontOf: cells per task with mean ± sd of score and latency, the front and the recommendation', () => {
  const front = frontOf(input(), parseRule('fastest-within:1'));
  assert.deepEqual(front.tasks.map((t) => t.task), ['Spam', 'STS-B']);
  const spam = front.tasks[0];
  assert.equal(spam.shapeAxis, 'shape');
  assert.deepEqual(spam.cellAxes, ['shape', 'method']);
  assert.deepEqual(spam.cells.map((c) => c.label), ['2x128 · LRC', '2x128 · MSE', '4x312 · LRC', '4x312 · MSE']);
  const [small, smallMse, big, bigMse] = spam.cells;
  assert.ok(Math.abs(small.score.mean - 0.91) < 1e-12);
  assert.ok(Math.abs(small.score.sd - Math.SQRT2 / 100) < 1e-12);
  assert.ok(Math.abs(small.latencyMs.mean - 1.1) < 1e-12);
  // the speed-up of the mean latency (not the mean of the seeds' ratios 20/1 and 20/1.2), sd by the delta method
  assert.ok(Math.abs(small.speedUp.mean - 20 / 1.1) < 1e-12);
  assert.ok(Math.abs(small.speedUp.sd - (20 * small.latencyMs.sd) / 1.1 ** 2) < 1e-12);
  assert.equal(small.shape, '2x128');
  // 2x128 MSE: 0.88 at 1.1 ms is dominated by 2x128 LRC (0.91 at 1.1 ms)
  assert.deepEqual(spam.cells.map((c) => c.onFront), [true, false, true, false]);
  assert.deepEqual(spam.front, [0, 2]);
  assert.equal(smallMse.onFront, false);
  // 4x312 MSE has the best score but no serving cost: off the front, with a note
  assert.equal(bigMse.onFront, false);
  assert.match(bigMse.notes[0], /no serving cost measured \(lrc-distill sweep measure sw\): left out of the front/);
  // teacher 0.955: 4x312 LRC (0.95) is within 1 point; 2x128 LRC (0.91) is not
  assert.equal(spam.recommended, 2);
  assert.equal(big.recommended, true);
  assert.equal(spam.fallback, false);
  assert.equal(spam.teacher!.latencyMs, 20);
  assert.equal(spam.quiet, true);
  assert.equal(spam.oneSession, true);
});

test('frontOf: a regression task, a null correlation left out, a teacher without a cost, a loud measurement', () => {
  const sts = frontOf(input(), parseRule()).tasks[1];
  assert.equal(sts.primary, 'pearson');
  const [small, big, mse] = sts.cells;
  assert.equal(big.score.n, 1);
  assert.equal(big.score.leftOut, 1);
  assert.equal(big.latencyMs.n, 2);
  // 4x312 LRC 0.84 at 4 ms, 4x312 MSE 0.83 at 3 ms, 2x128 0.71 at 1 ms: all three on the front
  assert.deepEqual(sts.front, [0, 2, 1]);
  assert.ok(small.onFront && big.onFront && mse.onFront);
  assert.ok(Number.isNaN(small.speedUp.mean)); // the teacher was not measured
  // teacher 0.86: none within 1 point -> the best cell, said so
  assert.equal(sts.recommended, 1);
  assert.equal(sts.fallback, true);
  assert.match(sts.reason, /^no cell within 1 point\(s\) of the teacher \(86\.00\): the best cell instead, 4x312 · LRC/);
  assert.equal(sts.quiet, false);
  assert.ok(sts.notes.some((n) => n.startsWith('1 of 5 serving costs were measured beside other work (ran in a pool of 2 worker processes)')));
  assert.ok(sts.notes.some((n) => n.includes('from 2 processes')));
  assert.ok(sts.notes.some((n) => n.startsWith('the teacher t-STS-B has no serving cost')));
});

test('frontOf: a single cell, no task axis; the JSON writes NaN as null', () => {
  const one: SweepReportInput = { sweep: { id: 's', name: 's' }, axes: [{ name: 'student.layers', levels: ['2'] }], seeds: [1],
    runs: [{ runId: 'r', cell: { 'student.layers': '2' }, seed: 1, kind: 'student', status: 'finished', primary: 'accuracy', metrics: { accuracy: 0.7 }, serving: cost('r', 2) }], teachers: [], comparisons: [] };
  const f = frontOf(one, parseRule());
  assert.equal(f.tasks.length, 1);
  assert.equal(f.tasks[0].task, '');
  assert.equal(f.tasks[0].shapeAxis, 'student.layers');
  assert.deepEqual(f.tasks[0].front, [0]);
  assert.equal(f.tasks[0].recommended, 0);
  assert.match(f.tasks[0].reason, /^no teacher score/);
  const report = { ...aggregateSweep(one), front: f };
  const json = JSON.parse(reportJson(report));
  assert.equal(json.front.tasks[0].cells[0].score.sd, null);
  assert.equal(json.front.tasks[0].teacher, null);
  assert.equal(json.front.rule.ms, null);
});

test('shapeAxisOf', () => {
  assert.equal(shapeAxisOf(['method', 'shape']), 'shape');
  assert.equal(shapeAxisOf(['method', 'student.hidden']), 'student.hidden');
  assert.equal(shapeAxisOf(['method']), null);
});
