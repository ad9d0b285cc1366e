// What the front chart plots of one task, in data units, for either x axis: latency at batch 1 (ms, the
// median of each run's timed passes) or speed-up over the teacher (x). A mark per seed with both a score
// and an x, a mean per cell with its sds, the teacher, the front's cells by increasing latency, and
// every value the axes must hold. Pure: the unit tests check it on hand-made tasks.
import type { Num, TaskFrontView } from './protocol';

export type XAxis = 'latency' | 'speedUp';

export interface SeedMark {
  cellIndex: number;
  seed: number;
  runId: string;
  x: number;
  y: number;
}

export interface MeanMark {
  cellIndex: number;
  label: string;
  x: number;
  y: number;
  xSd: Num;
  ySd: Num;
  n: number;
  onFront: boolean;
  recommended: boolean;
}

export interface FrontChartData {
  seeds: SeedMark[];
  means: MeanMark[];
  /** The teacher's score and x (latency, or 1 for speed-up), each null where unknown. */
  teacher: { x: Num; y: Num };
  /** The means of the front's cells, fastest first (the report's order), those with a mean on both axes. */
  front: MeanMark[];
  /** Every x and y the axes must show: marks, means ± sd, the teacher. */
  xs: number[];
  ys: number[];
}

/** The colour series of each cell: with a shape axis and other axes beside it that have more than one
 *  combination of levels, one per combination (e.g. per method, the shapes told apart by their labels);
 *  else one per cell.
 *  Also the text that names each cell on the chart (its shape then, its label else) and the legend of
 *  the series (none when each cell is its own). */
export function seriesOf(t: TaskFrontView): { series: number[]; names: string[]; legend: string[] } {
  const others = t.cellAxes.filter((a) => a !== t.shapeAxis);
  const shape = t.shapeAxis;
  const keyOf = (c: { cell: Record<string, string> }) => others.map((a) => c.cell[a]).join(' · ');
  const keys = [...new Set(t.cells.map(keyOf))];
  const names = t.cells.map((c) => (shape ? c.cell[shape] ?? c.label : c.label));
  // One level beside the shapes (one method): a colour per cell, named by its shape.
  if (!shape || !others.length || keys.length < 2) return { series: t.cells.map((_, i) => i), names: shape && others.length ? names : t.cells.map((c) => c.label), legend: [] };
  return { series: t.cells.map((c) => keys.indexOf(keyOf(c))), names, legend: keys };
}

/** Whether the x axis can be drawn: latency needs a measured cell; speed-up also the teacher's latency. */
export function canPlot(t: TaskFrontView, axis: XAxis): boolean {
  return t.measured && (axis === 'latency' || (t.teacher?.latencyMs ?? null) !== null);
}

export function chartData(t: TaskFrontView, axis: XAxis): FrontChartData {
  const seeds: SeedMark[] = [];
  const means: MeanMark[] = [];
  t.cells.forEach((c, cellIndex) => {
    for (const s of c.seeds) {
      const x = axis === 'latency' ? s.latencyMs : s.speedUp;
      if (x !== null && x > 0 && s.score !== null) seeds.push({ cellIndex, seed: s.seed, runId: s.runId, x, y: s.score });
    }
    const xs = axis === 'latency' ? c.latencyMs : c.speedUp;
    if (xs.mean !== null && xs.mean > 0 && c.score.mean !== null) {
      means.push({ cellIndex, label: c.label, x: xs.mean, y: c.score.mean, xSd: xs.sd, ySd: c.score.sd, n: c.score.n, onFront: c.onFront, recommended: c.recommended });
    }
  });
  const teacherLatency = t.teacher?.latencyMs ?? null;
  const teacher = { x: axis === 'latency' ? teacherLatency : teacherLatency !== null ? 1 : null, y: t.teacher?.score ?? null };
  const front = t.front.map((i) => means.find((m) => m.cellIndex === i)).filter((m): m is MeanMark => m !== undefined);
  const xs = [...seeds.map((s) => s.x), ...means.flatMap((m) => [m.x, ...(m.xSd !== null ? [m.x - m.xSd, m.x + m.xSd] : [])])];
  const ys = [...seeds.map((s) => s.y), ...means.flatMap((m) => [m.y, ...(m.ySd !== null ? [m.y - m.ySd, m.y + m.ySd] : [])])];
  if (teacher.x !== null) xs.push(teacher.x);
  if (teacher.y !== null) ys.push(teacher.y);
  // A log axis has no place for mean - sd <= 0: its error bar stops at the axis' end instead.
  return { seeds, means, teacher, front, xs: xs.filter((v) => v > 0), ys };
}
