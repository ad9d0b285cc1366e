// A sweep report as text: markdown (GitHub tables in the style of docs/results.md: values with 4
// decimals, differences in points "x.xx pt", "mean ± sd", "-" for no value), CSV (one text per table,
// rectangular, RFC 4180 quoting, lines ending in \n) and JSON (keys sorted at every level, NaN as null).
import { RunStatusSchema } from '../../runs/runRecord';
import { frontCsv, frontMarkdown } from './frontRender';
import { generalsCsv, generalsMarkdown } from './generalsRender';
import { csv, fixed, line, rule, value } from './tableText';
import type { CellRow, ComparisonTable, RunRow, RunsTable, StatusCounts, SweepReport } from './types';
import type { Summary } from './statistics';

const points = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} pt` : '-');
const pValue = (p: number) => (Number.isFinite(p) ? p.toPrecision(3) : '-');
/** "0.8016 ± 0.0123"; the mean alone for one value; "-" for none. `digits` 2 for points. */
function meanSd(s: Summary, digits = 4): string {
  if (!Number.isFinite(s.mean)) return '-';
  return Number.isFinite(s.sd) ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : s.mean.toFixed(digits);
}
/** "-0.38 ± 0.26 pt": a summary of differences in points; "-" for none. */
const pointsSd = (s: Summary) => (s.n ? `${meanSd(s, 2)} pt` : '-');
const label = (cell: Record<string, string>) => Object.entries(cell).map(([axis, level]) => `${axis} ${level}`).join(', ') || 'all';

function statusMarkdown(report: SweepReport): string[] {
  const statuses = RunStatusSchema.options;
  const row = (name: string, counts: StatusCounts, total: number) => line([name, ...statuses.map((s) => String(counts[s])), String(total)]);
  const { summary } = report;
  return ['### Runs by status', '', line(['', ...statuses, 'total']), rule('l' + 'r'.repeat(statuses.length + 1)),
    row('runs', summary.runsByStatus, summary.runs), row('teachers', summary.teachersByStatus, summary.teachers),
    ...(summary.generals ? [row('general runs', summary.generalsByStatus, summary.generals)] : [])];
}

function cellNotes(row: CellRow): string[] {
  const missing = row.missingSeeds.length ? [`no run of seed ${row.missingSeeds.join(', ')}`] : [];
  return [...missing, ...row.notes].map((n) => `- ${label(row.cell)}: ${n}`);
}

function cellsMarkdown(report: SweepReport): string[] {
  const axes = report.axes.map((a) => a.name);
  const out = ['### Cells (primary metric of the exported model, mean ± sd over the finished seeds; kept of teacher = mean / teacher)', '',
    line([...axes, 'metric', 'finished', 'seeds', 'per seed', 'mean ± sd', 'at the last evaluation', 'teacher', 'kept of teacher', 'teacher - mean']), rule('l'.repeat(axes.length + 1) + 'rllrrrrr')];
  for (const r of report.cells) {
    const used = r.seeds.filter((s) => Number.isFinite(s.value)).map((s) => s.seed).join(', ') || '-';
    const perSeed = r.seeds.map((s) => `${s.seed}: ${value(s.value)}`).join(', ');
    const kept = Number.isFinite(r.keptOfTeacher) ? `${r.keptOfTeacher.toFixed(1)}%` : '-';
    out.push(line([...axes.map((a) => r.cell[a]), r.primary ?? '-', `${r.finished} of ${r.runs}`, used, perSeed, meanSd(r.value), meanSd(r.last), value(r.teacherValue), kept, points(r.teacherLead)]));
  }
  const notes = report.cells.flatMap(cellNotes);
  return notes.length ? [...out, '', ...notes] : out;
}

function teachersMarkdown(report: SweepReport): string[] {
  const axes = report.axes.map((a) => a.name).filter((a) => report.teachers.some((t) => t.cell[a] !== undefined));
  return ['### Teachers (primary metric of the exported model)', '', line(['teacher run', ...axes, 'status', 'metric', 'value', 'at the last evaluation']), rule('l'.repeat(axes.length + 3) + 'rr'),
    ...report.teachers.map((t) => line([t.runId, ...axes.map((a) => t.cell[a] ?? '-'), t.status, t.primary ?? '-', value(t.value), value(t.last)]))];
}

function comparisonMarkdown(c: ComparisonTable): string[] {
  const diff = `${c.a} - ${c.b}`;
  const out = [`### ${c.name}: ${diff} on ${c.axis}, paired by seed (primary metric of the exported model; differences in points)`, '',
    line([...c.otherAxes, 'metric', 'seed', c.a, c.b, diff, `${diff} at the last evaluation`, `${c.a} ahead on`, 'sign test p']), rule('l'.repeat(c.otherAxes.length + 1) + 'rrrrrrr')];
  const notes: string[] = [];
  for (const g of c.groups) {
    const lead = [...c.otherAxes.map((a) => g.cell[a]), g.primary ?? '-'];
    for (const s of g.seeds) {
      out.push(line([...lead, String(s.seed), value(s.a), value(s.b), points(s.difference), points(s.lastDifference), '', '']));
      if (s.dropped) notes.push(`- ${label(g.cell)}: seed ${s.seed} dropped: ${s.dropped}`);
    }
    const d = g.difference.n ? `**${meanSd(g.difference, 2)} pt**` : '-';
    out.push(line([...lead, `mean ± sd (${g.difference.n})`, meanSd(g.a), meanSd(g.b), d, pointsSd(g.lastDifference), `${g.signTest.aAhead} of ${g.difference.n}`, pValue(g.signTest.p)]));
  }
  if (!c.groups.length) out.push('', `No runs of both ${c.a} and ${c.b}${c.otherAxes.length ? ` in any combination of ${c.otherAxes.join(', ')}` : ''}.`);
  const p = c.pooled;
  if (p.groups > 1) out.push('', `Over all ${p.groups} combinations of ${c.otherAxes.join(', ')} and their seeds: ${c.a} ahead on ${p.signTest.aAhead} of ${p.difference.n} pairs (${p.signTest.ties} ties), sign test p = ${pValue(p.signTest.p)}; mean difference ${pointsSd(p.difference)} (points of each one's own metric).`);
  return notes.length ? [...out, '', ...notes] : out;
}

