// The general runs table of a sweep's report: one row per general run, with what it is, how far it got,
// the evaluation of its exported student on the corpus's held-out passages (values only once it finished,
// as for every other run of the report) and the cells whose students start from it.
import { isValue } from './statistics';
import type { GeneralRow, SweepGeneralResult } from './generalTypes';
import type { SweepReportInput, SweepRunResult } from './types';

const orNaN = (v: number | undefined) => v ?? NaN;

/** A metric of a finished run; NaN when it did not finish or the metric has no finite value. */
function finishedValue(g: SweepGeneralResult, metrics: Record<string, number | null> | undefined): number {
  const v = g.primary === undefined ? undefined : metrics?.[g.primary];
  return g.status === 'finished' && isValue(v) ? v : NaN;
}

/** The position of a cell on the sweep's axes, for ordering; an unknown level sorts last. */
function levelIndices(cell: Record<string, string>, axes: SweepReportInput['axes']): number[] {
  return axes.map((a) => { const i = a.levels.indexOf(cell[a.name]); return i < 0 ? a.levels.length : i; });
}

/** The distinct cells of the runs starting from a general run, in axis/level order. */
function startedCells(runs: SweepRunResult[], axes: SweepReportInput['axes']): Record<string, string>[] {
  const cells = new Map(runs.map((r) => [JSON.stringify(axes.map((a) => r.cell[a.name])), r.cell]));
  const byOrder = (x: Record<string, string>, y: Record<string, string>) => {
    const [i, j] = [levelIndices(x, axes), levelIndices(y, axes)];
    return i.reduce((order, v, k) => order || v - j[k], 0);
  };
  return [...cells.values()].sort(byOrder);
}

export function generalRow(g: SweepGeneralResult, input: SweepReportInput): GeneralRow {
  const started = input.runs.filter((r) => r.generalRunId === g.runId);
  const finished = g.status === 'finished';
  return {
    runId: g.runId, cell: g.cell, status: g.status,
    student: g.student ?? null, teacher: g.teacher ?? null, corpus: g.corpus?.paths ?? [], corpusText: g.corpus?.text ?? null,
    step: orNaN(g.details?.step), totalSteps: orNaN(g.details?.totalSteps),
    primary: g.primary ?? null,
    value: finishedValue(g, g.metrics),
    bestStep: finished ? orNaN(g.details?.bestStep) : NaN,
    metrics: finished && g.metrics ? Object.fromEntries(Object.entries(g.metrics).map(([k, v]) => [k, isValue(v) ? v : NaN])) : {},
    last: finishedValue(g, g.last),
    trainSeconds: orNaN(g.details?.trainSeconds),
    startedCells: startedCells(started, input.axes),
    startedRuns: started.length,
  };
}

/** The general runs table, in input order. */
export const generalRows = (input: SweepReportInput): GeneralRow[] => (input.generals ?? []).map((g) => generalRow(g, input));
