// The case table's model: right and wrong, the filters (the paper's case among them), search, sorting
// and paging, against cases whose answers are written out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveCases, median, pageOf, queryCases, regressionTolerance, search, sortCases } from '../../../webview/cases/caseModel';
import type { CaseView, Num } from '../../../webview/cases/protocol';

/** A two-class case: gold, the three predictions, and each student's per-layer MSE (angular = 10 x MSE). */
function c(id: string, label: number, teacher: number, lrc: number, mse: number, mseMse: [Num, Num], text = `text ${id}`): CaseView {
  const probs = (k: number) => (k === 1 ? [0.2, 0.8] : [0.9, 0.1]);
  return {
    id, text, label,
    teacher: { prediction: teacher, probabilities: probs(teacher) },
    lrc: { prediction: lrc, probabilities: probs(lrc), angular: [0.3, 0.5], mse: [0.02, 0.04] },
    mse: { prediction: mse, probabilities: probs(mse), angular: mseMse.map((v) => (v === null ? null : v * 10)), mse: mseMse },
  };
}

// gold, teacher, lrc, mse; the MSE student's mean per-layer MSE in brackets
const CASES: CaseView[] = [
  c('2', 1, 1, 1, 0, [0.01, 0.03]), // LRC right, MSE wrong (disagrees with the teacher), MSE mean 0.02 (small)
  c('3', 0, 0, 0, 1, [0.2, 0.4]), // LRC right, MSE wrong (disagrees), MSE mean 0.3 (large)
  c('4', 1, 1, 0, 0, [0.05, 0.05]), // both wrong, mean 0.05 (small); both disagree with the teacher
  c('5', 0, 0, 0, 0, [0.1, 0.1]), // all right, mean 0.1
  c('6', 1, 0, 1, 1, [0.5, 0.7]), // teacher wrong, students right: both disagree with the teacher; mean 0.6
  c('10', 0, 0, 1, 0, [0.08, 0.12], 'Apple pie'), // LRC wrong, MSE right, mean 0.1; LRC disagrees
];
// the MSE means: 0.02, 0.3, 0.05, 0.1, 0.6, 0.1 -> sorted 0.02 0.05 0.1 0.1 0.3 0.6 -> median 0.1

test('the derived set: the median threshold of "small MSE" and the count of each filter', () => {
  const set = deriveCases({ kind: 'classification', cases: CASES });
  assert.ok(Math.abs(set.smallMseThreshold! - 0.1) < 1e-12);
  assert.deepEqual(set.counts, { all: 6, lrcRightMseWrong: 2, mseWrongSmallMse: 2, bothWrong: 1, teacherDisagree: 5 });
  assert.ok(set.hasLrc && set.hasMse);
  assert.ok(Math.abs(set.layerMax.mseAngular - 7) < 1e-12);
});

test('each filter keeps the cases written out above', () => {
  const set = deriveCases({ kind: 'classification', cases: CASES });
  const ids = (filter: Parameters<typeof queryCases>[1]['filter']) =>
    queryCases(set, { filter, search: '', sort: { key: 'id', direction: 'asc' }, page: 0, pageSize: 100 }).rows.map((r) => r.record.id);
  assert.deepEqual(ids('lrcRightMseWrong'), ['2', '3']);
  assert.deepEqual(ids('mseWrongSmallMse'), ['2', '4']); // 0.02 and 0.05 < 0.1; case 3 (0.3) is wrong but not small
  assert.deepEqual(ids('bothWrong'), ['4']);
  assert.deepEqual(ids('teacherDisagree'), ['2', '3', '4', '6', '10']); // 5 alone agrees with the teacher
  assert.deepEqual(ids('all'), ['2', '3', '4', '5', '6', '10']);
});

test('a missing per-layer value leaves the case out of "small MSE" but not out of the others', () => {
  const set = deriveCases({ kind: 'classification', cases: [c('2', 1, 1, 1, 0, [null, 0.01]), c('3', 1, 1, 1, 0, [0.5, 0.5]), c('4', 1, 1, 1, 0, [0.1, 0.1])] });
  // means: null, 0.5, 0.1 -> median of the finite ones: 0.3
  assert.ok(Math.abs(set.smallMseThreshold! - 0.3) < 1e-12);
  assert.equal(set.counts.mseWrongSmallMse, 1);
  assert.equal(set.counts.lrcRightMseWrong, 3);
});

test('one student only: the filters that compare both find nothing', () => {
  const lrcOnly = CASES.map(({ mse: _mse, ...rest }) => rest);
  const set = deriveCases({ kind: 'classification', cases: lrcOnly });
  assert.equal(set.hasMse, false);
  assert.equal(set.smallMseThreshold, null);
  assert.deepEqual(set.counts, { all: 6, lrcRightMseWrong: 0, mseWrongSmallMse: 0, bothWrong: 0, teacherDisagree: 3 }); // 4, 6, 10
});