/** The axes compared, in the order of their first comparison. */
const comparedAxes = (report: SweepReport) => [...new Set(report.comparisons.map((c) => c.axis))];

/** Combinations of the axes but `axis` that have cells, in axis order, each with its cells. */
function groupsOf(report: SweepReport, axis: string): { cell: Record<string, string>; cells: CellRow[] }[] {
  const others = report.axes.filter((a) => a.name !== axis);
  const groups = new Map<string, { at: number[]; cell: Record<string, string>; cells: CellRow[] }>();
  for (const row of report.cells) {
    const key = JSON.stringify(others.map((a) => row.cell[a.name]));
    const group = groups.get(key) ?? { at: others.map((a) => a.levels.indexOf(row.cell[a.name])), cell: Object.fromEntries(others.map((a) => [a.name, row.cell[a.name]])), cells: [] };
    group.cells.push(row);
    groups.set(key, group);
  }
  return [...groups.values()].sort((x, y) => x.at.reduce((o, v, i) => o || v - y.at[i], 0));
}

/** Every comparison on one axis, one row per combination of the other axes: the headline of a sweep. */
function overviewMarkdown(report: SweepReport, axis: string): string[] {
  const others = report.axes.map((a) => a.name).filter((a) => a !== axis);
  const out = [`### Comparisons on ${axis} (mean ± sd over the seeds both have; differences in points of the metric)`, '',
    line(['comparison', ...others, 'metric', 'seeds', 'teacher', 'a', 'b', 'a - b', 'a ahead on', 'a - b at the last evaluation', 'sign test p']), rule('l'.repeat(others.length + 3) + 'r'.repeat(7))];
  for (const c of report.comparisons.filter((x) => x.axis === axis)) {
    for (const g of c.groups) {
      const teacher = report.cells.find((r) => r.cell[axis] === c.a && others.every((o) => r.cell[o] === g.cell[o]))?.teacherValue ?? NaN;
      const seeds = g.seeds.filter((s) => s.dropped === null).map((s) => s.seed).join(', ') || '-';
      out.push(line([c.name, ...others.map((o) => g.cell[o]), g.primary ?? '-', seeds, value(teacher), meanSd(g.a), meanSd(g.b), pointsSd(g.difference), `${g.signTest.aAhead} of ${g.difference.n}`, pointsSd(g.lastDifference), pValue(g.signTest.p)]));
    }
    if (c.pooled.groups > 1) out.push(line([c.name, ...others.map(() => 'all'), '-', `${c.pooled.difference.n} pairs`, '-', '-', '-', pointsSd(c.pooled.difference), `${c.pooled.signTest.aAhead} of ${c.pooled.difference.n}`, '-', pValue(c.pooled.signTest.p)]));
  }
  return out;
}

