// What the report of a sweep is made of, read from its run folders: each run's status, the dev metrics
// of its exported model (the evaluation that made it the best, or the last one when no evaluation could
// be: the export is then the final weights) and of its last evaluation.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readMetrics } from '../runs/metricsLog';
import { runPaths } from '../runs/runFolder';
import { readRun } from '../runs/runStore';
import type { RunRecord } from '../runs/runRecord';
import type { SweepReportInput, SweepRunResult } from './report/types';
import type { SweepRecord } from './sweepRecord';

interface Scores {
  status: RunRecord['status'];
  kind: RunRecord['kind'];
  primary?: string;
  metrics?: Record<string, number | null>;
  last?: Record<string, number | null>;
}

type EvalRecord = { step: number; metrics: Record<string, number | null>; primary: string; best?: boolean };

/** A run folder's status and scores; a folder not yet created counts as queued. */
export function scoresOfRun(runsDir: string, runId: string, kind: RunRecord['kind']): Scores {
  const dir = join(runsDir, runId);
  if (!existsSync(runPaths(dir).record)) return { status: 'queued', kind };
  const run = readRun(dir);
  const evals = readMetrics(runPaths(dir).metrics).filter((m) => m.type === 'eval') as unknown as EvalRecord[];
  const last = evals[evals.length - 1];
  const best = run.best ? evals.filter((e) => e.best && e.step === run.best!.step).pop() : undefined;
  const exported = run.status === 'finished' ? (best ?? last) : undefined;
  return { status: run.status, kind: run.kind, primary: last?.primary, metrics: exported?.metrics, last: last?.metrics };
}

export function reportInputOf(sweep: SweepRecord): SweepReportInput {
  const runs: SweepRunResult[] = sweep.runs.map((r) => ({
    runId: r.runId,
    cell: r.cell,
    seed: r.seed,
    teacherRunId: r.teacherRunId,
    ...scoresOfRun(sweep.runsDir, r.runId, r.config.kind as RunRecord['kind']),
  }));
  const teachers = sweep.teachers.map((t) => {
    const s = scoresOfRun(sweep.runsDir, t.runId, 'teacher');
    return { runId: t.runId, cell: t.cell, status: s.status, primary: s.primary, metrics: s.metrics };
  });
  return { sweep: { id: sweep.id, name: sweep.name }, axes: sweep.axes.map((a) => ({ name: a.name, levels: a.levels })), seeds: sweep.seeds, runs, teachers, comparisons: sweep.comparisons };
}
