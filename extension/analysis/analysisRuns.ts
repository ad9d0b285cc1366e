// The runs the analysis views work on: an LRC run and its MSE baseline (run.json's pairedRunId), found
// in the runs folder. No vscode here, so that the lookup is tested in plain Node.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listRunRefs, runRef, type RunRef } from '../runs/runRef';

export type StudentRole = 'lrc' | 'mse';

/** The paired run (the baseline of an LRC run, the LRC run of a baseline), when it exists next to it. */
export function pairOf(run: RunRef): RunRef | undefined {
  const id = run.record.pairedRunId;
  if (!id) return undefined;
  const dir = join(dirname(run.dir), id);
  if (!existsSync(join(dir, 'run.json'))) return undefined;
  try {
    return runRef(dir);
  } catch {
    return undefined;
  }
}

/** The LRC and MSE runs of a run and its pair, by role (a general run's student is an LRC student: COS-NCE). */
export function runsByRole(run: RunRef): Partial<Record<StudentRole, RunRef>> {
  const out: Partial<Record<StudentRole, RunRef>> = {};
  for (const r of [run, pairOf(run)]) {
    const role = r?.kind === 'general' ? 'lrc' : r?.kind;
    if (r && (role === 'lrc' || role === 'mse') && !out[role]) out[role] = r;
  }
  return out;
}

export interface AnalysisRunOptions {
  finishedOnly?: boolean;
  withPair?: boolean;
}

/** An LRC, MSE or general run; finished (or stopped), with its pair, when asked. */
export function isAnalysisRun(run: RunRef, options: AnalysisRunOptions = {}): boolean {
  if (run.kind !== 'lrc' && run.kind !== 'mse' && run.kind !== 'general') return false;
  if (options.finishedOnly && run.status !== 'finished' && run.status !== 'stopped') return false;
  return !options.withPair || pairOf(run) !== undefined;
}

/** The LRC and MSE runs of the runs folder, newest first. */
export function analysisRuns(runsDir: string): RunRef[] {
  return listRunRefs(runsDir).filter((r) => isAnalysisRun(r));
}

