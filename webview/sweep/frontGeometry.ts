// The geometry of the front chart (frontChart.ts), as pure functions that the unit tests check: the
// log scale of the latency or speed-up axis and its ticks, the linear scale of the metric, the error
// bars of a cell's mean (± one sd, clamped to the plot), the Pareto front as a step line, and which
// side of a mark its label goes. Nothing here touches the DOM.

/** The plot area in pixels (y grows downwards, as in SVG). */
export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Point {
  x: number;
  y: number;
}

export type Scale = (v: number) => number;

/** [lo, hi] (lo < hi) onto [a, b] linearly. */
export function linearScale(lo: number, hi: number, a: number, b: number): Scale {
  return (v) => a + ((v - lo) / (hi - lo)) * (b - a);
}

/** [lo, hi] (0 < lo < hi) onto [a, b] on a log10 scale: equal ratios are equal distances. */
export function logScale(lo: number, hi: number, a: number, b: number): Scale {
  const l = Math.log10(lo);
  const h = Math.log10(hi);
  return (v) => a + ((Math.log10(v) - l) / (h - l)) * (b - a);
}

/** The range of a log axis: the positive finite values, widened by `pad` of its log width on each side
 *  and at least `minRatio` wide (hi / lo), centred on the values' geometric middle; [1, 10] for none. */
export function logDomain(values: number[], pad = 0.08, minRatio = 4): [number, number] {
  const logs = values.filter((v) => Number.isFinite(v) && v > 0).map(Math.log10);
  if (!logs.length) return [1, 10];
  let lo = Math.min(...logs);
  let hi = Math.max(...logs);
  const min = Math.log10(minRatio);
  if (hi - lo < min) {
    const mid = (lo + hi) / 2;
    lo = mid - min / 2;
    hi = mid + min / 2;
  }
  const p = (hi - lo) * pad;
  return [10 ** (lo - p), 10 ** (hi + p)];
}

/** The range of a linear axis: the finite values, at least `minWidth` wide around their middle, padded
 *  by `pad` of the width on each side; [0, 1] for none. */
export function linearDomain(values: number[], minWidth = 0.02, pad = 0.06): [number, number] {
  const xs = values.filter(Number.isFinite);
  if (!xs.length) return [0, 1];
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (hi - lo < minWidth) {
    const mid = (lo + hi) / 2;
    lo = mid - minWidth / 2;
    hi = mid + minWidth / 2;
  }
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

/** Ticks of a log axis inside [lo, hi]: 1, 2 and 5 x 10^k; only the powers of ten when that makes more
 *  than `max`; 1, 2, 3, 5 and 7 x 10^k when it makes fewer than three; when fewer than two fit even
 *  then, lo and hi themselves (rounded to 2 significant digits). */
export function logTicks(lo: number, hi: number, max = 8): number[] {
  if (!(lo > 0 && hi > lo)) return [];
  const inside = (mults: number[]) => {
    const out: number[] = [];
    for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
      for (const m of mults) {
        const t = Number((m * 10 ** k).toPrecision(6));
        if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) out.push(t);
      }
    }
    return out;
  };
  const all = inside([1, 2, 5]);
  const dense = inside([1, 2, 3, 5, 7]);
  const ticks = all.length > max ? inside([1]) : all.length < 3 && dense.length <= max ? dense : all;
  if (ticks.length >= 2) return ticks;
  return [Number(lo.toPrecision(2)), Number(hi.toPrecision(2))].filter((t, i, a) => a.indexOf(t) === i);
}

/** A log tick's text: "0.5", "2", "20", "1k" for 1000 and above ("1.5k"). */
export function logTickText(t: number): string {
  if (t >= 1000) return `${Number((t / 1000).toPrecision(3))}k`;
  return String(Number(t.toPrecision(3)));
}

/** The pixels of mean ± sd on a scale, each end clamped into the axis range [lo, hi] (a log axis has
 *  no place for mean - sd <= 0); undefined when there is no mean or no sd (one seed) or sd is 0. */
export function errorSpan(mean: number | null, sd: number | null, scale: Scale, lo: number, hi: number): [number, number] | undefined {
  if (mean === null || sd === null || !(sd > 0)) return undefined;
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  return [scale(clamp(mean - sd)), scale(clamp(mean + sd))];
}

/** The Pareto front as a staircase through its points, given by increasing serving cost (the fastest
 *  first): from each point a horizontal step to the next point's x at this point's y, then a vertical
 *  step to the next point's y. Below a front point's score, nothing faster exists: the line is the edge
 *  of what the sweep reached. One point gives itself; none gives none. */
export function frontSteps(points: Point[]): Point[] {
  const out: Point[] = [];
  points.forEach((p, i) => {
    if (i > 0) out.push({ x: p.x, y: points[i - 1].y });
    out.push(p);
  });
  return out;
}

/** An SVG path through the points ("M x y L x y ..."), rounded to 0.1 px; "" for none. */
export function pathOf(points: Point[]): string {
  const r = (v: number) => Number(v.toFixed(1));
  return points.map((p, i) => `${i ? 'L' : 'M'}${r(p.x)} ${r(p.y)}`).join(' ');
}

/** Which side of a mark at x its label goes: to the right unless that would leave the box by more
 *  than the label's width. */
export function labelSide(x: number, labelWidth: number, box: Box): 'start' | 'end' {
  return x + 10 + labelWidth > box.right ? 'end' : 'start';
}

/** The baseline of a mark's label: `gap` above the mark at y, or below it when above would come within
 *  `room` of the box's top (where the teacher's latency label is). */
export function labelY(y: number, gap: number, box: Box, room = 14): number {
  return y - gap < box.top + room ? y + gap + 8 : y - gap;
}