/** What a side-by-side table shows for a level without a cell in a combination: one the sweep left out. */
const EXCLUDED = 'excluded';

/** The levels of one axis side by side, seed by seed, with the teacher: of the exported models or at the last evaluation. */
function sideBySideMarkdown(report: SweepReport, axis: string, at: 'exported' | 'last'): string[] {
  const others = report.axes.map((a) => a.name).filter((a) => a !== axis);
  const levels = (report.axes.find((a) => a.name === axis)?.levels ?? []).filter((l) => report.cells.some((r) => r.cell[axis] === l));
  const title = at === 'exported' ? 'primary metric of the exported model' : 'primary metric at the last evaluation of each run';
  const out = [`### ${axis} side by side, seed by seed (${title})`, '', line([...others, 'metric', 'seed', ...levels, 'teacher']), rule('l'.repeat(others.length + 1) + 'r'.repeat(levels.length + 2))];
  for (const g of groupsOf(report, axis)) {
    const byLevel = new Map(g.cells.map((r) => [r.cell[axis], r]));
    const lead = [...others.map((o) => g.cell[o]), g.cells[0].primary ?? '-'];
    const teacher = value(at === 'exported' ? g.cells[0].teacherValue : g.cells[0].teacherLast);
    const seeds = [...new Set(g.cells.flatMap((r) => r.seeds.map((s) => s.seed)))].sort((x, y) => x - y);
    for (const seed of seeds) {
      out.push(line([...lead, String(seed), ...levels.map((l) => {
        if (!byLevel.has(l)) return EXCLUDED;
        const s = byLevel.get(l)!.seeds.find((x) => x.seed === seed);
        return s ? value(at === 'exported' ? s.value : s.last) : '-';
      }), teacher]));
    }
    out.push(line([...lead, 'mean ± sd', ...levels.map((l) => { const r = byLevel.get(l); return r ? meanSd(at === 'exported' ? r.value : r.last) : EXCLUDED; }), teacher]));
  }
  return out;
}

const millions = (n: number) => `${(n / 1e6).toFixed(2)}M`;
const kindText = (r: RunRow) => (r.preset ? `${r.kind}/${r.preset}` : r.kind);

