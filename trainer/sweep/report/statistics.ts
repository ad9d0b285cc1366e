// The statistics of a sweep report: mean and sample standard deviation of the finite values of a list
// (NaN and null, e.g. the Matthews correlation of constant predictions, are left out and counted), and
// the exact two-sided sign test of paired differences. Pure functions of plain numbers.

/** The finite values of a list, summarised; `leftOut` counts the NaN, infinite and null ones. */
export interface Summary {
  /** Finite values used. */
  n: number;
  /** Their mean; NaN when there is none. */
  mean: number;
  /** Their sample standard deviation (n - 1 in the denominator); NaN when n < 2. */
  sd: number;
  leftOut: number;
}

/** Whether a metric value is a usable number (not null, NaN or infinite). */
export function isValue(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Mean of the values; NaN for none. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (Bessel's n - 1); NaN for fewer than two values. */
export function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

/** Mean and sample sd of the finite values, and how many values were not finite. */
export function summarize(values: readonly (number | null | undefined)[]): Summary {
  const used = values.filter(isValue);
  return { n: used.length, mean: mean(used), sd: sampleSd(used), leftOut: values.length - used.length };
}

/** P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so that large n neither overflows nor underflows. */
export function binomialHalfCdf(k: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`binomial n must be a non-negative integer, got ${n}`);
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logChoose = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(logChoose - n * Math.LN2);
    logChoose += Math.log(n - i) - Math.log(i + 1); // C(n, i + 1) from C(n, i)
  }
  return Math.min(1, sum);
}

/** The sign test of paired differences a - b. */
export interface SignTest {
  /** Pairs with a > b. */
  aAhead: number;
  /** Pairs with a < b. */
  bAhead: number;
  /** Pairs with a == b, dropped from the test (the standard treatment of ties). */
  ties: number;
  /** Exact two-sided p = min(1, 2 P(X <= min(aAhead, bAhead))), X ~ Binomial(aAhead + bAhead, 1/2);
   *  NaN when every pair is a tie (or there is none): no test is possible. */
  p: number;
}

/** Exact two-sided sign test of the finite differences (non-finite ones must be left out by the caller). */
export function signTest(differences: readonly number[]): SignTest {
  for (const d of differences) if (!Number.isFinite(d)) throw new Error(`sign test of a non-finite difference ${d}`);
  const aAhead = differences.filter((d) => d > 0).length;
  const bAhead = differences.filter((d) => d < 0).length;
  const n = aAhead + bAhead;
  const p = n === 0 ? NaN : Math.min(1, 2 * binomialHalfCdf(Math.min(aAhead, bAhead), n));
  return { aAhead, bAhead, ties: differences.length - n, p };
}
