// A per-layer chart on a canvas: one value per mapped layer for each student (lines with points), the
// set's mean per layer dashed behind them. Used for a selected case and for an analysed selection.
import { formatValue } from './format';
import type { MappingEntry, Num } from './protocol';
import { niceCeiling, ticks } from '../heatmap/colorScale';
import { cssVar } from './pageTools';

export interface LayerSeries {
  label: string;
  color: string;
  values: Num[];
  dashed?: boolean;
}

export interface LayerChartSpec {
  title: string;
  categories: string[];
  series: LayerSeries[];
  /** Fixed top of the y axis (2 for the angular distance); default: a nice ceiling of the data. */
  max?: number;
}

/** "S1→T4" for each mapped layer. */
export function layerCategories(mapping: readonly MappingEntry[] | undefined, count: number): string[] {
  return Array.from({ length: count }, (_, k) => (mapping?.[k] ? `S${mapping[k].student}→T${mapping[k].teacher}` : `layer ${k + 1}`));
}

/** The theme's series colours: LRC blue, MSE orange. */
export function studentColors(): { lrc: string; mse: string } {
  return { lrc: cssVar('charts-blue', '#3794ff'), mse: cssVar('charts-orange', '#d18616') };
}

/** Draws the chart into `canvas` at its CSS width. */
export function drawLayerChart(canvas: HTMLCanvasElement, spec: LayerChartSpec, cssWidth: number, cssHeight = 190): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.ceil(cssWidth * dpr);
  canvas.height = Math.ceil(cssHeight * dpr);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const fg = cssVar('editor-foreground', cssVar('foreground', '#cccccc'));
  const muted = cssVar('descriptionForeground', '#9d9d9d');
  const grid = cssVar('editorWidget-border', '#454545');
  const font = cssVar('font-family', 'sans-serif');
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const m = { left: 46, right: 12, top: 22, bottom: 40 };
  const w = cssWidth - m.left - m.right;
  const h = cssHeight - m.top - m.bottom;
  const values = spec.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const top = spec.max ?? niceCeiling(Math.max(0, ...values) * 1.05);
  const n = spec.categories.length;
  const inset = Math.min(28, w / 4); // room for the first and last labels
  const xOf = (k: number) => m.left + (n === 1 ? w / 2 : inset + (k * (w - 2 * inset)) / (n - 1));
  const yOf = (v: number) => m.top + h - (Math.min(top, Math.max(0, v)) / top) * h;

  ctx.font = `600 12px ${font}`;
  ctx.fillStyle = fg;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(spec.title, 4, 10);
  ctx.font = `10px ${font}`;
  ctx.textAlign = 'right';
  for (const t of ticks(0, top, 5)) {
    const y = yOf(t);
    ctx.strokeStyle = grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(m.left, y + 0.5);
    ctx.lineTo(m.left + w, y + 0.5);
    ctx.stroke();
    ctx.fillStyle = muted;
    ctx.fillText(formatValue(t, 3), m.left - 6, y);
  }
  ctx.textAlign = 'center';
  spec.categories.forEach((c, k) => ctx.fillText(c, xOf(k), m.top + h + 12));
  for (const s of spec.series) {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = s.dashed ? 1.5 : 2;
    ctx.setLineDash(s.dashed ? [5, 4] : []);
    ctx.beginPath();
    let pen = false;
    s.values.forEach((v, k) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      if (pen) ctx.lineTo(xOf(k), yOf(v));
      else ctx.moveTo(xOf(k), yOf(v));
      pen = true;
    });
    ctx.stroke();
    ctx.setLineDash([]);
    if (!s.dashed) {
      s.values.forEach((v, k) => {
        if (v === null || !Number.isFinite(v)) return;
        ctx.beginPath();
        ctx.arc(xOf(k), yOf(v), 3.5, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
  }
  // legend along the bottom
  let lx = m.left;
  ctx.textAlign = 'left';
  for (const s of spec.series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [5, 4] : []);
    ctx.beginPath();
    ctx.moveTo(lx, cssHeight - 9);
    ctx.lineTo(lx + 18, cssHeight - 9);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = fg;
    ctx.fillText(s.label, lx + 22, cssHeight - 9);
    lx += 30 + ctx.measureText(s.label).width;
  }
}
