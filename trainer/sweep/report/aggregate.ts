// The tables of a sweep's report from what its runs and teachers scored: one row per cell (the seeds of
// one combination of axis levels), one per teacher, the paired comparisons seed by seed, and the counts
// of runs by status. Only finished runs with a finite primary metric count in means and comparisons.
import { RunStatusSchema } from '../../runs/runRecord';
import { generalRows } from './generals';
import { isValue, signTest, summarize } from './statistics';
import type { CellRow, ComparisonGroup, ComparisonTable, PairedSeed, PooledComparison, RunRow, RunsTable, SeedResult, StatusCounts, SweepComparison, SweepReport, SweepReportInput, SweepRunResult, SweepTeacherResult, TeacherRow } from './types';

type Axes = SweepReportInput['axes'];

/** A teacher's value below this makes a share of it meaningless (a Matthews correlation near 0). */
const MIN_TEACHER_FOR_SHARE = 0.05;

/** The level index of a cell on every axis, or why it is in no cell of the sweep. */
function placement(cell: Record<string, string>, axes: Axes): number[] | string {
  const at: number[] = [];
  for (const axis of axes) {
    const label = cell[axis.name];
    if (label === undefined) return `it has no level of axis ${axis.name}`;
    const i = axis.levels.indexOf(label);
    if (i < 0) return `${JSON.stringify(label)} is not a level of axis ${axis.name} (${axis.levels.join(', ')})`;
    at.push(i);
  }
  return at;
}

const byIndices = (x: number[], y: number[]) => x.reduce((order, v, i) => order || v - y[i], 0);

function countStatuses(items: readonly { status: SweepRunResult['status'] }[]): StatusCounts {
  const counts = Object.fromEntries(RunStatusSchema.options.map((s) => [s, 0])) as StatusCounts;
  for (const x of items) counts[x.status]++;
  return counts;
}

/** A metric of a finished run; NaN when the run did not finish or the metric has no finite value. */
function valueOf(status: SweepRunResult['status'], metrics: Record<string, number | null> | undefined, primary: string | null): number {
  const v = primary === null ? undefined : metrics?.[primary];
  return status === 'finished' && isValue(v) ? v : NaN;
}

/** One result per seed: of several runs of a seed, the first finished one (else the last one). */
function seedResults(runs: SweepRunResult[], primary: string | null, notes: string[]): SeedResult[] {
  const bySeed = new Map<number, SweepRunResult[]>();
  for (const r of runs) bySeed.set(r.seed, [...(bySeed.get(r.seed) ?? []), r]);
  return [...bySeed.keys()].sort((x, y) => x - y).map((seed) => {
    const all = bySeed.get(seed)!;
    const run = all.find((r) => r.status === 'finished') ?? all[all.length - 1];
    if (all.length > 1) notes.push(`seed ${seed}: ${all.length} runs (${all.map((r) => r.runId).join(', ')}), the report uses ${run.runId}`);
    const value = valueOf(run.status, run.metrics, primary);
    if (run.status === 'finished' && Number.isNaN(value)) notes.push(`seed ${seed}: ${primary ?? 'no primary metric named'} has no value, left out of the mean`);
    return { seed, runId: run.runId, status: run.status, value, last: valueOf(run.status, run.last, primary) };
  });
}

/** The teacher the runs name when they all name the same one, else the one whose cell matches theirs. */
function teacherOf(runs: SweepRunResult[], teachers: SweepTeacherResult[], notes: string[]): SweepTeacherResult | undefined {
  if (runs.every((r) => r.kind === 'teacher')) return undefined;
  const ids = [...new Set(runs.flatMap((r) => (r.teacherRunId === undefined ? [] : [r.teacherRunId])))];
  if (ids.length === 1) {
    const named = teachers.find((t) => t.runId === ids[0]);
    if (named) return named;
    notes.push(`the runs' teacher ${ids[0]} is not among the sweep's teachers`);
  } else if (ids.length > 1) notes.push(`the runs name different teachers (${ids.join(', ')})`);
  const cell = runs[0].cell;
  const matches = teachers.filter((t) => Object.entries(t.cell).every(([axis, level]) => cell[axis] === level));
  const most = Math.max(...matches.map((t) => Object.keys(t.cell).length));
  const best = matches.filter((t) => Object.keys(t.cell).length === most);
  if (best.length > 1) notes.push(`no teacher: ${best.map((t) => t.runId).join(', ')} all match the cell`);
  return best.length === 1 ? best[0] : undefined;
}

