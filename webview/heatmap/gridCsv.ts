// CSV export of the grids of one step: one row per (student, student layer, teacher layer), in "long"
// form so that a spreadsheet or pandas reads it without reshaping. Pure, no DOM.
import type { Num } from '../cases/protocol';
import type { GridSideView, HeatmapStepView } from './protocol';

export const GRID_CSV_HEADER = ['run', 'student', 'step', 'source_step', 'stage', 'student_layer', 'teacher_layer', 'angular_distance', 'mse', 'mapped', 'row', 'examples'];

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function num(v: Num): string {
  return v === null ? '' : String(v);
}

function sideRows(side: GridSideView, step: HeatmapStepView): string[][] {
  const mapped = new Set(side.mapping.map((m) => `${m.student}:${m.teacher}`));
  const out: string[][] = [];
  for (let i = 0; i <= side.layers; i++) {
    for (let j = 0; j <= step.teacherLayers; j++) {
      out.push([side.runId, side.role, String(step.step), String(side.sourceStep), String(step.stage), String(i), String(j),
        num(side.angular[i][j]), num(side.mse[i][j]), mapped.has(`${i}:${j}`) ? 'true' : 'false', side.rows[i], String(side.examples)]);
    }
  }
  return out;
}

/** The CSV text (header line, then LRC rows, then MSE rows), lines ending in \n. */
export function gridCsv(step: HeatmapStepView): string {
  const rows = [GRID_CSV_HEADER];
  for (const side of [step.sides.lrc, step.sides.mse]) if (side) rows.push(...sideRows(side, step));
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
