// The Pareto front of score against latency: a point is on it when no other point is at least as good in
// score (higher is better) and at least as fast (lower latency is better) and strictly better in one.
// Two equal points do not dominate each other, so both are on the front. Points without a finite score
// or latency are never on it (the caller says why). Pure.

export interface FrontPoint {
  /** Higher is better (accuracy, F1, a correlation). */
  score: number;
  /** Lower is better (ms). */
  latency: number;
}

const usable = (p: FrontPoint) => Number.isFinite(p.score) && Number.isFinite(p.latency);

/** Whether a dominates b: at least as good in both and strictly better in one. */
export function dominates(a: FrontPoint, b: FrontPoint): boolean {
  return a.score >= b.score && a.latency <= b.latency && (a.score > b.score || a.latency < b.latency);
}

/** Indexes of the points on the front, by increasing latency (then decreasing score, then index). */
export function paretoFront(points: readonly FrontPoint[]): number[] {
  const candidates = points.map((p, i) => ({ p, i })).filter(({ p }) => usable(p));
  return candidates
    .filter(({ p }) => !candidates.some(({ p: q }) => dominates(q, p)))
    .sort((a, b) => a.p.latency - b.p.latency || b.p.score - a.p.score || a.i - b.i)
    .map(({ i }) => i);
}
