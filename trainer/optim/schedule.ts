// Linear warm-up then linear decay to 0 (the learning-rate schedule of BERT, TinyBERT and LRC-BERT).
// Step s counts from 0 (the s-th optimiser update), W = round(warmupShare * totalSteps):
//   s <  W: lr = peak * (s + 1) / W              (1/W of the peak on the first update, the peak on update W)
//   s >= W: lr = peak * (totalSteps - s) / (totalSteps - W)   (the peak again, then down to peak / (T - W))
// so no update is wasted at lr 0; the rate would reach 0 at s = totalSteps, just past the last update.
// Steps at or beyond totalSteps get 0.

export interface LinearScheduleOptions {
  peak: number;
  totalSteps: number;
  /** Share of the steps spent warming up, in [0, 1]. */
  warmupShare: number;
}

export function warmupSteps(totalSteps: number, warmupShare: number): number {
  return Math.round(warmupShare * totalSteps);
}

export function checkLinearSchedule({ peak, totalSteps, warmupShare }: LinearScheduleOptions): void {
  if (!(peak >= 0) || !Number.isFinite(peak)) throw new Error(`learning rate must be a finite number >= 0, got ${peak}`);
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new Error(`total optimiser steps must be an integer >= 1, got ${totalSteps}`);
  if (!(warmupShare >= 0 && warmupShare <= 1)) throw new Error(`warm-up share must be in [0, 1], got ${warmupShare}`);
}

export function learningRateAt(step: number, options: LinearScheduleOptions): number {
  checkLinearSchedule(options);
  if (!Number.isInteger(step) || step < 0) throw new Error(`learning-rate schedule: step must be an integer >= 0, got ${step}`);
  const { peak, totalSteps, warmupShare } = options;
  const w = warmupSteps(totalSteps, warmupShare);
  if (step >= totalSteps) return 0;
  if (step < w) return (peak * (step + 1)) / w;
  return (peak * (totalSteps - step)) / (totalSteps - w);
}
