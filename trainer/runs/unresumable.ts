// A run that has trained but has no checkpoint to go on from (it stopped or crashed before its first
// one, or the folder lost it): resuming it would start again from step 0 in the same folder, its new
// history mixed into the old. The session refuses it; a sweep moves the attempt aside and starts again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stepsInHistory } from './metricsLog';
import { runPaths } from './runFolder';
import type { RunRecord } from './runRecord';

/** The checkpoint a resume goes on from. */
export const lastCheckpointState = (dir: string) => join(runPaths(dir).checkpoints, 'last', 'state.json');

/** Steps trained by a run that has no checkpoint to go on from (0: it has one, or it never trained). */
export function stepsWithoutCheckpoint(dir: string, record: RunRecord): number {
  if (existsSync(lastCheckpointState(dir))) return 0;
  return Math.max(record.progress.step, stepsInHistory(runPaths(dir).metrics));
}
