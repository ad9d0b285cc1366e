// One task's score against serving cost as an SVG scatter chart: x the latency at batch 1 (ms) or the
// speed-up over the teacher, on a log scale; y the task's metric. A small dot per seed (focusable; a
// click or Enter opens its run's dashboard), a diamond per cell at its means with ± one sd error bars on
// both axes, the teacher as dashed reference lines, the Pareto front as a step line through its cells,
// and the recommended cell ringed and labelled. Colours come from the theme through CSS classes
// (media/sweepFront.css), so the chart reads in light, dark and high-contrast themes.
import { niceTicks, tickText, value } from './format';
import { chartData, seriesOf, type MeanMark, type XAxis } from './frontData';
import { errorSpan, frontSteps, labelSide, labelY, linearDomain, linearScale, logDomain, logScale, logTicks, logTickText, pathOf, type Box } from './frontGeometry';
import type { TaskFrontView } from './protocol';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 340;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** "3.42 ms" or "4.1×": the x value as the axis says it. */
export const xText = (v: number, axis: XAxis): string => (axis === 'latency' ? `${v.toPrecision(3)} ms` : `${v.toPrecision(2)}×`);

const titled = <E extends SVGElement>(e: E, title: string): E => {
  e.append(svg('title', {}, title));
  return e;
};

export function frontChart(t: TaskFrontView, axis: XAxis, width: number, openRun: (runId: string) => void): SVGSVGElement {
  const d = chartData(t, axis);
  const { series, names } = seriesOf(t);
  const box: Box = { left: 64, right: width - 20, top: 26, bottom: HEIGHT - 46 };
  const [xlo, xhi] = logDomain(d.xs);
  const [ylo, yhi] = linearDomain(d.ys);
  const x = logScale(xlo, xhi, box.left, box.right);
  const y = linearScale(ylo, yhi, box.bottom, box.top);
  const metric = t.primary ?? 'metric';
  const xTitle = axis === 'latency' ? 'latency at batch 1, median (ms, log scale)' : 'speed-up over the teacher (×, log scale)';
  const root = svg('svg', {
    class: 'front-chart', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'group', 'data-axis': axis,
    'aria-label': `${t.task || 'all runs'}: ${metric} against ${axis === 'latency' ? 'latency' : 'speed-up'}; ${d.seeds.length} runs, ${d.front.length} cells on the front`,
  });

  // grid, ticks and axis titles
  for (const v of logTicks(xlo, xhi)) {
    root.append(svg('line', { class: 'front-grid', x1: x(v), x2: x(v), y1: box.top, y2: box.bottom }));
    root.append(svg('text', { class: 'front-tick', x: x(v), y: box.bottom + 15, 'text-anchor': 'middle' }, axis === 'latency' ? logTickText(v) : `${logTickText(v)}×`));
  }
  const yTicks = niceTicks(ylo, yhi, Math.max(3, Math.floor((box.bottom - box.top) / 50)));
  for (const v of yTicks) {
    root.append(svg('line', { class: 'front-grid', x1: box.left, x2: box.right, y1: y(v), y2: y(v) }));
    root.append(svg('text', { class: 'front-tick', x: box.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, tickText(v, yTicks)));
  }
  root.append(svg('rect', { class: 'front-frame', x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top }));
  root.append(svg('text', { class: 'front-axis-title', x: (box.left + box.right) / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, xTitle));
  root.append(svg('text', { class: 'front-axis-title', x: 14, y: (box.top + box.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(box.top + box.bottom) / 2})` }, metric));

  // the teacher: its score across, its latency (or 1×) up
  if (d.teacher.y !== null) {
    root.append(titled(svg('line', { class: 'front-teacher', x1: box.left, x2: box.right, y1: y(d.teacher.y), y2: y(d.teacher.y) }), `teacher ${metric} ${value(d.teacher.y)}`));
    root.append(svg('text', { class: 'front-teacher-label', x: box.right - 4, y: y(d.teacher.y) - 5, 'text-anchor': 'end' }, `teacher ${value(d.teacher.y)}`));
  }
  if (d.teacher.x !== null) {
    const tx = x(d.teacher.x);
    root.append(titled(svg('line', { class: 'front-teacher', x1: tx, x2: tx, y1: box.top, y2: box.bottom }), `teacher ${xText(d.teacher.x, axis)}`));
    root.append(svg('text', { class: 'front-teacher-label', x: tx + (labelSide(tx, 90, box) === 'start' ? 4 : -4), y: box.top - 6, 'text-anchor': labelSide(tx, 90, box) }, `teacher ${xText(d.teacher.x, axis)}`));
  }

  // the front: a step line through its cells, the fastest first
  if (d.front.length) root.append(svg('path', { class: 'front-line', d: pathOf(frontSteps(d.front.map((m) => ({ x: x(m.x), y: y(m.y) })))) }));

  // the cells: error bars and a diamond at the means
  for (const m of d.means) root.append(meanMark(m, t, axis, { x, y, xlo, xhi, ylo, yhi }, series[m.cellIndex], names[m.cellIndex]));

  // the seeds, on top so that each can be clicked
  for (const s of d.seeds) {
    const cell = t.cells[s.cellIndex];
    const dot = svg('circle', {
      class: `front-dot series-${series[s.cellIndex] % 6}`, cx: x(s.x), cy: y(s.y), r: 4, tabindex: 0, role: 'button',
      'data-run-id': s.runId, 'data-seed': s.seed, 'data-cell': cell.label, 'data-score': value(s.y), 'data-x': s.x,
      'aria-label': `${cell.label}, seed ${s.seed}: ${metric} ${value(s.y)} at ${xText(s.x, axis)}; opens the run's dashboard`,
    });
    titled(dot, `${cell.label}, seed ${s.seed}\n${metric} ${value(s.y)} · ${xText(s.x, axis)}\nrun ${s.runId}: click for its dashboard`);
    dot.addEventListener('click', () => openRun(s.runId));
    dot.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      openRun(s.runId);
    });
    root.append(dot);
  }
  return root;
}

