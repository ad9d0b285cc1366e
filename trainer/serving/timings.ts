// The statistics of a serving measurement, pure functions of the timed passes: the warm-up passes are
// dropped, then the median and the 95th percentile by nearest rank (the ceil(p x n)-th smallest of the n
// timed passes, a time that was measured, never an interpolation) of what is left.
import type { LatencyRecord, ThroughputRecord } from '../sweep/report/frontTypes';

/** The p-quantile (0 < p <= 1) by nearest rank of the values: the ceil(p x n)-th smallest; NaN for none. */
export function nearestRank(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 1)) throw new Error(`nearest-rank quantile of p=${p}: expected 0 < p <= 1`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1];
}

/** The median: the middle value, or the mean of the two middle ones; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The timed passes of a list of every pass in order: the first `warmup` are left out. */
export function timedPasses(allMs: readonly number[], warmup: number): number[] {
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`warm-up of ${warmup} passes: expected a whole number >= 0`);
  if (allMs.length <= warmup) throw new Error(`${allMs.length} passes with ${warmup} of warm-up: no pass was timed`);
  return allMs.slice(warmup);
}

/** Latency at batch 1 from every pass in order (warm-up first), in ms. */
export function latencyRecord(allMs: readonly number[], warmup: number): LatencyRecord {
  const t = timedPasses(allMs, warmup);
  return {
    batch: 1, warmup, repetitions: t.length,
    medianMs: median(t), p95Ms: nearestRank(t, 0.95), meanMs: t.reduce((a, b) => a + b, 0) / t.length,
    minMs: Math.min(...t), maxMs: Math.max(...t), p95Method: 'nearest-rank',
  };
}

/** Throughput at `batch` examples a pass from every pass in order (warm-up first), in ms. */
export function throughputRecord(allMs: readonly number[], warmup: number, batch: number): ThroughputRecord {
  const t = timedPasses(allMs, warmup);
  const medianBatchMs = median(t);
  return { batch, warmup, repetitions: t.length, medianBatchMs, examplesPerSecond: medianBatchMs > 0 ? (1000 * batch) / medianBatchMs : NaN };
}

/** How many passes to time: at most `max`; no more once `budgetMs` of timing has gone by and `min` passes
 *  are timed; and, for a slow model, no more once `capMs` has gone by and `floor` passes are timed. */
export interface PassPlan { warmup: number; min: number; max: number; budgetMs: number; floor?: number; capMs?: number }

/** Runs `pass` warm-up + timed times by the plan, each timed with `now` (ms); every pass's time, in order. */
export async function timePasses(pass: () => Promise<void>, plan: PassPlan, now: () => number = () => performance.now()): Promise<number[]> {
  const out: number[] = [];
  let timedSince = NaN;
  for (let i = 0; ; i++) {
    const timed = i - plan.warmup; // passes timed so far
    if (timed >= plan.max) break;
    if (timed >= plan.min && now() - timedSince >= plan.budgetMs) break;
    if (timed >= (plan.floor ?? plan.min) && now() - timedSince >= (plan.capMs ?? Infinity)) break;
    if (timed === 0) timedSince = now();
    const start = now();
    await pass();
    out.push(now() - start);
  }
  return out;
}