function cellRow(cell: Record<string, string>, runs: SweepRunResult[], input: SweepReportInput): CellRow {
  const notes: string[] = [];
  const primary = runs.find((r) => r.primary !== undefined)?.primary ?? null;
  const seeds = seedResults(runs, primary, notes);
  const done = seeds.filter((s) => s.status === 'finished');
  const value = summarize(done.map((s) => s.value));
  const teacher = teacherOf(runs, input.teachers, notes);
  const teacherValue = teacher ? valueOf(teacher.status, teacher.metrics, primary ?? teacher.primary ?? null) : NaN;
  const teacherLast = teacher ? valueOf(teacher.status, teacher.last, primary ?? teacher.primary ?? null) : NaN;
  return {
    cell, primary,
    runs: runs.length,
    finished: runs.filter((r) => r.status === 'finished').length,
    seeds,
    missingSeeds: (input.seeds ?? []).filter((seed) => !seeds.some((s) => s.seed === seed)),
    value,
    last: summarize(done.map((s) => s.last)),
    teacherRunId: teacher?.runId ?? null,
    teacherValue,
    keptOfTeacher: teacherValue > MIN_TEACHER_FOR_SHARE && isValue(value.mean) ? (100 * value.mean) / teacherValue : NaN,
    teacherLast,
    teacherLead: isValue(teacherValue) && isValue(value.mean) ? 100 * (teacherValue - value.mean) : NaN,
    notes,
  };
}

/** Why a seed of one side does not count in a comparison; null when it does. */
function whyDropped(level: string, s: SeedResult | undefined, primary: string | null): string | null {
  if (!s) return `no ${level} run`;
  if (s.status !== 'finished') return `${level} run ${s.status}`;
  return isValue(s.value) ? null : `${level}: ${primary ?? 'the primary metric'} has no value`;
}

function pairedGroup(c: SweepComparison, cell: Record<string, string>, a: CellRow, b: CellRow, planned: number[]): ComparisonGroup {
  const primary = a.primary ?? b.primary ?? null;
  const seedNumbers = [...new Set([...planned, ...a.seeds.map((s) => s.seed), ...b.seeds.map((s) => s.seed)])].sort((x, y) => x - y);
  const seeds = seedNumbers.map((seed): PairedSeed => {
    const x = a.seeds.find((s) => s.seed === seed);
    const y = b.seeds.find((s) => s.seed === seed);
    const reasons = [whyDropped(c.a, x, primary), whyDropped(c.b, y, primary)].filter((r) => r !== null);
    const [av, bv] = [x?.value ?? NaN, y?.value ?? NaN];
    const lastDifference = reasons.length ? NaN : 100 * ((x?.last ?? NaN) - (y?.last ?? NaN));
    return { seed, a: av, b: bv, difference: reasons.length ? NaN : 100 * (av - bv), lastDifference, dropped: reasons.length ? reasons.join('; ') : null };
  });
  const counted = seeds.filter((s) => s.dropped === null);
  const differences = counted.map((s) => s.difference);
  return {
    cell, primary, seeds, a: summarize(counted.map((s) => s.a)), b: summarize(counted.map((s) => s.b)),
    difference: summarize(differences), lastDifference: summarize(counted.map((s) => s.lastDifference)), signTest: signTest(differences),
  };
}

/** A comparison within every combination of the other axes that has runs of both level a and level b: a
 *  combination without a cell of one of them is one the sweep left out (`exclude`), not a pair to report. */
