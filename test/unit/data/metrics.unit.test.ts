import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracy, averageRanks, f1, glueScores, matthewsCorrelation, pearson, spearman } from '../../../trainer/data/metrics';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

// One confusion table used throughout: predictions [1,1,0,0,1] vs gold [1,0,0,1,1]
// -> tp 2 (positions 0, 4), fp 1 (position 1), fn 1 (position 3), tn 1 (position 2).
const P = [1, 1, 0, 0, 1];
const G = [1, 0, 0, 1, 1];

test('accuracy: 3 of 5 right', () => {
  close(accuracy(P, G), 0.6);
  close(accuracy([1, 0, 1, 1], [1, 1, 1, 0]), 0.5);
});

test('F1 of the positive class: 2tp / (2tp + fp + fn) = 4/6', () => {
  close(f1(P, G), 2 / 3);
  assert.equal(f1([0, 0], [1, 0]), 0); // no true positive
});

test('Matthews: (tp*tn - fp*fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = 1/6', () => {
  close(matthewsCorrelation(P, G), 1 / 6);
  close(matthewsCorrelation([0, 1, 0, 1], [0, 1, 0, 1]), 1);
  close(matthewsCorrelation([1, 0, 1, 0], [0, 1, 0, 1]), -1);
  assert.equal(matthewsCorrelation([1, 1, 1, 1], [0, 1, 0, 1]), 0); // constant prediction: 0, not NaN
});

test('Pearson: x = 1..4, y = 2,4,5,9 gives 11 / sqrt(5 * 26)', () => {
  close(pearson([1, 2, 3, 4], [2, 4, 5, 9]), 11 / Math.sqrt(130));
  close(pearson([1, 2, 3], [3, 2, 1]), -1);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
});

test('Spearman uses average ranks for ties: [1,2,2,3] vs [1,3,2,4] gives 4.5 / sqrt(4.5 * 5)', () => {
  assert.deepEqual(averageRanks([10, 20, 20, 30]), [1, 2.5, 2.5, 4]);
  assert.deepEqual(averageRanks([3, 1, 2]), [3, 1, 2]);
  close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 4.5 / Math.sqrt(22.5));
  close(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1); // monotone, not linear
});

test('GLUE scores: each task its metrics under Hugging Face names, the score their mean', () => {
  const cola = glueScores('CoLA', P, G);
  assert.deepEqual(Object.keys(cola.metrics), ['matthews_correlation']);
  close(cola.score, 1 / 6);
  const mrpc = glueScores('MRPC', P, G);
  close(mrpc.metrics.accuracy!, 0.6);
  close(mrpc.metrics.f1!, 2 / 3);
  close(mrpc.score, (0.6 + 2 / 3) / 2);
  assert.deepEqual(Object.keys(glueScores('QQP', P, G).metrics), ['accuracy', 'f1']);
  const stsb = glueScores('STS-B', [1, 2, 3, 4], [2, 4, 5, 9]);
  close(stsb.metrics.pearson!, 11 / Math.sqrt(130));
  close(stsb.metrics.spearmanr!, 1);
  for (const task of ['SST-2', 'MNLI', 'QNLI', 'RTE', 'WNLI'] as const) assert.deepEqual(glueScores(task, P, G), { metrics: { accuracy: 0.6 }, score: 0.6 });
});

test('mismatched or empty inputs are errors with the counts', () => {
  assert.throws(() => accuracy([1, 0], [1]), /accuracy: 2 predictions for 1 labels/);
  assert.throws(() => pearson([], []), /pearson: no examples/);
});
