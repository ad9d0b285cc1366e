// What a heatmap cell says in words: the hover's lines, and the grids as tables for screen readers
// (the canvas is only a picture to them; the tests read these tables too).
import { el } from '../cases/pageTools';
import type { GridKind, GridSideView, HeatmapStepView } from './protocol';

/** The hover of cell (student layer i, teacher layer j): who, the exact values, over how many examples. */
export function cellLines(side: GridSideView, i: number, j: number): string[] {
  const mapped = side.mapping.some((m) => m.student === i && m.teacher === j);
  const angular = side.angular[i][j];
  const mse = side.mse[i][j];
  const who = side.role === 'lrc' ? 'LRC student' : 'MSE baseline student';
  return [
    `${who}: student layer ${i} × teacher layer ${j}${mapped ? ' (mapped pair)' : ''}`,
    side.rows[i] === 'none'
      ? 'no projection for this student layer: no value'
      : `angular distance ${angular === null ? 'not a number' : String(angular)} · MSE ${mse === null ? 'not a number' : String(mse)}`,
    `mean over ${side.examples} examples · step ${side.sourceStep}${side.rows[i] === 'identity' ? ' · compared without projection (same width)' : ''}`,
  ];
}

/** One table per student: rows student layers, columns teacher layers, the exact values of `kind`. */
export function gridTables(view: HeatmapStepView, kind: GridKind): HTMLTableElement[] {
  return [view.sides.lrc, view.sides.mse].flatMap((side) => {
    if (!side) return [];
    const values = kind === 'angular' ? side.angular : side.mse;
    const head = el('tr', {}, el('th', { text: 'student layer \\ teacher layer' }), ...values[0].map((_, j) => el('th', { scope: 'col', text: String(j) })));
    const rows = values.map((row, i) => el('tr', {}, el('th', { scope: 'row', text: String(i) }), ...row.map((v) => el('td', { text: v === null ? '' : String(v) }))));
    const caption = `${side.role === 'lrc' ? 'LRC student' : 'MSE baseline'}: ${kind === 'angular' ? 'angular distance' : 'MSE'} at step ${side.sourceStep}`;
    return [el('table', { id: `grid-table-${side.role}`, 'data-source-step': side.sourceStep }, el('caption', { text: caption }), head, ...rows)];
  });
}
