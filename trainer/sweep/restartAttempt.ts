// A sweep member's run that trained some steps and then died before its first checkpoint (the machine
// or the session went away) cannot be resumed, and a plain run would be refused (its history kept, a new
// run asked for). A sweep's run ids are fixed by its plan, so the sweep keeps the attempt another way:
// the whole folder is moved, as it is, to `<runs>/.abandoned/<id>-<time>/` (the same filesystem, so the
// move is one rename), and the member's folder is made fresh from the sweep record. Nothing is rewritten
// in place and nothing is lost; the log line names where the attempt went.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepMember, SweepRecord } from './sweepRecord';
import { createMemberRun } from './sweepStore';

const abandonedDir = (runsDir: string) => join(runsDir, '.abandoned');

/** Moves the attempt aside and makes the member's folder fresh; returns where the attempt went. */
export function restartWithoutCheckpoint(sweep: SweepRecord, member: SweepMember, now = new Date()): string {
  const from = join(sweep.runsDir, member.runId);
  const parent = abandonedDir(sweep.runsDir);
  mkdirSync(parent, { recursive: true });
  const to = join(parent, `${member.runId}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
  renameSync(from, to);
  createMemberRun(sweep, member);
  return to;
}
