// The front of a sweep report (issue 23): per task, the cells made of every other axis but the seed
// (shape x method x ...), each with the mean ± sd over its seeds of the exported model's score and of
// its serving latency at batch 1 (serving.json); which cells are on the Pareto front of mean score
// against mean latency (./pareto.ts); and the cell the rule recommends (./frontRule.ts). Pure: the runs'
// scores and serving costs come in with the report's input.
import type { FrontCell, FrontReport, FrontRule, FrontSeed, FrontTeacher, ServingCost, TaskFront } from './frontTypes';
import { paretoFront } from './pareto';
import { recommend } from './frontRule';
import { isValue, summarize, type Summary } from './statistics';
import type { SweepReportInput, SweepRunResult, SweepTeacherResult } from './types';

export const TASK_AXIS = 'task';
const SEED_AXIS = 'seed';

/** The axis of student shapes: one named `shape`, else one that sets a `student` field (e.g. student.layers). */
export function shapeAxisOf(axes: readonly string[]): string | null {
  return axes.find((a) => a === 'shape') ?? axes.find((a) => a === 'student' || a.startsWith('student.')) ?? null;
}

const scoreOf = (r: { status: string; primary?: string; metrics?: Record<string, number | null> }, primary: string | null) => {
  const v = r.status === 'finished' && primary ? r.metrics?.[primary] : undefined;
  return isValue(v) ? v : NaN;
};
const servingOf = (r: { status: string; serving?: ServingCost }) => (r.status === 'finished' ? r.serving : undefined);

function teacherOf(t: SweepTeacherResult, primary: string | null): FrontTeacher {
  const c = servingOf(t);
  return {
    runId: t.runId, status: t.status, score: scoreOf(t, primary),
    latencyMs: c?.latency.medianMs ?? NaN, p95Ms: c?.latency.p95Ms ?? NaN, examplesPerSecond: c?.throughput.examplesPerSecond ?? NaN,
    parameters: c?.parameters.total ?? NaN, sizeF32Bytes: c?.size.f32Bytes ?? NaN, sizeF16Bytes: c?.size.f16Bytes ?? NaN,
    quiet: c ? c.quiet : null, session: c?.session ?? null,
  };
}

/** One run per seed: a finished one where there is one, else the last given. */
function bySeed(runs: SweepRunResult[]): SweepRunResult[] {
  const out = new Map<number, SweepRunResult>();
  for (const r of runs) if (!out.has(r.seed) || out.get(r.seed)!.status !== 'finished') out.set(r.seed, r);
  return [...out.values()].sort((a, b) => a.seed - b.seed);
}

function cellOf(cell: Record<string, string>, runs: SweepRunResult[], primary: string | null, teacher: FrontTeacher | null, shapeAxis: string | null, sweepId: string): FrontCell {
  const seeds: FrontSeed[] = bySeed(runs).map((r) => {
    const c = servingOf(r);
    const latencyMs = c?.latency.medianMs ?? NaN;
    return {
      seed: r.seed, runId: r.runId, status: r.status, score: scoreOf(r, primary),
      latencyMs, p95Ms: c?.latency.p95Ms ?? NaN, examplesPerSecond: c?.throughput.examplesPerSecond ?? NaN,
      speedUp: teacher && latencyMs > 0 ? teacher.latencyMs / latencyMs : NaN,
      quiet: c ? c.quiet : null, session: c?.session ?? null,
    };
  });
  const first = bySeed(runs).map(servingOf).find((c) => c !== undefined);
  const score = summarize(seeds.filter((s) => s.status === 'finished').map((s) => s.score));
  const latencyMs = summarize(seeds.filter((s) => Number.isFinite(s.latencyMs)).map((s) => s.latencyMs));
  const notes: string[] = [];
  if (!score.n) notes.push('no finished seed with a score: left out of the front');
  else if (!latencyMs.n) notes.push(`no serving cost measured (lrc-distill sweep measure ${sweepId}): left out of the front`);
  else {
    const unmeasured = seeds.filter((s) => s.status === 'finished' && !Number.isFinite(s.latencyMs)).map((s) => s.seed);
    if (unmeasured.length) notes.push(`seed ${unmeasured.join(', ')} finished without a serving cost: the latency is over ${latencyMs.n} seed(s)`);
  }
  return {
    cell, label: Object.values(cell).join(' · ') || 'all', shape: shapeAxis ? cell[shapeAxis] ?? null : null, seeds, score, latencyMs,
    p95Ms: summarize(seeds.map((s) => s.p95Ms).filter(Number.isFinite)),
    examplesPerSecond: summarize(seeds.map((s) => s.examplesPerSecond).filter(Number.isFinite)),
    speedUp: speedUpOf(teacher, latencyMs),
    parameters: first?.parameters.total ?? NaN, sizeF32Bytes: first?.size.f32Bytes ?? NaN, sizeF16Bytes: first?.size.f16Bytes ?? NaN,
    onFront: false, recommended: false, notes,
  };
}