test('regression: right within 10% of the gold range', () => {
  const r = (id: string, label: number, lrc: number, mse: number): CaseView => ({
    id, text: id, label, teacher: { prediction: label },
    lrc: { prediction: lrc, angular: [0.1], mse: [0.1] }, mse: { prediction: mse, angular: [0.1], mse: [0.1] },
  });
  // gold from 0 to 5: tolerance 0.5
  const set = deriveCases({ kind: 'regression', cases: [r('a', 0, 0.4, 0.6), r('b', 5, 5.5, 4.49), r('c', 2, 2, 2)] });
  assert.equal(set.tolerance, 0.5);
  assert.deepEqual(set.cases.map((x) => [x.lrcRight, x.mseRight]), [[true, false], [true, false], [true, true]]);
  assert.equal(regressionTolerance([]), 1e-9);
  assert.equal(regressionTolerance([3, 3]), 1e-9);
});

test('median of an even and an odd count, none', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([null, null]), null);
});

test('search: every word, any case, in id, text or pair', () => {
  const set = deriveCases({ kind: 'classification', cases: CASES });
  assert.deepEqual(search(set.cases, 'apple').map((x) => x.record.id), ['10']);
  assert.deepEqual(search(set.cases, 'PIE apple').map((x) => x.record.id), ['10']);
  assert.deepEqual(search(set.cases, 'text').map((x) => x.record.id), ['2', '3', '4', '5', '6']);
  assert.deepEqual(search(set.cases, '  ').length, 6);
  assert.deepEqual(search(set.cases, 'apple nothing'), []);
});

test('sorting: numbers as numbers, ids in natural order, missing values last both ways, ties in file order', () => {
  const set = deriveCases({ kind: 'classification', cases: CASES });
  const by = (key: Parameters<typeof sortCases>[1], direction: 'asc' | 'desc') => sortCases(set.cases, key, direction).map((x) => x.record.id);
  assert.deepEqual(by('id', 'desc'), ['10', '6', '5', '4', '3', '2']);
  assert.deepEqual(by('mseMse', 'asc'), ['2', '4', '5', '10', '3', '6']); // 0.02 0.05 0.1 0.1(tie: file order) 0.3 0.6
  assert.deepEqual(by('mseMse', 'desc'), ['6', '3', '5', '10', '4', '2']);
  assert.deepEqual(by('text', 'asc'), ['10', '2', '3', '4', '5', '6']); // "Apple pie" first, case-insensitively
  const withNull = deriveCases({ kind: 'classification', cases: [c('a', 1, 1, 1, 0, [null, 1]), c('b', 1, 1, 1, 0, [0.2, 0.2]), c('c', 1, 1, 1, 0, [0.1, 0.1])] });
  assert.deepEqual(sortCases(withNull.cases, 'mseMse', 'asc').map((x) => x.record.id), ['c', 'b', 'a']);
  assert.deepEqual(sortCases(withNull.cases, 'mseMse', 'desc').map((x) => x.record.id), ['b', 'c', 'a']);
  // confidence of the prediction: teacher 0.8 for class 1, 0.9 for class 0
  assert.deepEqual(by('teacher', 'desc'), ['3', '5', '6', '10', '2', '4']);
});

test('paging: slices, the last short page, a page past the end shows the last page, an empty list has one page', () => {
  const list = Array.from({ length: 103 }, (_, i) => i);
  const p0 = pageOf(list, 0, 25);
  assert.deepEqual([p0.rows[0], p0.rows[24], p0.page, p0.pageCount, p0.start, p0.end, p0.total], [0, 24, 0, 5, 0, 25, 103]);
  const last = pageOf(list, 4, 25);
  assert.deepEqual([last.rows.length, last.rows[0], last.start, last.end], [3, 100, 100, 103]);
  assert.equal(pageOf(list, 99, 25).page, 4);
  assert.equal(pageOf(list, -3, 25).page, 0);
  const empty = pageOf([], 2, 25);
  assert.deepEqual([empty.rows.length, empty.page, empty.pageCount, empty.start, empty.end], [0, 0, 1, 0, 0]);
});

test('5,000 cases: deriving, a filter with a search and a sort, and a page take milliseconds', () => {
  const many: CaseView[] = Array.from({ length: 5000 }, (_, n) => c(String(n + 2), n % 2, n % 3 ? n % 2 : 1 - (n % 2), (n >> 1) % 2, (n >> 2) % 2, [((n * 7919) % 1000) / 1000, 0.5]));
  const t0 = performance.now();
  const set = deriveCases({ kind: 'classification', cases: many });
  const t1 = performance.now();
  const page = queryCases(set, { filter: 'lrcRightMseWrong', search: 'text', sort: { key: 'mseMse', direction: 'desc' }, page: 3, pageSize: 50 });
  const t2 = performance.now();
  assert.equal(page.rows.length, 50);
  assert.ok(page.rows.every((r) => r.lrcRight && !r.mseRight));
  for (let i = 1; i < page.matching.length; i++) assert.ok(page.matching[i - 1].mseMse! >= page.matching[i].mseMse!);
  assert.ok(t1 - t0 < 500 && t2 - t1 < 500, `derive ${(t1 - t0).toFixed(1)} ms, query ${(t2 - t1).toFixed(1)} ms`);
});
