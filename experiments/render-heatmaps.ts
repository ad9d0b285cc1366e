// Renders the layer heatmaps of an LRC run and its paired MSE baseline, side by side, as one SVG.
// Reads the run's last analysis file (trainer/analysis/analysisFile.ts) and draws, for each student,
// its angular-distance grid and its MSE grid (rows: student layers 0..M, columns: teacher layers 0..N;
// darker = closer; mapped cells are outlined). Usage:
//   npx tsx experiments/render-heatmaps.ts <lrc run folder> <out.svg> [title]
import { writeFileSync } from 'node:fs';
import { listAnalysisFiles, readAnalysisFile } from '../trainer/analysis/analysisFile';

const [runDir, out, title = ''] = process.argv.slice(2);
if (!runDir || !out) throw new Error('usage: render-heatmaps.ts <lrc run folder> <out.svg> [title]');
const files = listAnalysisFiles(runDir);
if (files.length === 0) throw new Error(`${runDir}: no analysis files (analysis/step-*.json)`);
const last = files[files.length - 1];
const file = readAnalysisFile(last.path);

const CELL = 44;
const PAD = 60;
type Grid = ((number | null)[] | null)[];

/** One heatmap: a grid, its range shared with its pair so that LRC and MSE compare by colour. */
function panel(grid: Grid, x0: number, y0: number, range: [number, number], label: string, mapped: Set<string>): string {
  const [lo, hi] = range;
  const parts = [`<text x="${x0}" y="${y0 - 26}" font-size="14" font-weight="bold">${label}</text>`];
  grid.forEach((row, i) => {
    const y = y0 + i * CELL;
    parts.push(`<text x="${x0 - 6}" y="${y + CELL / 2 + 4}" font-size="11" text-anchor="end">s${i}</text>`);
    row?.forEach((v, j) => {
      const x = x0 + j * CELL;
      if (v === null) {
        parts.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="#bbb" stroke="#fff"/>`);
        return;
      }
      const t = hi > lo ? (v - lo) / (hi - lo) : 0;
      const shade = Math.round(40 + 215 * t); // close = dark blue, far = white
      const fill = `rgb(${shade},${shade},255)`;
      const stroke = mapped.has(`${i},${j}`) ? 'stroke="#d00" stroke-width="3"' : 'stroke="#fff"';
      parts.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${fill}" ${stroke}/>`);
      parts.push(`<text x="${x + CELL / 2}" y="${y + CELL / 2 + 4}" font-size="9" text-anchor="middle" fill="${t < 0.5 ? '#fff' : '#000'}">${v.toPrecision(2)}</text>`);
    });
  });
  const cols = grid.find((r) => r)?.length ?? 0;
  for (let j = 0; j < cols; j++) parts.push(`<text x="${x0 + j * CELL + CELL / 2}" y="${y0 - 6}" font-size="11" text-anchor="middle">t${j}</text>`);
  return parts.join('\n');
}

const lrc = file.students.lrc;
const mse = file.students.mse;
if (!lrc || !mse) throw new Error(`${last.path}: needs both students (lrc and mse); found ${Object.keys(file.students).join(', ')}`);
const rangeOf = (grids: Grid[]): [number, number] => {
  const vals = grids.flatMap((g) => g.flatMap((r) => r ?? [])).filter((v): v is number => v !== null);
  return [Math.min(...vals), Math.max(...vals)];
};
const mappedCells = (s: typeof lrc) => new Set(s.mapping.map((m) => `${m.student},${m.teacher}`));
const cols = (file.teacher.layers + 1) * CELL;
const rows = (lrc.layers + 1) * CELL;
const width = PAD + 4 * (cols + PAD);
const height = 2 * PAD + rows + 70;
const angular = rangeOf([lrc.grid.angular, mse.grid.angular]);
const mseRange = rangeOf([lrc.grid.mse, mse.grid.mse]);
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
  `<rect width="100%" height="100%" fill="#fff"/>`,
  `<text x="${PAD}" y="20" font-size="15">${title} — analysis step ${file.step} (stage ${file.stage}), ${file.counts.examples} dev examples; red outline: mapped layers</text>`,
  panel(lrc.grid.angular, PAD, PAD + 30, angular, 'LRC student: angular distance', mappedCells(lrc)),
  panel(mse.grid.angular, PAD + (cols + PAD), PAD + 30, angular, 'MSE student: angular distance', mappedCells(mse)),
  panel(lrc.grid.mse, PAD + 2 * (cols + PAD), PAD + 30, mseRange, 'LRC student: MSE', mappedCells(lrc)),
  panel(mse.grid.mse, PAD + 3 * (cols + PAD), PAD + 30, mseRange, 'MSE student: MSE', mappedCells(mse)),
  `<text x="${PAD}" y="${height - 12}" font-size="11">rows s0..s${lrc.layers}: student layers (0 = embeddings); columns t0..t${file.teacher.layers}: teacher layers. Colour scale shared within each pair of panels (dark = close).</text>`,
  '</svg>',
].join('\n');
writeFileSync(out, svg);
console.log(`${out}: from ${last.path}`);