function comparisonTable(c: SweepComparison, cells: CellRow[], input: SweepReportInput): ComparisonTable {
  const axis = input.axes.find((x) => x.name === c.axis);
  if (!axis) throw new Error(`comparison ${c.name}: ${c.axis} is not an axis of the sweep (${input.axes.map((x) => x.name).join(', ')})`);
  for (const level of [c.a, c.b]) if (!axis.levels.includes(level)) throw new Error(`comparison ${c.name}: ${JSON.stringify(level)} is not a level of axis ${c.axis} (${axis.levels.join(', ')})`);
  if (c.a === c.b) throw new Error(`comparison ${c.name}: compares level ${c.a} with itself`);
  const others = input.axes.filter((x) => x !== axis);
  const groups = new Map<string, { at: number[]; cell: Record<string, string>; a?: CellRow; b?: CellRow }>();
  for (const row of cells) {
    const side = row.cell[c.axis] === c.a ? 'a' : row.cell[c.axis] === c.b ? 'b' : undefined;
    if (!side) continue;
    const key = JSON.stringify(others.map((x) => row.cell[x.name]));
    const group = groups.get(key) ?? { at: others.map((x) => x.levels.indexOf(row.cell[x.name])), cell: Object.fromEntries(others.map((x) => [x.name, row.cell[x.name]])) };
    group[side] = row;
    groups.set(key, group);
  }
  const ordered = [...groups.values()].filter((g) => g.a && g.b).sort((x, y) => byIndices(x.at, y.at));
  const paired = ordered.map((g) => pairedGroup(c, g.cell, g.a!, g.b!, input.seeds ?? []));
  return { ...c, otherAxes: others.map((x) => x.name), groups: paired, pooled: pooledOf(paired) };
}

/** The pairs of every group together (tasks x seeds): their differences and one sign test. */
function pooledOf(groups: ComparisonGroup[]): PooledComparison {
  const differences = groups.flatMap((g) => g.seeds.filter((s) => s.dropped === null).map((s) => s.difference));
  return { groups: groups.filter((g) => g.difference.n > 0).length, difference: summarize(differences), signTest: signTest(differences) };
}

export function aggregateSweep(input: SweepReportInput): SweepReport {
  const notes: string[] = [];
  const placed = new Map<string, { at: number[]; runs: SweepRunResult[] }>();
  for (const run of input.runs) {
    const at = placement(run.cell, input.axes);
    if (typeof at === 'string') { notes.push(`run ${run.runId} is in no cell: ${at}`); continue; }
    const key = at.join(',');
    placed.set(key, { at, runs: [...(placed.get(key)?.runs ?? []), run] });
  }
  const cellOf = (at: number[]) => Object.fromEntries(input.axes.map((x, i) => [x.name, x.levels[at[i]]]));
  const cells = [...placed.values()].sort((x, y) => byIndices(x.at, y.at)).map((p) => cellRow(cellOf(p.at), p.runs, input));
  const teachers = input.teachers.map((t): TeacherRow => ({
    runId: t.runId, cell: t.cell, status: t.status, primary: t.primary ?? null,
    value: valueOf(t.status, t.metrics, t.primary ?? null), last: valueOf(t.status, t.last, t.primary ?? null),
  }));
  const cellRuns = [...placed.values()].sort((x, y) => byIndices(x.at, y.at)).map((p, i) => ({ row: cells[i], runs: p.runs }));
  const placedIds = new Set(cellRuns.flatMap((c) => c.runs.map((r) => r.runId)));
  return {
    sweep: input.sweep,
    axes: input.axes,
    summary: {
      runs: input.runs.length, runsByStatus: countStatuses(input.runs), teachers: input.teachers.length, teachersByStatus: countStatuses(input.teachers),
      generals: input.generals?.length ?? 0, generalsByStatus: countStatuses(input.generals ?? []),
    },
    cells,
    teachers,
    generals: generalRows(input),
    comparisons: input.comparisons.map((c) => comparisonTable(c, cells, input)),
    runs: runsTables(input, cellRuns, input.runs.filter((r) => !placedIds.has(r.runId))),
    notes,
  };
}