interface Scales {
  x: (v: number) => number;
  y: (v: number) => number;
  xlo: number;
  xhi: number;
  ylo: number;
  yhi: number;
}

function meanMark(m: MeanMark, t: TaskFrontView, axis: XAxis, s: Scales, seriesIndex: number, name: string): SVGGElement {
  const cx = s.x(m.x);
  const cy = s.y(m.y);
  const cell = t.cells[m.cellIndex];
  const g = svg('g', {
    class: `front-cell series-${seriesIndex % 6}${m.onFront ? ' on-front' : ''}${m.recommended ? ' recommended' : ''}`,
    'data-cell': m.label, 'data-score': value(m.y), 'data-x': m.x,
  });
  const xs = errorSpan(m.x, m.xSd, s.x, s.xlo, s.xhi);
  const ys = errorSpan(m.y, m.ySd, s.y, s.ylo, s.yhi);
  if (xs) g.append(svg('line', { class: 'front-err', x1: xs[0], x2: xs[1], y1: cy, y2: cy }));
  if (ys) g.append(svg('line', { class: 'front-err', x1: cx, x2: cx, y1: ys[0], y2: ys[1] }));
  const r = 6.5;
  g.append(svg('path', { class: 'front-mean', d: `M${cx} ${cy - r} L${cx + r} ${cy} L${cx} ${cy + r} L${cx - r} ${cy} Z` }));
  if (m.recommended) g.append(svg('circle', { class: 'front-recommended-ring', cx, cy, r: 12 }));
  const sd = (v: number | null, f: (v: number) => string) => (v !== null ? ` ± ${f(v)}` : '');
  titled(g, `${m.label}${m.onFront ? ' (on the front)' : ''}${m.recommended ? ' (recommended)' : ''}\n` +
    `${t.primary ?? 'metric'} ${value(m.y)}${sd(m.ySd, value)} · ${xText(m.x, axis)}${sd(m.xSd, (v) => xText(v, axis))} (${m.n} seeds)` +
    (cell.notes.length ? `\n${cell.notes.join('\n')}` : ''));
  // Every cell is named beside its diamond (its shape when the colour says the rest); the recommended one in full.
  const text = m.recommended ? `★ recommended: ${m.label}` : name;
  const box = { left: s.x(s.xlo), right: s.x(s.xhi), top: s.y(s.yhi), bottom: s.y(s.ylo) };
  const side = labelSide(cx, 6.5 * text.length, box);
  const cls = m.recommended ? 'front-label recommended' : m.onFront ? 'front-label' : 'front-label off-front';
  g.append(svg('text', { class: cls, x: cx + (side === 'start' ? 9 : -9), y: labelY(cy, m.recommended ? 15 : 8, box), 'text-anchor': side }, text));
  return g;
}
