// The runs the analysis views work on: an LRC run and its MSE baseline (run.json's pairedRunId), found
// in the runs folder or given by a command argument (an id, a run folder, a run explorer node).
// No vscode here, so that the lookup is tested in plain Node.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { findRunDir, listRuns, readRun } from '../../trainer/runs/runStore';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { listStepFiles } from './analysisReader';

export interface RunRef {
  id: string;
  name: string;
  kind: RunRecord['kind'];
  status: RunRecord['status'];
  dir: string;
  record: RunRecord;
}

export type StudentRole = 'lrc' | 'mse';

export function runRef(dir: string): RunRef {
  const record = readRun(dir);
  return { id: record.id, name: record.name, kind: record.kind, status: record.status, dir, record };
}

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

/** The LRC and MSE runs of a run and its pair, by role. */
export function runsByRole(run: RunRef): Partial<Record<StudentRole, RunRef>> {
  const out: Partial<Record<StudentRole, RunRef>> = {};
  for (const r of [run, pairOf(run)]) {
    if (r && (r.kind === 'lrc' || r.kind === 'mse') && !out[r.kind]) out[r.kind] = r;
  }
  return out;
}

/**
 * The run folder a command argument names: a run id (or unique prefix) in `runsDir`, an absolute run
 * folder, `{ runDir }`, `{ dir }` (a run explorer node), `{ runId }`, `{ id }` or `{ run: { id } }`.
 * Undefined when the argument names no run (the command then asks).
 */
export function runDirOfArg(arg: unknown, runsDir: string | undefined): string | undefined {
  const byId = (id: string): string => {
    if (isAbsolute(id)) {
      if (!existsSync(join(id, 'run.json'))) throw new Error(`${id} is not a run folder (no run.json)`);
      return id;
    }
    if (!runsDir) throw new Error(`run '${id}': open a workspace folder first (the runs folder is in it)`);
    return findRunDir(runsDir, id);
  };
  if (typeof arg === 'string' && arg) return byId(arg);
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.runDir === 'string') return byId(a.runDir);
  if (typeof a.dir === 'string' && existsSync(join(a.dir, 'run.json'))) return a.dir;
  if (typeof a.runId === 'string') return byId(a.runId);
  if (typeof a.id === 'string' && a.id && !a.id.startsWith('run:')) return byId(a.id);
  const run = a.run as Record<string, unknown> | undefined;
  if (run && typeof run.id === 'string') return byId(run.id);
  return undefined;
}

export interface AnalysisRunChoice {
  run: RunRef;
  files: number;
  pair?: RunRef;
}

/** LRC and MSE runs of the runs folder, newest first, with their number of analysis files. */
export function analysisRuns(runsDir: string, options: { finishedOnly?: boolean; withPair?: boolean } = {}): AnalysisRunChoice[] {
  const { runs } = listRuns(runsDir);
  return runs
    .filter((r) => r.kind === 'lrc' || r.kind === 'mse')
    .filter((r) => !options.finishedOnly || r.status === 'finished' || r.status === 'stopped')
    .map((record) => {
      const dir = join(runsDir, record.id);
      const run: RunRef = { id: record.id, name: record.name, kind: record.kind, status: record.status, dir, record };
      return { run, files: listStepFiles(dir).length, pair: pairOf(run) };
    })
    .filter((c) => !options.withPair || c.pair);
}

/** "lrc-589f24" for "20261125-132844-lrc-589f24": the short id the CLI prints. */
export function shortId(id: string): string {
  const m = /-(lrc|mse|teacher|student)-([0-9a-f]+)$/.exec(id);
  return m ? `${m[1]}-${m[2]}` : basename(id);
}
