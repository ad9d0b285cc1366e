// Where each run of a sweep stands: its run folder (authoritative for finished and failed runs) read
// together with its job's state from the scheduler, when the sweep runs on one. A run whose job is gone
// but whose folder still says running was lost (cancelled, preempted, its node failed): it is failed
// for the sweep and `sweep resume` goes on from its last checkpoint.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../runs/runStore';
import type { RunRecord } from '../runs/runRecord';
import { processExists } from '../runs/liveness';
import { membersOf, type SweepMember, type SweepRecord } from './sweepRecord';

/** A job's state as the scheduler names it (Slurm: PENDING, RUNNING, COMPLETED, CANCELLED, NODE_FAIL, ...). */
export interface JobState {
  job: string;
  state: string;
  reason?: string;
}

export type SweepRunState = 'waiting' | 'pending' | 'running' | 'finished' | 'failed';

export interface MemberStatus {
  member: SweepMember;
  run?: RunRecord;
  state: SweepRunState;
  /** What the state means here, in a few words (a pending reason, the step reached, the error). */
  detail: string;
  job?: JobState;
}

const PENDING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'CONFIGURING', 'RESV_DEL_HOLD', 'SUSPENDED']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SIGNALING', 'STAGE_OUT', 'RESIZING']);
export const jobIsLive = (j: JobState | undefined) => !!j && (PENDING.has(j.state) || RUNNING.has(j.state));

/** The array task of a run's latest submission ("123_4"), if it was submitted. */
export function jobOfRun(sweep: SweepRecord, runId: string): string | undefined {
  for (const s of [...sweep.submissions].reverse()) {
    const i = s.runIds.indexOf(runId);
    if (i >= 0) return `${s.jobId}_${i}`;
  }
  return undefined;
}

/** Is the sweep's local pool process alive? (Known only on the machine it runs on: elsewhere, false.) */
export const poolIsAlive = (sweep: SweepRecord) => !!sweep.pool && sweep.pool.hostname === hostname() && processExists(sweep.pool.pid);

const stepText = (r: RunRecord) => `step ${r.progress.step}/${r.progress.totalSteps || '?'}`;

function stateOf(sweep: SweepRecord, run: RunRecord, job: JobState | undefined): Omit<MemberStatus, 'member' | 'run'> {
  if (run.status === 'finished') return { state: 'finished', detail: run.best ? `${run.best.metric} ${run.best.value.toFixed(4)}` : 'finished', job };
  if (sweep.executor === 'slurm') {
    if (job && PENDING.has(job.state)) return { state: 'pending', detail: `${job.state.toLowerCase()}${job.reason && job.reason !== 'None' ? ` (${job.reason})` : ''}`, job };
    if (job && RUNNING.has(job.state)) return { state: 'running', detail: `${run.status === 'queued' ? 'starting' : stepText(run)} (job ${job.job})`, job };
    if (!job && !jobOfRun(sweep, run.id)) return { state: 'waiting', detail: 'not submitted', job };
    const how = job ? `job ${job.job} ${job.state}${job.reason && job.reason !== 'None' ? ` (${job.reason})` : ''}` : 'its job has ended';
    if (run.status === 'queued') return { state: 'failed', detail: `${how} before the run started`, job };
    if (run.status === 'running' || run.status === 'paused') return { state: 'failed', detail: `lost at ${stepText(run)}: ${how}`, job };
    return { state: 'failed', detail: `${run.status} at ${stepText(run)}: ${run.error?.message ?? how}`, job };
  }
  if (run.status === 'running' || run.status === 'paused') return { state: 'running', detail: stepText(run) };
  if (run.status === 'queued') return { state: 'waiting', detail: poolIsAlive(sweep) ? 'queued in the pool' : 'not started' };
  return { state: 'failed', detail: `${run.status} at ${stepText(run)}${run.error ? `: ${run.error.message}` : ''}` };
}

/** A run of an adopted sweep (`sweep adopt`) that is known from its committed record, its folder gone. */
export const isAdopted = (sweep: SweepRecord, runId: string) =>
  !!sweep.records && !existsSync(join(sweep.runsDir, runId, 'run.json')) && existsSync(join(sweep.records.dir, `${runId}.json`));

/** Has this teacher or run finished (its folder says so, or it was adopted from its record)? */
export function memberFinished(sweep: SweepRecord, runId: string): boolean {
  if (isAdopted(sweep, runId)) return true;
  const dir = join(sweep.runsDir, runId);
  return existsSync(join(dir, 'run.json')) && readRun(dir).status === 'finished';
}

/** Each teacher and run of the sweep with its state; `jobs` are the scheduler's states by array task. */
export function sweepStatus(sweep: SweepRecord, jobs: Map<string, JobState> = new Map()): MemberStatus[] {
  return membersOf(sweep).map((member) => {
    const dir = join(sweep.runsDir, member.runId);
    if (isAdopted(sweep, member.runId)) return { member, state: 'finished', detail: `adopted from its record (${sweep.records!.dir})` };
    if (!existsSync(join(dir, 'run.json'))) return { member, state: 'waiting', detail: 'run folder not created yet' };
    let run: RunRecord;
    try {
      run = readRun(dir);
    } catch (e) {
      return { member, state: 'failed', detail: (e as Error).message };
    }
    const jobId = jobOfRun(sweep, member.runId);
    const state = stateOf(sweep, run, jobId ? jobs.get(jobId) : undefined);
    return { member, run, ...state, ...(member.borrowedFrom ? { detail: `${state.detail} (borrowed from sweep ${member.borrowedFrom})` } : {}) };
  });
}

/** Counts by state, in a fixed order: "2 finished, 1 running, 3 pending". */
export function stateCounts(statuses: MemberStatus[]): Record<SweepRunState, number> {
  const counts: Record<SweepRunState, number> = { finished: 0, running: 0, pending: 0, waiting: 0, failed: 0 };
  for (const s of statuses) counts[s.state] += 1;
  return counts;
}
