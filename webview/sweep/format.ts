// Numbers of the sweep panel written as `lrc-distill sweep report` writes them (trainer/sweep/report/
// render.ts): values with 4 decimals, differences in points with 2 ("x.xx pt"), "mean ± sd", p with 3
// significant digits, "-" for no value. The same text in the panel and the report makes them easy to
// check against each other.
import type { Num, SummaryView } from './protocol';

export const value = (v: Num): string => (v === null ? '-' : v.toFixed(4));
export const points = (v: Num): string => (v === null ? '-' : `${v.toFixed(2)} pt`);
export const pValue = (p: Num): string => (p === null ? '-' : p.toPrecision(3));
export const percent = (v: Num): string => (v === null ? '-' : `${v.toFixed(1)}%`);

/** "0.8016 ± 0.0123"; the mean alone for one value; "-" for none. `digits` 2 for points. */
export function meanSd(s: SummaryView, digits = 4): string {
  if (s.mean === null) return '-';
  return s.sd !== null ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** "task A, method LRC"; "all" for no axis. */
export const cellLabel = (cell: Record<string, string>): string => Object.entries(cell).map(([axis, level]) => `${axis} ${level}`).join(', ') || 'all';

/** Ticks at 1, 2 or 5 x 10^k covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/** The tick's text with as many decimals as the step needs. */
export function tickText(t: number, ticks: number[]): string {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const decimals = Math.max(0, Math.min(4, -Math.floor(Math.log10(step) + 1e-9)));
  return t.toFixed(decimals);
}
