// The report's front (trainer/sweep/report/frontTypes.ts: per task, score against serving cost, the
// Pareto front and the recommendation) as the sweep panel's FrontView: the same numbers, NaN as null.
// No vscode here.
import type { FrontCell, FrontReport, FrontSeed, FrontTeacher, TaskFront } from '../../trainer/sweep/report/frontTypes';
import type { Summary } from '../../trainer/sweep/report/statistics';
import type { FrontCellView, FrontSeedView, FrontTeacherView, FrontView, Num, SummaryView, TaskFrontView } from '../../webview/sweep/protocol';

const num = (v: number): Num => (Number.isFinite(v) ? v : null);
const summary = (s: Summary): SummaryView => ({ n: s.n, mean: num(s.mean), sd: num(s.sd) });

const seedView = (s: FrontSeed): FrontSeedView => ({
  seed: s.seed,
  runId: s.runId,
  status: s.status,
  score: num(s.score),
  latencyMs: num(s.latencyMs),
  p95Ms: num(s.p95Ms),
  speedUp: num(s.speedUp),
  quiet: s.quiet,
});

const cellView = (c: FrontCell): FrontCellView => ({
  cell: c.cell,
  label: c.label,
  seeds: c.seeds.map(seedView),
  score: summary(c.score),
  latencyMs: summary(c.latencyMs),
  p95Ms: summary(c.p95Ms),
  examplesPerSecond: summary(c.examplesPerSecond),
  speedUp: summary(c.speedUp),
  parameters: num(c.parameters),
  sizeF32Bytes: num(c.sizeF32Bytes),
  sizeF16Bytes: num(c.sizeF16Bytes),
  onFront: c.onFront,
  recommended: c.recommended,
  notes: c.notes,
});

const teacherView = (t: FrontTeacher): FrontTeacherView => ({
  runId: t.runId,
  score: num(t.score),
  latencyMs: num(t.latencyMs),
  p95Ms: num(t.p95Ms),
  parameters: num(t.parameters),
});

export function taskFrontView(t: TaskFront): TaskFrontView {
  const cells = t.cells.map(cellView);
  return {
    task: t.task,
    primary: t.primary,
    cellAxes: t.cellAxes,
    shapeAxis: t.shapeAxis,
    cells,
    teacher: t.teacher ? teacherView(t.teacher) : null,
    front: t.front,
    recommended: t.recommended,
    reason: t.reason,
    fallback: t.fallback,
    quiet: t.quiet,
    oneSession: t.oneSession,
    measured: cells.some((c) => c.latencyMs.mean !== null || c.seeds.some((s) => s.latencyMs !== null)),
    notes: t.notes,
  };
}

export function frontViewOf(front: FrontReport): FrontView {
  return { rule: front.rule.text, tasks: front.tasks.map(taskFrontView) };
}
