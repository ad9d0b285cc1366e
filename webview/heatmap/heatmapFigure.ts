// The heatmap figure, drawn by hand on one canvas: for each student (LRC, then the MSE baseline) a grid
// of teacher layers (columns 0..N) by student layers (rows 0..M), coloured on one shared scale, the
// mapped pairs outlined, and the legend. A 25 x 13 grid is a few hundred rectangles: well under a
// millisecond, no library, nothing that needs eval, and the same canvas is the PNG export.
import { formatValue } from '../cases/format';
import type { Num, StudentRole } from '../cases/protocol';
import { colorOf, rgbCss, textColorOn, ticks, viridis } from './colorScale';
import type { GridKind, GridSideView, HeatmapStepView } from './protocol';

export interface FigureTheme {
  background: string;
  foreground: string;
  muted: string;
  font: string;
}

export interface Scale {
  min: number;
  max: number;
  /** The legend's title. */
  title: string;
}

export interface CellHit {
  role: StudentRole;
  side: GridSideView;
  /** Student layer (row) and teacher layer (column). */
  i: number;
  j: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface SideBox {
  side: GridSideView;
  x: number;
  y: number;
}

export interface FigureLayout {
  width: number;
  height: number;
  cell: number;
  sides: SideBox[];
  legend: { x: number; y: number; w: number; textWidth: number };
  /** Width of each side (grid and titles). */
  sideWidth: number;
}

const ROLE_TITLES: Record<StudentRole, string> = { lrc: 'LRC student (COS-NCE)', mse: 'MSE baseline student' };
const MARGIN = { left: 44, top: 38, right: 16, bottom: 40 };
const GAP = 28;
/** A grid narrower than this still gets this much room, for its titles. */
const MIN_SIDE_WIDTH = 280;
/** The legend's text needs this much. */
const MIN_FIGURE_WIDTH = 560;
const LEGEND_HEIGHT = 76;

/** Cell size and where each grid goes: side by side when the width allows, else one above the other. */
export function layoutFigure(width: number, step: HeatmapStepView): FigureLayout {
  const sides = [step.sides.lrc, step.sides.mse].filter((s): s is GridSideView => !!s);
  const cols = step.teacherLayers + 1;
  const rows = Math.max(...sides.map((s) => s.layers + 1));
  const chrome = MARGIN.left + MARGIN.right;
  const across = Math.floor((width - sides.length * chrome - (sides.length - 1) * GAP) / (sides.length * cols));
  const acrossWidth = sides.length * Math.max(chrome + cols * Math.max(12, Math.min(44, across)), MIN_SIDE_WIDTH) + (sides.length - 1) * GAP;
  const stacked = sides.length > 1 && (across < 12 || acrossWidth > width);
  const fit = stacked ? Math.floor((width - chrome) / cols) : across;
  const cell = Math.max(12, Math.min(44, fit));
  const sideW = Math.max(chrome + cols * cell, MIN_SIDE_WIDTH);
  const sideH = MARGIN.top + rows * cell + MARGIN.bottom;
  const boxes = sides.map((side, k) => ({ side, x: stacked ? 0 : k * (sideW + GAP), y: stacked ? k * (sideH + 8) : 0 }));
  const figureW = stacked ? sideW : sides.length * sideW + (sides.length - 1) * GAP;
  const gridsH = stacked ? sides.length * sideH + (sides.length - 1) * 8 : sideH;
  const figureWidth = Math.max(figureW, Math.min(width, MIN_FIGURE_WIDTH));
  return {
    width: figureWidth,
    height: gridsH + LEGEND_HEIGHT,
    cell,
    sides: boxes,
    sideWidth: sideW,
    legend: { x: MARGIN.left, y: gridsH + 8, w: Math.min(figureWidth - MARGIN.left - MARGIN.right, 420), textWidth: figureWidth - MARGIN.left - 8 },
  };
}

function valueOf(side: GridSideView, kind: GridKind, i: number, j: number): Num {
  return (kind === 'angular' ? side.angular : side.mse)[i]?.[j] ?? null;
}

/** Draws the figure; returns the cells for hit tests. `ctx` is already scaled to CSS pixels. */
export function drawFigure(ctx: CanvasRenderingContext2D, layout: FigureLayout, step: HeatmapStepView, kind: GridKind, scale: Scale, theme: FigureTheme, names: Partial<Record<StudentRole, string>>): CellHit[] {
  const hits: CellHit[] = [];
  const { cell } = layout;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.textBaseline = 'middle';
  const showValues = cell >= 34;
  for (const { side, x, y } of layout.sides) {
    const gx = x + MARGIN.left;
    const gy = y + MARGIN.top;
    const cols = step.teacherLayers + 1;
    // title: which student, which run, which step
    ctx.fillStyle = theme.foreground;
    ctx.font = `600 13px ${theme.font}`;
    ctx.textAlign = 'left';
    const room = layout.sideWidth - 8;
    ctx.fillText(fitText(ctx, ROLE_TITLES[side.role], room), x + 4, y + 10);
    ctx.font = `11px ${theme.font}`;
    ctx.fillStyle = theme.muted;
    const from = side.sourceStep === step.step ? `step ${step.step}` : `step ${side.sourceStep} (its latest at step ${step.step})`;
    ctx.fillText(fitText(ctx, `${names[side.role] ?? side.runId} · ${from} · ${side.examples} examples`, room), x + 4, y + 25);
    for (let i = 0; i <= side.layers; i++) {
      for (let j = 0; j < cols; j++) {
        const cx = gx + j * cell;
        const cy = gy + i * cell;
        const v = valueOf(side, kind, i, j);
        const rgb = colorOf(v, scale.min, scale.max);
        if (rgb) {
          ctx.fillStyle = rgbCss(rgb);
          ctx.fillRect(cx, cy, cell - 1, cell - 1);
          if (showValues) {
            ctx.fillStyle = textColorOn(rgb);
            ctx.font = `10px ${theme.font}`;
            ctx.textAlign = 'center';
            ctx.fillText(kind === 'angular' ? v!.toFixed(2) : formatValue(v, 2), cx + (cell - 1) / 2, cy + (cell - 1) / 2);
          }
        } else {
          // no value: a row without projection, or a diverged model
          ctx.strokeStyle = theme.muted;
          ctx.lineWidth = 1;
          ctx.strokeRect(cx + 0.5, cy + 0.5, cell - 2, cell - 2);
          ctx.beginPath();
          ctx.moveTo(cx + 2, cy + cell - 3);
          ctx.lineTo(cx + cell - 3, cy + 2);
          ctx.stroke();
        }
        hits.push({ role: side.role, side, i, j, x: cx, y: cy, w: cell, h: cell });
      }
    }
    // the mapped pairs: a ring in the text colour with a ring in the background colour inside it,
    // so that it shows on the dark and the bright end of the scale, in light and dark themes
    for (const m of side.mapping) {
      const cx = gx + m.teacher * cell;
      const cy = gy + m.student * cell;
      ctx.lineWidth = 2;
      ctx.strokeStyle = theme.foreground;
      ctx.strokeRect(cx - 0.5, cy - 0.5, cell, cell);
      ctx.lineWidth = 1;
      ctx.strokeStyle = theme.background;
      ctx.strokeRect(cx + 1.5, cy + 1.5, cell - 4, cell - 4);
    }
    // axes: student layers down the left, teacher layers along the bottom (0 = embeddings)
    ctx.fillStyle = theme.foreground;
    ctx.font = `11px ${theme.font}`;
    ctx.textAlign = 'right';
    for (let i = 0; i <= side.layers; i++) ctx.fillText(String(i), gx - 6, gy + i * cell + cell / 2);
    ctx.textAlign = 'center';
    const every = cell >= 18 ? 1 : 2;
    for (let j = 0; j < cols; j += every) ctx.fillText(String(j), gx + j * cell + cell / 2, gy + (side.layers + 1) * cell + 9);
    ctx.fillStyle = theme.muted;
    ctx.fillText('teacher layer', gx + (cols * cell) / 2, gy + (side.layers + 1) * cell + 26);
    ctx.save();
    ctx.translate(x + 10, gy + ((side.layers + 1) * cell) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('student layer', 0, 0);
    ctx.restore();
  }
  drawLegend(ctx, layout.legend, scale, theme);
  return hits;
}

function drawLegend(ctx: CanvasRenderingContext2D, at: FigureLayout['legend'], scale: Scale, theme: FigureTheme): void {
  const barH = 12;
  const n = Math.max(2, Math.floor(at.w));
  for (let k = 0; k < n; k++) {
    ctx.fillStyle = rgbCss(viridis(k / (n - 1)));
    ctx.fillRect(at.x + k, at.y + 18, 1.5, barH);
  }
  ctx.fillStyle = theme.foreground;
  ctx.font = `11px ${theme.font}`;
  ctx.textAlign = 'left';
  ctx.fillText(fitText(ctx, scale.title, at.textWidth), at.x, at.y + 8);
  ctx.textAlign = 'center';
  for (const t of ticks(scale.min, scale.max, 5)) {
    const tx = at.x + ((t - scale.min) / (scale.max - scale.min || 1)) * (n - 1);
    ctx.fillRect(tx, at.y + 18 + barH, 1, 4);
    ctx.fillText(formatValue(t, 3), tx, at.y + 18 + barH + 12);
  }
  // the outline key
  const ky = at.y + 52;
  ctx.lineWidth = 2;
  ctx.strokeStyle = theme.foreground;
  ctx.strokeRect(at.x + 1, ky, 12, 12);
  ctx.textAlign = 'left';
  ctx.fillStyle = theme.muted;
  ctx.fillText(fitText(ctx, 'outlined: a mapped pair (student layer distilled from that teacher layer)', at.textWidth - 20), at.x + 20, ky + 6);
}

/** The text, cut with an ellipsis to fit `width` in the context's font. */
function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** Where each grid's cell (0, 0) is and the cell size, in CSS pixels of the canvas (for tests and tools). */
export function gridOrigins(layout: FigureLayout): { cell: number; sides: { role: StudentRole; x: number; y: number }[] } {
  return { cell: layout.cell, sides: layout.sides.map((b) => ({ role: b.side.role, x: b.x + MARGIN.left, y: b.y + MARGIN.top })) };
}

/** The cell under a point, if any. */
export function hitTest(hits: readonly CellHit[], x: number, y: number): CellHit | undefined {
  return hits.find((h) => x >= h.x && x < h.x + h.w && y >= h.y && y < h.y + h.h);
}
