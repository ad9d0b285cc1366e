// Teachers borrowed from another sweep (`"teacher": { "fromSweep": "pretrained" }`): a sweep over student
// shapes or methods that learns from teachers another sweep already fine-tuned, instead of training them
// again (an hour each for a pre-trained BERT on 2 cores). Each planned teacher is matched with the
// other sweep's teacher of the same levels on the `per` axes; that run must be in the same runs folder,
// be finished, and have been trained on the same data. The new sweep records it with `borrowedFrom`:
// its executors never train it, and its report reads it as its own teacher.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readRun } from '../runs/runStore';
import { UserError } from '../server';
import type { SweepPlan } from './plan';
import { findSweepDir, readSweep } from './sweepStore';

export interface BorrowedTeacher {
  runId: string;
  /** The other sweep's id. */
  sweepId: string;
  /** The teacher's own config (as it was trained). */
  config: Record<string, unknown>;
}

/** The borrowed teacher of each planned teacher key (none when the plan trains its teachers). */
export function borrowTeachers(plan: SweepPlan, sweepsDir: string, runsDir: string, source: string): Map<string, BorrowedTeacher> {
  const out = new Map<string, BorrowedTeacher>();
  const from = plan.teachers.find((t) => t.fromSweep)?.fromSweep;
  if (!from) return out;
  const field = 'teacher.fromSweep';
  let other;
  try {
    other = readSweep(findSweepDir(sweepsDir, from));
  } catch (e) {
    throw new UserError(`${source}: ${field}: ${(e as Error).message}`, field);
  }
  if (other.runsDir !== runsDir) throw new UserError(`${source}: ${field}: sweep ${other.id} keeps its runs in ${other.runsDir}, not in this runs folder (${runsDir}): run with --runs ${other.runsDir}`, field);
  for (const planned of plan.teachers) {
    const match = other.teachers.find((t) => Object.keys(planned.cell).every((axis) => t.cell[axis] === planned.cell[axis]));
    const levels = Object.entries(planned.cell).map(([a, l]) => `${a} ${l}`).join(', ') || 'the one teacher';
    if (!match) throw new UserError(`${source}: ${field}: sweep ${other.id} has no teacher for ${levels} (it has: ${other.teachers.map((t) => Object.values(t.cell).join(' ') || 'one teacher').join('; ')})`, field);
    const dir = join(runsDir, match.runId);
    const status = existsSync(join(dir, 'run.json')) ? readRun(dir).status : 'missing';
    if (status !== 'finished') throw new UserError(`${source}: ${field}: the ${levels} teacher of sweep ${other.id} (${match.runId}) is ${status}, not finished: finish it first (lrc-distill sweep resume ${other.name})`, field);
    if (!isDeepStrictEqual(match.config.data, planned.config.data)) {
      throw new UserError(`${source}: ${field}: the ${levels} teacher of sweep ${other.id} (${match.runId}) was trained on other data (${JSON.stringify(match.config.data)}) than this sweep's ${levels} level gives (${JSON.stringify(planned.config.data)})`, field);
    }
    out.set(planned.key, { runId: match.runId, sweepId: other.id, config: match.config });
  }
  return out;
}