/** Every metric of a finished run's exported model, null as NaN; none unless it finished. */
function metricsOf(status: SweepRunResult['status'], metrics: Record<string, number | null> | undefined): Record<string, number> {
  if (status !== 'finished' || !metrics) return {};
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, isValue(v) ? v : NaN]));
}

const ratio = (x: number | undefined, y: number | undefined) => (x !== undefined && y !== undefined && y > 0 ? x / y : NaN);

function teacherRunRow(t: SweepTeacherResult): RunRow {
  const value = valueOf(t.status, t.metrics, t.primary ?? null);
  const eps = t.details?.evalExamplesPerSecond;
  return {
    runId: t.runId, role: 'teacher', cell: t.cell, seed: null, kind: 'teacher', preset: null, status: t.status, primary: t.primary ?? null,
    metrics: metricsOf(t.status, t.metrics), last: valueOf(t.status, t.last, t.primary ?? null),
    keptOfTeacher: value > MIN_TEACHER_FOR_SHARE ? 100 : NaN, speedUp: ratio(eps, eps), teacherRunId: null, details: t.details ?? null,
  };
}

function runRow(r: SweepRunResult, teacher: SweepTeacherResult | undefined): RunRow {
  const primary = r.primary ?? null;
  const value = valueOf(r.status, r.metrics, primary);
  // A teacher-kind run that learns from no teacher is its own reference, as a sweep's teachers are.
  const self = !teacher && r.kind === 'teacher';
  const reference = self ? value : teacher ? valueOf(teacher.status, teacher.metrics, primary ?? teacher.primary ?? null) : NaN;
  const eps = r.details?.evalExamplesPerSecond;
  return {
    runId: r.runId, role: 'run', cell: r.cell, seed: r.seed, kind: r.kind, preset: r.preset ?? null, status: r.status, primary,
    metrics: metricsOf(r.status, r.metrics), last: valueOf(r.status, r.last, primary),
    keptOfTeacher: reference > MIN_TEACHER_FOR_SHARE && isValue(value) ? (100 * value) / reference : NaN,
    speedUp: ratio(eps, self ? eps : teacher?.details?.evalExamplesPerSecond),
    teacherRunId: teacher?.runId ?? null, details: r.details ?? null,
  };
}

/** The runs table: teachers, then each cell's runs by seed, then the runs in no cell; a row joins the table
 *  of its exported model's metric names (a run that has none yet: those of its cell, else of its teacher). */
function runsTables(input: SweepReportInput, cellRuns: { row: CellRow; runs: SweepRunResult[] }[], unplaced: SweepRunResult[]): RunsTable[] {
  const teacherById = new Map(input.teachers.map((t) => [t.runId, t]));
  const rows: { row: RunRow; fallback: string[][] }[] = input.teachers.map((t) => ({ row: teacherRunRow(t), fallback: [] }));
  for (const { row: cell, runs } of cellRuns) {
    const teacher = cell.teacherRunId === null ? undefined : teacherById.get(cell.teacherRunId);
    const cellRows = [...runs].sort((x, y) => x.seed - y.seed).map((r) => runRow(r, teacher));
    const names = cellRows.map((r) => Object.keys(r.metrics)).filter((n) => n.length);
    const teacherNames = teacher ? [Object.keys(metricsOf(teacher.status, teacher.metrics))] : [];
    for (const row of cellRows) rows.push({ row, fallback: [...names, ...teacherNames] });
  }
  for (const r of unplaced) rows.push({ row: runRow(r, r.teacherRunId === undefined ? undefined : teacherById.get(r.teacherRunId)), fallback: [] });
  const tables = new Map<string, RunsTable>();
  for (const { row, fallback } of rows) {
    const own = Object.keys(row.metrics);
    const metrics = own.length ? own : (fallback.find((n) => n.length) ?? []);
    const key = JSON.stringify(metrics);
    if (!tables.has(key)) tables.set(key, { metrics, rows: [] });
    tables.get(key)!.rows.push(row);
  }
  return [...tables.values()];
}