function runsMarkdown(report: SweepReport, table: RunsTable): string[] {
  const axes = report.axes.map((a) => a.name);
  const out = [`### Runs: ${table.metrics.join(', ') || 'no metrics yet'} (every metric of the exported model; kept of teacher and the last evaluation: the primary metric; dev examples/s of eval, speed-up against the teacher's)`, '',
    line([...axes, 'seed', 'run', 'kind', 'status', 'metric', ...table.metrics, 'kept of teacher', 'parameters (word emb. / rest)', 'dev examples/s', 'speed-up', 'best step / steps', 'at the last evaluation', 'train time']),
    rule('l'.repeat(axes.length) + 'rllll' + 'r'.repeat(table.metrics.length + 7))];
  for (const r of table.rows) {
    const d = r.details;
    const p = d?.parameters;
    const best = d?.bestStep !== undefined ? `${d.bestStep}${d.bestInStage1 ? ' (stage 1)' : ''} / ${d.totalSteps ?? '-'}` : '-';
    out.push(line([...axes.map((a) => r.cell[a] ?? (r.role === 'teacher' ? 'teacher' : '-')), r.seed === null ? '-' : String(r.seed), r.runId, kindText(r), r.status, r.primary ?? '-',
      ...table.metrics.map((m) => value(r.metrics[m] ?? NaN)), fixed(r.keptOfTeacher, 1, '%'), p ? `${millions(p.total)} (${millions(p.word)} / ${millions(p.total - p.word)})` : '-',
      fixed(d?.evalExamplesPerSecond, 0), fixed(r.speedUp, 1, 'x'), best, value(r.last), fixed(d?.trainSeconds === undefined ? undefined : d.trainSeconds / 60, 1, ' min')]));
  }
  return out;
}

/** The report as one markdown document. */
export function reportMarkdown(report: SweepReport): string {
  const sections = [[`## Sweep ${report.sweep.name} (${report.sweep.id})`], statusMarkdown(report)];
  for (const axis of comparedAxes(report)) sections.push(overviewMarkdown(report, axis));
  sections.push(cellsMarkdown(report));
  if (report.teachers.length) sections.push(teachersMarkdown(report));
  if (report.generals.length) sections.push(generalsMarkdown(report));
  for (const axis of comparedAxes(report)) sections.push(sideBySideMarkdown(report, axis, 'exported'), sideBySideMarkdown(report, axis, 'last'));
  for (const c of report.comparisons) sections.push(comparisonMarkdown(c));
  for (const t of report.runs) sections.push(runsMarkdown(report, t));
  if (report.front) sections.push(...frontMarkdown(report.front));
  if (report.notes.length) sections.push(['### Notes', '', ...report.notes.map((n) => `- ${n}`)]);
  return sections.map((s) => s.join('\n')).join('\n\n') + '\n';
}

export { csvField } from './tableText';

/** The tables of the report as CSV texts, one per table; every axis is a column of its own (empty where
 *  a row has no level of it); numbers at full precision, differences in points. A sweep with a general
 *  stage has `generals` and a `generals` column in `status`. */
export interface ReportCsv { status: string; cells: string; seeds: string; teachers: string; generals?: string; comparisons: string; pooled: string; pairs: string; runs: string; front?: string; front_seeds?: string }

