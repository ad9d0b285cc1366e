// The choice of the best model: finite scores only, better than the best so far, and only once the
// prediction layer trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeEvaluation } from '../../../trainer/session/bestModel';

const scores = (score: number, extra: Record<string, number> = {}) => ({ metrics: { pearson: score, ...extra }, primary: 'pearson', score });

test('the first finite score of a trained prediction layer is the best; then only a higher one', () => {
  assert.deepEqual(judgeEvaluation(scores(0.5), true, undefined), { metrics: { pearson: 0.5 }, score: 0.5, candidate: true, isBest: true });
  assert.equal(judgeEvaluation(scores(0.4), true, { metric: 'pearson', value: 0.5, step: 10 }).isBest, false);
  assert.equal(judgeEvaluation(scores(0.6), true, { metric: 'pearson', value: 0.5, step: 10 }).isBest, true);
});

test('a NaN score (constant predictions) is never the best and does not block later scores', () => {
  const nan = judgeEvaluation(scores(NaN, { spearman: 0.1 }), true, undefined);
  assert.deepEqual(nan, { metrics: { spearman: 0.1 }, score: null, candidate: false, isBest: false });
  assert.equal(judgeEvaluation(scores(0.01), true, undefined).isBest, true, 'the next finite score is the first best');
});

test('before the prediction layer trains (stage 1 of a distillation) no score is a candidate', () => {
  assert.deepEqual(judgeEvaluation(scores(0.9), false, undefined), { metrics: { pearson: 0.9 }, score: 0.9, candidate: false, isBest: false });
});
