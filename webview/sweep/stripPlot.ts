// The spread of each cell over its seeds, as an SVG strip plot: one row per cell, a dot per finished
// seed (spread apart vertically so that equal values stay visible), the mean as a bar with ± one sample
// sd as whiskers, and the teacher as a dashed line. Colours are the theme's chart colours through CSS
// classes (media/sweep.css), so the plot reads in light, dark and high contrast themes. A dot's tooltip
// names its seed, value and run; a click opens the run's dashboard.
import { niceTicks, tickText, value } from './format';

export interface StripSeed {
  seed: number;
  runId: string;
  value: number;
}

export interface StripRow {
  label: string;
  seeds: StripSeed[];
  mean: number | null;
  sd: number | null;
  n: number;
  /** "2 of 3 finished" when not all did. */
  note?: string;
}

export interface StripGroup {
  title: string;
  metric: string;
  rows: StripRow[];
  teacher: number | null;
}

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 30;
const TOP = 22;
const AXIS = 24;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The value range to draw: every dot, mean ± sd and the teacher, padded; at least 0.02 wide. */
function domainOf(g: StripGroup): [number, number] {
  const xs = g.rows.flatMap((r) => [...r.seeds.map((s) => s.value), ...(r.mean !== null ? [r.mean - (r.sd ?? 0), r.mean + (r.sd ?? 0)] : [])]);
  if (g.teacher !== null) xs.push(g.teacher);
  if (!xs.length) return [0, 1];
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (hi - lo < 0.02) {
    const mid = (lo + hi) / 2;
    lo = mid - 0.01;
    hi = mid + 0.01;
  }
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

export function stripPlot(g: StripGroup, width: number, openRun: (runId: string) => void): SVGSVGElement {
  const labelWidth = Math.min(200, Math.max(70, 7 * Math.max(...g.rows.map((r) => r.label.length), 4) + 12));
  const rightWidth = g.rows.some((r) => r.note) ? 260 : 150;
  const plotLeft = labelWidth;
  const plotRight = Math.max(plotLeft + 120, width - rightWidth);
  const height = TOP + g.rows.length * ROW + AXIS;
  const [lo, hi] = domainOf(g);
  const x = (v: number) => plotLeft + ((v - lo) / (hi - lo)) * (plotRight - plotLeft);
  const root = svg('svg', { class: 'strip-plot', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${g.title}: ${g.metric} of each cell over the seeds` });

  // grid and axis
  const ticks = niceTicks(lo, hi, Math.max(3, Math.floor((plotRight - plotLeft) / 80)));
  const axisY = TOP + g.rows.length * ROW;
  for (const t of ticks) {
    root.append(svg('line', { class: 'strip-grid', x1: x(t), x2: x(t), y1: TOP - 4, y2: axisY }));
    root.append(svg('text', { class: 'strip-tick', x: x(t), y: axisY + 15, 'text-anchor': 'middle' }, tickText(t, ticks)));
  }
  root.append(svg('line', { class: 'strip-axis', x1: plotLeft, x2: plotRight, y1: axisY, y2: axisY }));
  root.append(svg('text', { class: 'strip-head', x: plotRight + 8, y: TOP - 8 }, 'mean ± sd (n)'));

  // the teacher
  if (g.teacher !== null) {
    const tx = x(g.teacher);
    root.append(svg('line', { class: 'strip-teacher', x1: tx, x2: tx, y1: TOP - 6, y2: axisY }));
    root.append(svg('text', { class: 'strip-teacher-label', x: tx, y: TOP - 9, 'text-anchor': tx > (plotLeft + plotRight) / 2 ? 'end' : 'start' }, `teacher ${value(g.teacher)}`));
  }

  g.rows.forEach((r, i) => {
    const cy = TOP + i * ROW + ROW / 2;
    const row = svg('g', { class: `strip-row series-${i % 6}`, 'data-label': r.label });
    if (i % 2 === 1) row.append(svg('rect', { class: 'strip-band', x: 0, y: cy - ROW / 2, width, height: ROW }));
    row.append(svg('text', { class: 'strip-label', x: plotLeft - 10, y: cy + 4, 'text-anchor': 'end' }, r.label));
    if (r.mean !== null) {
      const mx = x(r.mean);
      if (r.sd !== null) {
        const [a, b] = [x(r.mean - r.sd), x(r.mean + r.sd)];
        row.append(svg('line', { class: 'strip-sd', x1: a, x2: b, y1: cy, y2: cy }));
        row.append(svg('line', { class: 'strip-sd', x1: a, x2: a, y1: cy - 5, y2: cy + 5 }));
        row.append(svg('line', { class: 'strip-sd', x1: b, x2: b, y1: cy - 5, y2: cy + 5 }));
      }
      row.append(svg('line', { class: 'strip-mean', x1: mx, x2: mx, y1: cy - 10, y2: cy + 10 }));
    }
    const spread = r.seeds.length > 1 ? 14 / (r.seeds.length - 1) : 0;
    r.seeds.forEach((s, j) => {
      const dot = svg('circle', { class: 'strip-dot', cx: x(s.value), cy: cy - 7 + j * spread, r: 4.5, 'data-seed': s.seed, 'data-value': value(s.value), tabindex: 0 });
      dot.append(svg('title', {}, `seed ${s.seed}: ${value(s.value)} (run ${s.runId}); click for its dashboard`));
      dot.addEventListener('click', () => openRun(s.runId));
      dot.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && openRun(s.runId));
      row.append(dot);
    });
    const summary = r.mean === null ? undefined : `${value(r.mean)}${r.sd !== null ? ` ± ${value(r.sd)}` : ''} (${r.n})`;
    row.append(svg('text', { class: 'strip-value', x: plotRight + 8, y: cy + 4 }, [summary, r.note].filter(Boolean).join(' · ') || '-'));
    root.append(row);
  });
  return root;
}
