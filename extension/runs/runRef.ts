// A run as the commands and views hold it (its record and folder), and the run a command argument names:
// an id or unique prefix in the runs folder, an absolute run folder, a run explorer node, { runId },
// { runDir }... No vscode here, so that the lookup is tested in plain Node.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { findRunDir, listRuns, readRun } from '../../trainer/runs/runStore';
import type { RunRecord } from '../../trainer/runs/runRecord';

export interface RunRef {
  id: string;
  name: string;
  kind: RunRecord['kind'];
  status: RunRecord['status'];
  dir: string;
  record: RunRecord;
}

function refOf(record: RunRecord, dir: string): RunRef {
  return { id: record.id, name: record.name, kind: record.kind, status: record.status, dir, record };
}

export function runRef(dir: string): RunRef {
  return refOf(readRun(dir), dir);
}

/** The runs of the runs folder, newest first. */
export function listRunRefs(runsDir: string): RunRef[] {
  return listRuns(runsDir).runs.map((record) => refOf(record, join(runsDir, record.id)));
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
