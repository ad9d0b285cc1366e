// A sweep report as text: markdown (GitHub tables in the style of docs/results.md: values with 4
// decimals, differences in points "x.xx pt", "mean ± sd", "-" for no value), CSV (one text per table,
// rectangular, RFC 4180 quoting, lines ending in \n) and JSON (keys sorted at every level, NaN as null).
import { RunStatusSchema } from '../../runs/runRecord';
import type { CellRow, ComparisonTable, StatusCounts, SweepReport } from './types';
import type { Summary } from './statistics';

const value = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '-');
const points = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} pt` : '-');
const pValue = (p: number) => (Number.isFinite(p) ? p.toPrecision(3) : '-');
/** "0.8016 ± 0.0123"; the mean alone for one value; "-" for none. `digits` 2 for points. */
function meanSd(s: Summary, digits = 4): string {
  if (!Number.isFinite(s.mean)) return '-';
  return Number.isFinite(s.sd) ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits);
}
const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const line = (fields: string[]) => `| ${fields.map(cellText).join(' | ')} |`;
/** The alignment row: one letter per column, l (left) or r (right). */
const rule = (aligns: string) => `|${[...aligns].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`;
const label = (cell: Record<string, string>) => Object.entries(cell).map(([axis, level]) => `${axis} ${level}`).join(', ') || 'all';

function statusMarkdown(report: SweepReport): string[] {
  const statuses = RunStatusSchema.options;
  const row = (name: string, counts: StatusCounts, total: number) => line([name, ...statuses.map((s) => String(counts[s])), String(total)]);
  return ['### Runs by status', '', line(['', ...statuses, 'total']), rule('l' + 'r'.repeat(statuses.length + 1)),
    row('runs', report.summary.runsByStatus, report.summary.runs), row('teachers', report.summary.teachersByStatus, report.summary.teachers)];
}

function cellNotes(row: CellRow): string[] {
  const missing = row.missingSeeds.length ? [`no run of seed ${row.missingSeeds.join(', ')}`] : [];
  return [...missing, ...row.notes].map((n) => `- ${label(row.cell)}: ${n}`);
}

function cellsMarkdown(report: SweepReport): string[] {
  const axes = report.axes.map((a) => a.name);
  const out = ['### Cells (primary metric of the exported model, mean ± sd over the finished seeds; kept of teacher = mean / teacher)', '',
    line([...axes, 'metric', 'finished', 'seeds', 'per seed', 'mean ± sd', 'at the last evaluation', 'teacher', 'kept of teacher']), rule('l'.repeat(axes.length + 1) + 'rllrrrr')];
  for (const r of report.cells) {
    const used = r.seeds.filter((s) => Number.isFinite(s.value)).map((s) => s.seed).join(', ') || '-';
    const perSeed = r.seeds.map((s) => `${s.seed}: ${value(s.value)}`).join(', ');
    const kept = Number.isFinite(r.keptOfTeacher) ? `${r.keptOfTeacher.toFixed(1)}%` : '-';
    out.push(line([...axes.map((a) => r.cell[a]), r.primary ?? '-', `${r.finished} of ${r.runs}`, used, perSeed, meanSd(r.value), meanSd(r.last), value(r.teacherValue), kept]));
  }
  const notes = report.cells.flatMap(cellNotes);
  return notes.length ? [...out, '', ...notes] : out;
}

function teachersMarkdown(report: SweepReport): string[] {
  const axes = report.axes.map((a) => a.name).filter((a) => report.teachers.some((t) => t.cell[a] !== undefined));
  return ['### Teachers (primary metric of the exported model)', '', line(['teacher run', ...axes, 'status', 'metric', 'value']), rule('l'.repeat(axes.length + 3) + 'r'),
    ...report.teachers.map((t) => line([t.runId, ...axes.map((a) => t.cell[a] ?? '-'), t.status, t.primary ?? '-', value(t.value)]))];
}

function comparisonMarkdown(c: ComparisonTable): string[] {
  const diff = `${c.a} - ${c.b}`;
  const out = [`### ${c.name}: ${diff} on ${c.axis}, paired by seed (primary metric of the exported model; differences in points)`, '',
    line([...c.otherAxes, 'metric', 'seed', c.a, c.b, diff, `${c.a} ahead on`, 'sign test p']), rule('l'.repeat(c.otherAxes.length + 1) + 'rrrrrr')];
  const notes: string[] = [];
  for (const g of c.groups) {
    const lead = [...c.otherAxes.map((a) => g.cell[a]), g.primary ?? '-'];
    for (const s of g.seeds) {
      out.push(line([...lead, String(s.seed), value(s.a), value(s.b), points(s.difference), '', '']));
      if (s.dropped) notes.push(`- ${label(g.cell)}: seed ${s.seed} dropped: ${s.dropped}`);
    }
    const d = g.difference.n ? `**${meanSd(g.difference, 2)} pt**` : '-';
    out.push(line([...lead, `mean ± sd (${g.difference.n})`, meanSd(g.a), meanSd(g.b), d, `${g.signTest.aAhead} of ${g.difference.n}`, pValue(g.signTest.p)]));
  }
  if (!c.groups.length) out.push('', `No runs of ${c.a} or ${c.b}.`);
  return notes.length ? [...out, '', ...notes] : out;
}

