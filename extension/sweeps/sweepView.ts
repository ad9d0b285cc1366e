// What the sweep panel shows of a sweep: its runs' states (sweepState.ts) and the report's tables, made
// by the trainer's own aggregateSweep and frontOf from the run folders (the numbers of `lrc-distill sweep
// report`), with every NaN turned into null for the message. No vscode here.
import { aggregateSweep } from '../../trainer/sweep/report/aggregate';
import { frontOf } from '../../trainer/sweep/report/front';
import { parseRule } from '../../trainer/sweep/report/frontRule';
import type { Summary } from '../../trainer/sweep/report/statistics';
import type { SweepReport } from '../../trainer/sweep/report/types';
import { reportInputOf } from '../../trainer/sweep/reportInput';
import type { CellView, ComparisonView, MemberDetailsView, Num, SummaryView, SweepMemberView, SweepView } from '../../webview/sweep/protocol';
import { frontViewOf } from './frontView';
import type { SweepState } from './sweepState';

const num = (v: number): Num => (Number.isFinite(v) ? v : null);
const summary = (s: Summary): SummaryView => ({ n: s.n, mean: num(s.mean), sd: num(s.sd) });

/** "task A, method LRC" */
export const cellText = (cell: Record<string, string>) => Object.entries(cell).map(([axis, level]) => `${axis} ${level}`).join(', ');

/** The report as `lrc-distill sweep report` makes it, with the front for the default rule. */
export function reportOf(state: SweepState): SweepReport {
  const input = reportInputOf(state.record);
  return { ...aggregateSweep(input), front: frontOf(input, parseRule()) };
}

export function sweepViewOf(state: SweepState, report: SweepReport = reportOf(state)): SweepView {
  const { record } = state;
  const rows = new Map(report.runs.flatMap((t) => t.rows).map((r) => [r.runId, r]));
  const detailsOf = (runId: string): MemberDetailsView | undefined => {
    const r = rows.get(runId);
    if (!r) return undefined;
    const d = r.details;
    return {
      value: r.primary !== null ? num(r.metrics[r.primary] ?? NaN) : null,
      keptOfTeacher: num(r.keptOfTeacher),
      ...(d?.bestStep !== undefined ? { bestStep: d.bestStep } : {}),
      ...(d?.bestInStage1 !== undefined ? { bestInStage1: d.bestInStage1 } : {}),
      ...(d?.trainSeconds !== undefined ? { trainSeconds: d.trainSeconds } : {}),
      ...(d?.parameters ? { parameters: d.parameters.total } : {}),
    };
  };
  const members: SweepMemberView[] = state.members.map((m) => ({
    runId: m.runId,
    name: m.name,
    role: m.role,
    cellText: cellText(m.cell),
    ...(m.seed !== undefined ? { seed: m.seed } : {}),
    kind: m.kind,
    state: m.state,
    detail: m.detail,
    ...(m.run ? { status: m.run.status, step: m.run.progress.step, totalSteps: m.run.progress.totalSteps } : {}),
    ...(rows.has(m.runId) ? { details: detailsOf(m.runId) } : {}),
  }));
  const cells: CellView[] = report.cells.map((c) => ({
    cell: c.cell,
    primary: c.primary,
    runs: c.runs,
    finished: c.finished,
    seeds: c.seeds.map((s) => ({ seed: s.seed, runId: s.runId, status: s.status, value: num(s.value), last: num(s.last) })),
    missingSeeds: c.missingSeeds,
    value: summary(c.value),
    last: summary(c.last),
    teacherRunId: c.teacherRunId,
    teacherValue: num(c.teacherValue),
    keptOfTeacher: num(c.keptOfTeacher),
    teacherLead: num(c.teacherLead),
    notes: c.notes,
  }));
  const comparisons: ComparisonView[] = report.comparisons.map((c) => ({
    name: c.name,
    axis: c.axis,
    a: c.a,
    b: c.b,
    otherAxes: c.otherAxes,
    groups: c.groups.map((g) => ({
      cell: g.cell,
      primary: g.primary,
      seeds: g.seeds.map((s) => ({ seed: s.seed, a: num(s.a), b: num(s.b), difference: num(s.difference), lastDifference: num(s.lastDifference), dropped: s.dropped })),
      a: summary(g.a),
      b: summary(g.b),
      difference: summary(g.difference),
      lastDifference: summary(g.lastDifference),
      aAhead: g.signTest.aAhead,
      bAhead: g.signTest.bAhead,
      ties: g.signTest.ties,
      p: num(g.signTest.p),
    })),
  }));
  const scheduler = state.scheduler
    ? state.scheduler.error
      ? `Slurm could not be asked: ${state.scheduler.error}`
      : `Slurm asked at ${new Date(state.scheduler.at).toLocaleTimeString()}`
    : record.executor === 'slurm'
      ? 'asking Slurm…'
      : undefined;
  return {
    id: record.id,
    name: record.name,
    executor: record.executor,
    file: record.file,
    dir: state.dir,
    createdAt: record.createdAt,
    ...(record.cancelledAt ? { cancelledAt: record.cancelledAt } : {}),
    ...(record.workers !== undefined ? { workers: record.workers } : {}),
    live: state.live,
    done: state.done,
    counts: state.counts,
    ...(scheduler ? { scheduler } : {}),
    members,
    axes: report.axes,
    cells,
    comparisons,
    notes: report.notes,
    ...(report.front ? { front: frontViewOf(report.front) } : {}),
  };
}
