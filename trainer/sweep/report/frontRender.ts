// The front of a sweep report as text (issue 23), in the style of ./render.ts: per task a markdown table
// of the cells (mean ± sd over the seeds of the score and of the latency at batch 1, the front, the
// recommended cell) with the teacher's row and the rule's reason; CSV one row per cell and one per seed.
import type { FrontCell, FrontReport, TaskFront } from './frontTypes';
import type { Summary } from './statistics';

const finite = Number.isFinite;
function meanSd(s: Summary, digits: number, scale = 1): string {
  if (!finite(s.mean)) return '-';
  return finite(s.sd) ? `${(scale * s.mean).toFixed(digits)} ± ${(scale * s.sd).toFixed(digits)}` : (scale * s.mean).toFixed(digits);
}
const num = (v: number, digits: number, unit = '') => (finite(v) ? `${v.toFixed(digits)}${unit}` : '-');
const millions = (n: number) => (finite(n) ? `${(n / 1e6).toFixed(2)}M` : '-');
const mb = (n: number) => (finite(n) ? `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 3 : 1)}` : '-');
const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const line = (fields: string[]) => `| ${fields.map(cellText).join(' | ')} |`;
const align = (aligns: string) => `|${[...aligns].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`;

/** "Spam" or "all" for a sweep without a task axis. */
export const taskName = (t: TaskFront) => t.task || 'all';

function taskMarkdown(t: TaskFront): string[] {
  const axes = t.cellAxes;
  const out = [`### Front: ${taskName(t)} (${t.primary ?? 'no metric'} of the exported model against the median latency at batch 1; mean ± sd over the seeds; rule ${t.rule.text})`, '',
    line([...axes, 'seeds', t.primary ?? 'score', 'latency ms', 'p95 ms', 'speed-up', 'examples/s', 'parameters', 'MB f32 / f16', 'front', 'recommended']),
    align('l'.repeat(axes.length) + 'r'.repeat(8) + 'll')];
  if (t.teacher) {
    const x = t.teacher;
    out.push(line([...axes.map((_, i) => (i === 0 ? `teacher ${x.runId}` : '')), '', num(x.score, 4), num(x.latencyMs, 2), num(x.p95Ms, 2), finite(x.latencyMs) ? '1.0x' : '-', num(x.examplesPerSecond, 0), millions(x.parameters), `${mb(x.sizeF32Bytes)} / ${mb(x.sizeF16Bytes)}`, '', '']));
  }
  for (const c of t.cells) {
    const seeds = c.seeds.filter((s) => finite(s.score)).map((s) => s.seed).join(', ') || '-';
    out.push(line([...axes.map((a) => c.cell[a]), seeds, meanSd(c.score, 4), meanSd(c.latencyMs, 2), meanSd(c.p95Ms, 2), finite(c.speedUp.mean) ? `${c.speedUp.mean.toFixed(1)}x` : '-', num(c.examplesPerSecond.mean, 0), millions(c.parameters),
      `${mb(c.sizeF32Bytes)} / ${mb(c.sizeF16Bytes)}`, c.onFront ? 'yes' : '', c.recommended ? '**yes**' : '']));
  }
  const rec = t.recommended === null ? undefined : t.cells[t.recommended];
  out.push('', `**Recommended${rec ? `: ${rec.label}` : ''}**: ${t.reason}${t.fallback ? ' (the rule is not met: a fallback)' : ''}.`);
  const notes = [...t.cells.flatMap((c) => c.notes.map((n) => `${c.label}: ${n}`)), ...t.notes];
  return notes.length ? [...out, '', ...notes.map((n) => `- ${n}`)] : out;
}

/** The front as markdown sections, one per task. */
export function frontMarkdown(front: FrontReport): string[][] {
  const measured = front.tasks.some((t) => t.cells.some((c) => c.latencyMs.n > 0) || finite(t.teacher?.latencyMs ?? NaN));
  if (!measured) return [['### Front', '', `No serving cost was measured in this sweep, so there is no front: runs measure their export when they end, and \`lrc-distill sweep measure ${front.sweep.id}\` measures every export of the sweep.`]];
  return front.tasks.map(taskMarkdown);
}

function field(v: string | number | boolean | null): string {
  if (v === null || (typeof v === 'number' && !finite(v))) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csv = (rows: (string | number | boolean | null)[][]) => rows.map((r) => r.map(field).join(',')).join('\n') + '\n';

/** The front's tables as CSV: `front` one row per cell (and per teacher), `front_seeds` one per seed. */
export function frontCsv(front: FrontReport): { front: string; front_seeds: string } {
  const axes = [...new Set(front.tasks.flatMap((t) => t.cellAxes))];
  const sum = (s: Summary) => [s.n, s.mean, s.sd];
  const rows: (string | number | boolean | null)[][] = [];
  for (const t of front.tasks) {
    const x = t.teacher;
    if (x) rows.push([t.task, 'teacher', ...axes.map(() => null), t.primary, 1, x.score, null, 1, x.latencyMs, null, 1, x.p95Ms, null, null, null, null, 1, x.examplesPerSecond, null, x.parameters, x.sizeF32Bytes, x.sizeF16Bytes, null, null, t.rule.text, null, x.runId]);
    for (const c of t.cells) {
      rows.push([t.task, 'cell', ...axes.map((a) => c.cell[a] ?? null), t.primary, ...sum(c.score), ...sum(c.latencyMs), ...sum(c.p95Ms), ...sum(c.speedUp), ...sum(c.examplesPerSecond), c.parameters, c.sizeF32Bytes, c.sizeF16Bytes,
        c.onFront, c.recommended, t.rule.text, c.recommended ? t.reason : c.notes.join('; ') || null, c.seeds.map((s) => s.runId).join(' ')]);
    }
  }
  const front_ = csv([['task', 'role', ...axes, 'metric', 'score_n', 'score_mean', 'score_sd', 'latency_n', 'latency_ms_mean', 'latency_ms_sd', 'p95_n', 'p95_ms_mean', 'p95_ms_sd', 'speed_up_n', 'speed_up_mean', 'speed_up_sd',
    'examples_per_second_n', 'examples_per_second_mean', 'examples_per_second_sd', 'parameters', 'size_f32_bytes', 'size_f16_bytes', 'on_front', 'recommended', 'rule', 'reason_or_notes', 'runs'], ...rows]);
  const seeds = csv([['task', ...axes, 'seed', 'run', 'status', 'score', 'latency_ms', 'p95_ms', 'examples_per_second', 'speed_up', 'quiet', 'session'],
    ...front.tasks.flatMap((t) => t.cells.flatMap((c: FrontCell) => c.seeds.map((s) => [t.task, ...axes.map((a) => c.cell[a] ?? null), s.seed, s.runId, s.status, s.score, s.latencyMs, s.p95Ms, s.examplesPerSecond, s.speedUp, s.quiet, s.session])))]);
  return { front: front_, front_seeds: seeds };
}
