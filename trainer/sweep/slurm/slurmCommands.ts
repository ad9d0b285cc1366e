// The Slurm client commands a sweep uses, run as they are (never a daemon of ours): sbatch to submit a
// job array, squeue for the jobs that live, sacct (where accounting is on) or scontrol for the ones that
// ended, scancel. Every failure names the command and what it printed.
import { spawnSync } from 'node:child_process';
import { UserError } from '../../server';
import type { JobState } from '../sweepStatus';

function slurm(command: string, args: string[], options: { allowFailure?: boolean } = {}): { ok: boolean; out: string; err: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new UserError(`${command} not found on PATH: the slurm executor runs on a machine with the Slurm client commands (a login node; SLURM_CONF names the cluster's slurm.conf when it is not in /etc/slurm)`, command);
  }
  const ok = r.status === 0 && !r.error;
  if (!ok && !options.allowFailure) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout).trim()}`);
  return { ok, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** Submits a batch script; returns the job id (`sbatch --parsable` prints "id" or "id;cluster"). */
export function sbatch(script: string, args: string[]): string {
  const { out } = slurm('sbatch', ['--parsable', ...args, script]);
  const id = out.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: ${JSON.stringify(out)}`);
  return id;
}

/** "3-5,7%2" -> [3, 4, 5, 7]. */
export function expandTaskIds(spec: string): number[] {
  return spec.split('%')[0].split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }).filter((n) => Number.isInteger(n));
}

/** squeue lines "123_4|RUNNING|None" (arrays expanded with -r). */
export function parseSqueue(out: string): JobState[] {
  return out.split('\n').map((l) => l.trim()).filter(Boolean).flatMap((line) => {
    const [id, state, reason] = line.split('|');
    const m = /^(\d+)_\[(.+)\]$/.exec(id);
    if (m) return expandTaskIds(m[2]).map((t) => ({ job: `${m[1]}_${t}`, state, reason }));
    return [{ job: id, state, reason }];
  });
}

/** `scontrol -o show job` records (one per line, "Key=Value ..."): ArrayJobId, ArrayTaskId, JobState, Reason. */
export function parseScontrol(out: string): JobState[] {
  return out.split('\n').filter((l) => l.includes('JobState=')).flatMap((line) => {
    const field = (k: string) => new RegExp(`(?:^|\\s)${k}=(\\S+)`).exec(line)?.[1];
    const array = field('ArrayJobId');
    const tasks = field('ArrayTaskId');
    const state = field('JobState') ?? 'UNKNOWN';
    const reason = field('Reason');
    if (!array || !tasks) return [{ job: field('JobId') ?? '?', state, reason }];
    return expandTaskIds(tasks).map((t) => ({ job: `${array}_${t}`, state, reason }));
  });
}

/** sacct lines "123_4|COMPLETED" (one per array task; steps such as 123_4.batch are left out). */
export function parseSacct(out: string): JobState[] {
  return out.split('\n').map((l) => l.trim()).filter((l) => l && !l.split('|')[0].includes('.')).map((l) => {
    const [job, state] = l.split('|');
    return { job, state: state.split(' ')[0] };
  });
}

/** The state of every task of these job arrays that the cluster still knows, by "job_task". */
export function jobStates(jobIds: string[]): Map<string, JobState> {
  const states = new Map<string, JobState>();
  if (!jobIds.length) return states;
  const add = (list: JobState[]) => list.forEach((s) => states.has(s.job) || states.set(s.job, s));
  // squeue refuses the whole query when one id has left it: ask for each job on its own
  for (const id of jobIds) add(parseSqueue(slurm('squeue', ['--noheader', '-r', '--format=%i|%T|%r', `--jobs=${id}`], { allowFailure: true }).out));
  // tasks that have ended: from accounting where it is on, else from the controller's memory (MinJobAge)
  const acct = slurm('sacct', ['--noheader', '--parsable2', '--format=JobID,State', `--jobs=${jobIds.join(',')}`], { allowFailure: true });
  if (acct.ok) add(parseSacct(acct.out));
  for (const id of jobIds) add(parseScontrol(slurm('scontrol', ['-o', 'show', 'job', id], { allowFailure: true }).out));
  return states;
}

export function scancel(jobIds: string[]): void {
  if (jobIds.length) slurm('scancel', jobIds);
}
