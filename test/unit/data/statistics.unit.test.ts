import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenizedDataset } from '../../../trainer/data/batches';
import { datasetStatistics, percentile } from '../../../trainer/data/statistics';

test('percentiles interpolate linearly between ranks: [1,2,3,4,10] p50 3, p90 7.6, p25 2', () => {
  const v = [1, 2, 3, 4, 10];
  assert.equal(percentile(v, 50), 3);
  assert.ok(Math.abs(percentile(v, 90) - 7.6) < 1e-12);
  assert.equal(percentile(v, 25), 2);
  assert.equal(percentile(v, 0), 1);
  assert.equal(percentile(v, 100), 10);
  assert.equal(percentile([7], 99), 7);
  assert.throws(() => percentile([], 50), /no values/);
});

function tokenized(kind: 'classification' | 'regression', labels: number[], lengths: number[], maxLength: number): TokenizedDataset {
  return {
    dataset: { name: 'toy', kind, labelNames: kind === 'regression' ? [] : ['neg', 'pos', 'mixed'], source: 't', examples: labels.map((label, i) => ({ id: `${i}`, text: 'x', label })) },
    maxLength,
    padId: 0,
    examples: lengths.map((n) => ({ inputIds: [], tokenTypeIds: [], fullLength: n, truncated: n > maxLength })),
  };
}

test('size, label balance in label order, token-length percentiles and the truncated share', () => {
  const s = datasetStatistics(tokenized('classification', [0, 1, 1, 0, 1], [10, 2, 3, 4, 1], 3));
  assert.equal(s.size, 5);
  assert.deepEqual(s.labels, [
    { label: 'neg', count: 2, share: 0.4 },
    { label: 'pos', count: 3, share: 0.6 },
    { label: 'mixed', count: 0, share: 0 },
  ]);
  assert.deepEqual([s.tokenLengths.min, s.tokenLengths.p50, s.tokenLengths.max, s.tokenLengths.mean], [1, 3, 10, 4]);
  assert.ok(Math.abs(s.tokenLengths.p90 - 7.6) < 1e-12);
  assert.deepEqual([s.maxLength, s.truncatedCount, s.truncatedShare], [3, 2, 0.4]);
});

test('regression datasets report the score range instead of classes', () => {
  const s = datasetStatistics(tokenized('regression', [0.5, 5, 2.5], [3, 3, 3], 8));
  assert.deepEqual(s.labels, []);
  assert.deepEqual(s.scores, { min: 0.5, max: 5, mean: 8 / 3 });
  assert.equal(s.truncatedShare, 0);
});