export function reportCsv(report: SweepReport): ReportCsv {
  const axes = report.axes.map((a) => a.name);
  const at = (cell: Record<string, string>) => axes.map((a) => cell[a] ?? null);
  const sum = (s: Summary) => [s.n, s.mean, s.sd, s.leftOut];
  const { summary } = report;
  return {
    status: summary.generals
      ? csv([['status', 'runs', 'teachers', 'generals'], ...RunStatusSchema.options.map((s) => [s, summary.runsByStatus[s], summary.teachersByStatus[s], summary.generalsByStatus[s]])])
      : csv([['status', 'runs', 'teachers'], ...RunStatusSchema.options.map((s) => [s, summary.runsByStatus[s], summary.teachersByStatus[s]])]),
    cells: csv([[...axes, 'metric', 'runs', 'finished', 'n', 'mean', 'sd', 'left_out', 'last_n', 'last_mean', 'last_sd', 'last_left_out', 'missing_seeds', 'teacher_run', 'teacher', 'kept_of_teacher_percent', 'teacher_last', 'teacher_lead_pt', 'notes'],
      ...report.cells.map((r) => [...at(r.cell), r.primary, r.runs, r.finished, ...sum(r.value), ...sum(r.last), r.missingSeeds.join(' '), r.teacherRunId, r.teacherValue, r.keptOfTeacher, r.teacherLast, r.teacherLead, r.notes.join('; ')])]),
    seeds: csv([[...axes, 'metric', 'seed', 'run', 'status', 'value', 'last'],
      ...report.cells.flatMap((r) => r.seeds.map((s) => [...at(r.cell), r.primary, s.seed, s.runId, s.status, s.value, s.last]))]),
    teachers: csv([['run', ...axes, 'status', 'metric', 'value', 'last'], ...report.teachers.map((t) => [t.runId, ...at(t.cell), t.status, t.primary, t.value, t.last])]),
    ...(report.generals.length ? { generals: generalsCsv(report) } : {}),
    comparisons: csv([['comparison', 'axis', 'a', 'b', ...axes, 'metric', 'n', 'a_mean', 'a_sd', 'b_mean', 'b_sd', 'difference_mean_pt', 'difference_sd_pt', 'last_difference_n', 'last_difference_mean_pt', 'last_difference_sd_pt', 'a_ahead', 'b_ahead', 'ties', 'sign_test_p', 'dropped_seeds'],
      ...report.comparisons.flatMap((c) => c.groups.map((g) => [c.name, c.axis, c.a, c.b, ...at(g.cell), g.primary, g.difference.n, g.a.mean, g.a.sd, g.b.mean, g.b.sd,
        g.difference.mean, g.difference.sd, g.lastDifference.n, g.lastDifference.mean, g.lastDifference.sd, g.signTest.aAhead, g.signTest.bAhead, g.signTest.ties, g.signTest.p, g.seeds.filter((s) => s.dropped).map((s) => s.seed).join(' ')]))]),
    pooled: csv([['comparison', 'axis', 'a', 'b', 'groups', 'n', 'difference_mean_pt', 'difference_sd_pt', 'a_ahead', 'b_ahead', 'ties', 'sign_test_p'],
      ...report.comparisons.map((c) => [c.name, c.axis, c.a, c.b, c.pooled.groups, c.pooled.difference.n, c.pooled.difference.mean, c.pooled.difference.sd, c.pooled.signTest.aAhead, c.pooled.signTest.bAhead, c.pooled.signTest.ties, c.pooled.signTest.p])]),
    pairs: csv([['comparison', ...axes, 'metric', 'seed', 'a', 'b', 'difference_pt', 'dropped', 'last_difference_pt'],
      ...report.comparisons.flatMap((c) => c.groups.flatMap((g) => g.seeds.map((s) => [c.name, ...at(g.cell), g.primary, s.seed, s.a, s.b, s.difference, s.dropped, s.lastDifference])))]),
    runs: runsCsv(report),
    ...(report.front ? frontCsv(report.front) : {}),
  };
}

/** Every run and teacher, one row each; the metrics of all runs as columns (empty where a run has none). */
function runsCsv(report: SweepReport): string {
  const axes = report.axes.map((a) => a.name);
  const rows = report.runs.flatMap((t) => t.rows);
  const metrics = [...new Set(report.runs.flatMap((t) => t.metrics))];
  return csv([['role', 'run', ...axes, 'seed', 'kind', 'preset', 'status', 'metric', ...metrics, 'last', 'kept_of_teacher_percent', 'parameters', 'word_embedding_parameters',
    'eval_examples_per_second', 'speed_up', 'best_step', 'best_in_stage_1', 'total_steps', 'train_seconds', 'teacher_run', 'source'],
    ...rows.map((r) => { const d = r.details; return [r.role, r.runId, ...axes.map((a) => r.cell[a] ?? null), r.seed, r.kind, r.preset, r.status, r.primary, ...metrics.map((m) => r.metrics[m] ?? null), r.last, r.keptOfTeacher,
      d?.parameters?.total ?? null, d?.parameters?.word ?? null, d?.evalExamplesPerSecond ?? null, r.speedUp, d?.bestStep ?? null, d?.bestInStage1 === undefined ? null : String(d.bestInStage1), d?.totalSteps ?? null, d?.trainSeconds ?? null, r.teacherRunId, d?.source ?? null]; })]);
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
