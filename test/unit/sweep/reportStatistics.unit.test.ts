import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binomialHalfCdf, mean, sampleSd, signTest, summarize } from '../../../trainer/sweep/report/statistics';

const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected}`);

test('mean and sample standard deviation of known numbers', () => {
  const cases: { values: number[]; mean: number; sd: number }[] = [
    { values: [1, 2, 3, 4], mean: 2.5, sd: Math.sqrt(5 / 3) }, // squares 2.25 + 0.25 + 0.25 + 2.25 = 5, over 3
    { values: [2, 4, 4, 4, 5, 5, 7, 9], mean: 5, sd: Math.sqrt(32 / 7) }, // squares sum to 32, n - 1 = 7
    { values: [0.8, 0.82, 0.84], mean: 0.82, sd: 0.02 },
    { values: [5], mean: 5, sd: NaN }, // no spread from one value
    { values: [], mean: NaN, sd: NaN },
  ];
  for (const c of cases) {
    close(mean(c.values), c.mean, `mean of ${c.values}`);
    close(sampleSd(c.values), c.sd, `sd of ${c.values}`);
  }
});

test('summarize leaves NaN, infinite and null values out and counts them', () => {
  const s = summarize([0.5, null, NaN, 0.7, undefined, Infinity]);
  assert.equal(s.n, 2);
  assert.equal(s.leftOut, 4);
  close(s.mean, 0.6, 'mean');
  close(s.sd, Math.SQRT2 / 10, 'sd'); // (0.1^2 + 0.1^2) / 1
  assert.deepEqual(summarize([null]), { n: 0, mean: NaN, sd: NaN, leftOut: 1 });
});

/** P(X <= k), X ~ Binomial(n, 1/2), summed exactly with big integers. */
function exactCdf(k: number, n: number): number {
  let choose = 1n, sum = 0n;
  for (let i = 0; i <= k; i++) {
    sum += choose;
    choose = (choose * BigInt(n - i)) / BigInt(i + 1);
  }
  return Number((sum * 10n ** 18n) / 2n ** BigInt(n)) / 1e18;
}

test('the binomial tail agrees with a direct sum of binomial coefficients', () => {
  for (let n = 0; n <= 40; n++) for (let k = 0; k <= n; k++) close(binomialHalfCdf(k, n), exactCdf(k, n), `P(X <= ${k}), n = ${n}`, 1e-12);
  close(binomialHalfCdf(-1, 5), 0, 'below the support');
  // A large n neither overflows nor underflows: P(X <= n/2) = 1/2 + C(2000, 1000) / 2^2001, about 0.5089.
  close(binomialHalfCdf(1000, 2000), exactCdf(1000, 2000), 'n = 2000', 1e-12);
  close(binomialHalfCdf(1000, 2000), 0.5089, 'n = 2000, rounded', 1e-4);
  assert.throws(() => binomialHalfCdf(1, 2.5), /non-negative integer, got 2.5/);
});

test('two-sided sign test p, hand-computed', () => {
  const ahead = (a: number, b: number) => [...Array(a).fill(1), ...Array(b).fill(-1)];
  const cases: { name: string; differences: number[]; aAhead: number; bAhead: number; ties: number; p: number }[] = [
    // 2 (1 + 12 + 66 + 220) / 4096 = 598 / 4096
    { name: '9 of 12', differences: ahead(9, 3), aAhead: 9, bAhead: 3, ties: 0, p: 598 / 4096 },
    { name: '3 of 12, the same p', differences: ahead(3, 9), aAhead: 3, bAhead: 9, ties: 0, p: 598 / 4096 },
    { name: '3 of 3', differences: ahead(3, 0), aAhead: 3, bAhead: 0, ties: 0, p: 0.25 },
    { name: '12 of 12', differences: ahead(12, 0), aAhead: 12, bAhead: 0, ties: 0, p: 2 / 4096 },
    { name: '6 of 12 (2 P(X <= 6) > 1)', differences: ahead(6, 6), aAhead: 6, bAhead: 6, ties: 0, p: 1 },
    { name: '2 of 3', differences: [-1, 1, 1], aAhead: 2, bAhead: 1, ties: 0, p: 1 },
    { name: 'ties dropped: 3 of 3 left', differences: [0.5, 0, 2, 0, 1], aAhead: 3, bAhead: 0, ties: 2, p: 0.25 },
    { name: 'only ties', differences: [0, 0], aAhead: 0, bAhead: 0, ties: 2, p: NaN },
    { name: 'no pairs', differences: [], aAhead: 0, bAhead: 0, ties: 0, p: NaN },
  ];
  for (const c of cases) {
    const t = signTest(c.differences);
    assert.deepEqual([t.aAhead, t.bAhead, t.ties], [c.aAhead, c.bAhead, c.ties], c.name);
    close(t.p, c.p, c.name, 1e-12);
  }
  close(signTest(ahead(9, 3)).p, 0.146, '9 of 12 rounded', 5e-4);
  close(signTest(ahead(12, 0)).p, 0.000488, '12 of 12 rounded', 5e-7);
  assert.throws(() => signTest([1, NaN]), /non-finite difference NaN/);
});
