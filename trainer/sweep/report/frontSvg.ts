// The front of one task as an SVG image (issue 23), a string with no DOM: x the median latency at batch 1
// on a log scale, y the task's metric; one small mark per seed, each cell's mean with error bars of ±1 sd
// on both axes, the teacher's score as a dashed reference line (and its own mark where it was measured),
// the front as a line through its cells, the recommended cell ringed. `sweep report --out <dir>` writes
// it as front-<task>.svg beside the tables. Colours are fixed (a light page); the panel draws its own.
import type { TaskFront } from './frontTypes';

const W = 720;
const H = 440;
const M = { left: 64, right: 200, top: 44, bottom: 64 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
/** Okabe-Ito: told apart with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const finite = Number.isFinite;

/** The chart's file name in a report folder: front-<task>.svg (front.svg without a task axis). */
export const frontSvgName = (task: string) => (task ? `front-${task.replace(/[^A-Za-z0-9._-]+/g, '_')}.svg` : 'front.svg');

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (v: number) => (Math.round(v * 100) / 100).toString();

/** Ticks of a log axis over [lo, hi]: 1, 2, 5 x 10^k (fewer when the range is wide). */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const steps = Math.log10(hi / lo) > 2 ? [1] : [1, 2, 5];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) for (const s of steps) {
    const v = s * 10 ** k;
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  return out;
}

/** About five round ticks of a linear axis over [lo, hi]. */
export function linearTicks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

const tickText = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? String(Number(v.toPrecision(3))) : String(Number(v.toPrecision(2))));