/** The speed-up of a cell's mean latency over the teacher's (not the mean of per-seed ratios, which can
 *  order two cells otherwise than their latencies do); its sd by the delta method. */
function speedUpOf(teacher: FrontTeacher | null, latency: Summary): Summary {
  if (!teacher || !(teacher.latencyMs > 0) || !latency.n || !(latency.mean > 0)) return { n: 0, mean: NaN, sd: NaN, leftOut: latency.leftOut };
  return { n: latency.n, mean: teacher.latencyMs / latency.mean, sd: (teacher.latencyMs * latency.sd) / latency.mean ** 2, leftOut: latency.leftOut };
}

/** Every combination of the levels of `axes`, the first varying slowest. */
function combinations(axes: SweepReportInput['axes']): Record<string, string>[] {
  return axes.reduce<Record<string, string>[]>((acc, a) => acc.flatMap((c) => a.levels.map((l) => ({ ...c, [a.name]: l }))), [{}]);
}

function taskFront(input: SweepReportInput, task: string | null, rule: FrontRule): TaskFront {
  const cellAxes = input.axes.filter((a) => a.name !== TASK_AXIS && a.name !== SEED_AXIS);
  const shapeAxis = shapeAxisOf(cellAxes.map((a) => a.name));
  const runs = input.runs.filter((r) => task === null || r.cell[TASK_AXIS] === task);
  const primary = runs.find((r) => r.primary)?.primary ?? null;
  const teacherIds = new Set(runs.map((r) => r.teacherRunId).filter((id) => id !== undefined));
  const t = input.teachers.find((x) => teacherIds.has(x.runId)) ?? input.teachers.find((x) => task === null || x.cell[TASK_AXIS] === task);
  const teacher = t ? teacherOf(t, primary ?? t.primary ?? null) : null;
  const cells: FrontCell[] = [];
  for (const cell of combinations(cellAxes)) {
    const mine = runs.filter((r) => cellAxes.every((a) => r.cell[a.name] === cell[a.name]));
    if (mine.length) cells.push(cellOf(cell, mine, primary, teacher, shapeAxis, input.sweep.id));
  }
  const front = paretoFront(cells.map((c) => ({ score: c.score.mean, latency: c.latencyMs.mean })));
  for (const i of front) cells[i].onFront = true;
  const rec = recommend(rule, cells.map((c) => ({ score: c.score.mean, latency: c.latencyMs.mean, label: c.label })), teacher?.score ?? NaN);
  if (rec.index !== null) cells[rec.index].recommended = true;

  const notes: string[] = [];
  const costs = [...runs.filter((r) => r.status === 'finished').map(servingOf), t ? servingOf(t) : undefined].filter((c): c is ServingCost => c !== undefined);
  const loud = costs.filter((c) => !c.quiet);
  if (loud.length) notes.push(`${loud.length} of ${costs.length} serving costs were measured beside other work (${loud[0].beside}): lrc-distill sweep measure ${input.sweep.id} measures every export again, one after another`);
  const sessions = new Set(costs.map((c) => c.session));
  if (sessions.size > 1) notes.push(`the serving costs come from ${sessions.size} processes (each run measured its own export at its end): the speed-ups are ratios across processes; sweep measure makes them in one`);
  const backends = new Set(costs.map((c) => `${c.backend.name}${c.backend.threads ? ` x${c.backend.threads}` : ''}`));
  if (backends.size > 1) notes.push(`the serving costs were measured on different backends or thread counts (${[...backends].join(', ')})`);
  if (!teacher) notes.push('no teacher: no reference line and no speed-ups');
  else if (!Number.isFinite(teacher.latencyMs) && teacher.status === 'finished') notes.push(`the teacher ${teacher.runId} has no serving cost: no speed-ups (lrc-distill sweep measure ${input.sweep.id})`);
  for (const r of [...(t ? [t] : []), ...runs]) if (r.servingError) notes.push(`run ${r.runId} counts as unmeasured: ${r.servingError}`);
  return {
    task: task ?? '', primary, cellAxes: cellAxes.map((a) => a.name), shapeAxis, cells, teacher, front, rule,
    recommended: rec.index, reason: rec.reason, fallback: rec.fallback,
    quiet: costs.length > 0 && loud.length === 0, oneSession: sessions.size === 1, notes,
  };
}

/** The front of every task of the sweep, in the order of the task axis' levels (one for all without a task axis). */
export function frontOf(input: SweepReportInput, rule: FrontRule): FrontReport {
  const taskAxis = input.axes.find((a) => a.name === TASK_AXIS);
  const tasks = taskAxis ? taskAxis.levels.filter((l) => input.runs.some((r) => r.cell[TASK_AXIS] === l)).map((l) => taskFront(input, l, rule)) : [taskFront(input, null, rule)];
  return { sweep: input.sweep, rule, tasks };
}