/** The report as one markdown document. */
export function reportMarkdown(report: SweepReport): string {
  const sections = [[`## Sweep ${report.sweep.name} (${report.sweep.id})`], statusMarkdown(report), cellsMarkdown(report)];
  if (report.teachers.length) sections.push(teachersMarkdown(report));
  for (const c of report.comparisons) sections.push(comparisonMarkdown(c));
  if (report.notes.length) sections.push(['### Notes', '', ...report.notes.map((n) => `- ${n}`)]);
  return sections.map((s) => s.join('\n')).join('\n\n') + '\n';
}

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180); NaN is empty. */
export function csvField(v: string | number | null): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csv = (rows: (string | number | null)[][]) => rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';

/** The tables of the report as CSV texts, one per table; every axis is a column of its own (empty where
 *  a row has no level of it); numbers at full precision, differences in points. */
export interface ReportCsv { status: string; cells: string; seeds: string; teachers: string; comparisons: string; pairs: string }

export function reportCsv(report: SweepReport): ReportCsv {
  const axes = report.axes.map((a) => a.name);
  const at = (cell: Record<string, string>) => axes.map((a) => cell[a] ?? null);
  const sum = (s: Summary) => [s.n, s.mean, s.sd, s.leftOut];
  const { summary } = report;
  return {
    status: csv([['status', 'runs', 'teachers'], ...RunStatusSchema.options.map((s) => [s, summary.runsByStatus[s], summary.teachersByStatus[s]])]),
    cells: csv([[...axes, 'metric', 'runs', 'finished', 'n', 'mean', 'sd', 'left_out', 'last_n', 'last_mean', 'last_sd', 'last_left_out', 'missing_seeds', 'teacher_run', 'teacher', 'kept_of_teacher_percent', 'notes'],
      ...report.cells.map((r) => [...at(r.cell), r.primary, r.runs, r.finished, ...sum(r.value), ...sum(r.last), r.missingSeeds.join(' '), r.teacherRunId, r.teacherValue, r.keptOfTeacher, r.notes.join('; ')])]),
    seeds: csv([[...axes, 'metric', 'seed', 'run', 'status', 'value', 'last'],
      ...report.cells.flatMap((r) => r.seeds.map((s) => [...at(r.cell), r.primary, s.seed, s.runId, s.status, s.value, s.last]))]),
    teachers: csv([['run', ...axes, 'status', 'metric', 'value'], ...report.teachers.map((t) => [t.runId, ...at(t.cell), t.status, t.primary, t.value])]),
    comparisons: csv([['comparison', 'axis', 'a', 'b', ...axes, 'metric', 'n', 'a_mean', 'a_sd', 'b_mean', 'b_sd', 'difference_mean_pt', 'difference_sd_pt', 'a_ahead', 'b_ahead', 'ties', 'sign_test_p', 'dropped_seeds'],
      ...report.comparisons.flatMap((c) => c.groups.map((g) => [c.name, c.axis, c.a, c.b, ...at(g.cell), g.primary, g.difference.n, g.a.mean, g.a.sd, g.b.mean, g.b.sd,
        g.difference.mean, g.difference.sd, g.signTest.aAhead, g.signTest.bAhead, g.signTest.ties, g.signTest.p, g.seeds.filter((s) => s.dropped).map((s) => s.seed).join(' ')]))]),
    pairs: csv([['comparison', ...axes, 'metric', 'seed', 'a', 'b', 'difference_pt', 'dropped'],
      ...report.comparisons.flatMap((c) => c.groups.flatMap((g) => g.seeds.map((s) => [c.name, ...at(g.cell), g.primary, s.seed, s.a, s.b, s.difference, s.dropped])))]),
  };
}

/** Every object with its keys sorted, every non-finite number as null. */
function canonical(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

/** The report as JSON: keys sorted at every level (the axis order is in `axes`), NaN as null, 2-space indent. */
export function reportJson(report: SweepReport): string {
  return JSON.stringify(canonical(report), null, 2) + '\n';
}