/** The chart of one task's front as an SVG document. */
export function frontSvg(t: TaskFront): string {
  const plotted = t.cells.map((c, i) => ({ c, i, color: PALETTE[i % PALETTE.length] })).filter(({ c }) => finite(c.latencyMs.mean) && finite(c.score.mean));
  const teacher = t.teacher;
  const lat = [...plotted.flatMap(({ c }) => [...c.seeds.map((s) => s.latencyMs), c.latencyMs.mean - (c.latencyMs.sd || 0), c.latencyMs.mean + (c.latencyMs.sd || 0)]), teacher?.latencyMs ?? NaN].filter((v) => finite(v) && v > 0);
  const sco = [...plotted.flatMap(({ c }) => [...c.seeds.filter((s) => finite(s.latencyMs)).map((s) => s.score), c.score.mean - (c.score.sd || 0), c.score.mean + (c.score.sd || 0)]), teacher?.score ?? NaN].filter(finite);
  const title = `${escapeXml(t.task || 'all')}: ${escapeXml(t.primary ?? 'score')} against latency at batch 1`;
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12" role="img" aria-label="${title}">\n<rect width="${W}" height="${H}" fill="#ffffff"/>\n<text x="${M.left}" y="22" font-size="15" font-weight="bold" fill="#1f1f1f">${title}</text>\n`;
  if (!lat.length || !sco.length) return `${head}<text x="${M.left}" y="${M.top + 40}" fill="#555">no cell has both a score and a serving latency (lrc-distill sweep measure)</text>\n</svg>\n`;

  // domains: log x padded by 15% each way, linear y by 8% of the span (of 0.05 for a single value)
  const xlo = Math.min(...lat) / 1.15;
  const xhi = Math.max(...lat) * 1.15;
  const span = Math.max(...sco) - Math.min(...sco) || 0.05;
  const ylo = Math.min(...sco) - 0.08 * span;
  const yhi = Math.max(...sco) + 0.08 * span;
  const X = (v: number) => M.left + (PLOT_W * Math.log(Math.max(v, xlo) / xlo)) / Math.log(xhi / xlo);
  const Y = (v: number) => M.top + PLOT_H * (1 - (v - ylo) / (yhi - ylo));

  const out: string[] = [head];
  // axes, grid, ticks
  out.push(`<g stroke="#e3e3e3">`);
  for (const v of logTicks(xlo, xhi)) out.push(`<line x1="${f(X(v))}" y1="${M.top}" x2="${f(X(v))}" y2="${M.top + PLOT_H}"/>`);
  for (const v of linearTicks(ylo, yhi)) out.push(`<line x1="${M.left}" y1="${f(Y(v))}" x2="${M.left + PLOT_W}" y2="${f(Y(v))}"/>`);
  out.push(`</g>`, `<rect x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#888"/>`, `<g fill="#333" text-anchor="middle">`);
  for (const v of logTicks(xlo, xhi)) out.push(`<text x="${f(X(v))}" y="${M.top + PLOT_H + 16}">${tickText(v)}</text>`);
  out.push(`<text x="${M.left + PLOT_W / 2}" y="${H - 18}">median latency at batch 1 (ms, log scale)</text>`, `</g>`, `<g fill="#333" text-anchor="end">`);
  const yTicks = linearTicks(ylo, yhi);
  const yDigits = yTicks.length > 1 ? Math.max(0, -Math.floor(Math.log10(yTicks[1] - yTicks[0]) + 1e-9)) : 2;
  for (const v of yTicks) out.push(`<text x="${M.left - 6}" y="${f(Y(v) + 4)}">${v.toFixed(yDigits)}</text>`);
  out.push(`</g>`, `<text transform="translate(16 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(t.primary ?? 'score')} (dev)</text>`);

  // the teacher
  if (teacher && finite(teacher.score)) {
    out.push(`<line class="teacher" x1="${M.left}" y1="${f(Y(teacher.score))}" x2="${M.left + PLOT_W}" y2="${f(Y(teacher.score))}" stroke="#666" stroke-dasharray="6 4"/>`);
    const at = finite(teacher.latencyMs) ? `, ${teacher.latencyMs.toFixed(1)} ms` : '';
    out.push(`<text x="${M.left + PLOT_W - 4}" y="${f(Y(teacher.score) - 6)}" text-anchor="end" fill="#555">teacher ${teacher.score.toFixed(4)}${escapeXml(at)}</text>`);
    if (finite(teacher.latencyMs)) {
      const x = X(teacher.latencyMs);
      const y = Y(teacher.score);
      out.push(`<path class="teacher-mark" d="M${f(x)} ${f(y - 7)} L${f(x + 7)} ${f(y)} L${f(x)} ${f(y + 7)} L${f(x - 7)} ${f(y)} Z" fill="#666"/>`);
    }
  }
  // the front: a line through its cells by increasing latency
  const front = t.front.filter((i) => finite(t.cells[i].latencyMs.mean));
  if (front.length > 1) out.push(`<polyline class="front" points="${front.map((i) => `${f(X(t.cells[i].latencyMs.mean))},${f(Y(t.cells[i].score.mean))}`).join(' ')}" fill="none" stroke="#444" stroke-width="1.5"/>`);
  // seeds, then error bars and means on top
  for (const { c, color } of plotted) {
    for (const s of c.seeds) if (finite(s.latencyMs) && finite(s.score)) out.push(`<circle class="seed" cx="${f(X(s.latencyMs))}" cy="${f(Y(s.score))}" r="3" fill="${color}" fill-opacity="0.45"/>`);
  }
  for (const { c, i, color } of plotted) {
    const x = X(c.latencyMs.mean);
    const y = Y(c.score.mean);
    if (finite(c.latencyMs.sd) && c.latencyMs.sd > 0) out.push(`<line class="error" x1="${f(X(c.latencyMs.mean - c.latencyMs.sd))}" y1="${f(y)}" x2="${f(X(c.latencyMs.mean + c.latencyMs.sd))}" y2="${f(y)}" stroke="${color}"/>`);
    if (finite(c.score.sd) && c.score.sd > 0) out.push(`<line class="error" x1="${f(x)}" y1="${f(Y(c.score.mean - c.score.sd))}" x2="${f(x)}" y2="${f(Y(c.score.mean + c.score.sd))}" stroke="${color}"/>`);
    out.push(`<circle class="mean${c.onFront ? ' on-front' : ''}" data-cell="${i}" cx="${f(x)}" cy="${f(y)}" r="6" fill="${color}" stroke="${c.onFront ? '#111' : '#fff'}" stroke-width="1.5"><title>${escapeXml(`${c.label}: ${c.score.mean.toFixed(4)}, ${c.latencyMs.mean.toFixed(2)} ms`)}</title></circle>`);
    if (c.recommended) out.push(`<circle class="recommended" cx="${f(x)}" cy="${f(y)}" r="11" fill="none" stroke="#D55E00" stroke-width="2.5"/>`, `<text x="${f(x + 14)}" y="${f(y + 20)}" fill="#D55E00" font-weight="bold">recommended</text>`);
  }
  // legend
  let ly = M.top + 6;
  const lx = M.left + PLOT_W + 16;
  out.push(`<g class="legend">`);
  t.cells.forEach((c, i) => {
    const color = PALETTE[i % PALETTE.length];
    const missing = !finite(c.latencyMs.mean) || !finite(c.score.mean);
    out.push(`<circle cx="${lx + 6}" cy="${ly}" r="5" fill="${missing ? 'none' : color}" stroke="${color}"/><text x="${lx + 16}" y="${ly + 4}" fill="#1f1f1f">${escapeXml(c.label)}${c.onFront ? ' *' : ''}${missing ? ' (not plotted)' : ''}</text>`);
    ly += 18;
  });
  out.push(`<text x="${lx}" y="${ly + 8}" fill="#555">* on the front</text>`, `<text x="${lx}" y="${ly + 26}" fill="#555">rule ${escapeXml(t.rule.text)}</text>`, `</g>`);
  out.push('</svg>\n');
  return out.join('\n');
}
