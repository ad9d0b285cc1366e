// Where a sweep stands, as the explorer, the panel and the CodeLens show it: each teacher and run with
// its sweep state (trainer/sweep/sweepStatus.ts) and the counts. A local sweep is read from its run
// folders alone. A Slurm sweep also needs its jobs' states: those come from the last answer of
// `lrc-distill sweep status --json` (slurmPoller.ts, a child process every ~10 s, never on the UI path);
// a run folder that says finished wins over that answer, and a running run's step is the folder's own.
// No vscode here.
import type { RunRecord } from '../../trainer/runs/runRecord';
import type { SweepRecord } from '../../trainer/sweep/sweepRecord';
import { jobOfRun, poolIsAlive, sweepStatus, type MemberStatus, type SweepRunState } from '../../trainer/sweep/sweepStatus';

/** One run of `lrc-distill sweep status --json`. */
export interface CliRunStatus {
  runId: string;
  state: SweepRunState;
  detail: string;
  job?: string;
}

/** The scheduler's view of a Slurm sweep at one moment (or why it could not be had). */
export interface SchedulerSnapshot {
  /** Date.now() when the answer came. */
  at: number;
  runs: Map<string, CliRunStatus>;
  error?: string;
}

export interface SweepMemberState {
  runId: string;
  name: string;
  role: 'teacher' | 'general' | 'run';
  cell: Record<string, string>;
  seed?: number;
  kind: string;
  state: SweepRunState;
  detail: string;
  job?: string;
  /** The run folder's record, once the folder exists. */
  run?: RunRecord;
}

export interface SweepState {
  dir: string;
  record: SweepRecord;
  members: SweepMemberState[];
  counts: Record<SweepRunState, number>;
  /** Runs are running or waiting for a pool or a scheduler that is alive: a poll or a Cancel makes sense. */
  live: boolean;
  /** Every teacher and run finished. */
  done: boolean;
  /** Slurm: the last answer of the scheduler (undefined before the first). */
  scheduler?: { at: number; error?: string };
}

export const STATE_ORDER: readonly SweepRunState[] = ['finished', 'running', 'pending', 'waiting', 'failed'];

/** "12 finished, 2 running, 4 pending" (states with no run left out). */
export function countsText(counts: Record<SweepRunState, number>): string {
  return STATE_ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ') || 'no runs';
}

const stepText = (r: RunRecord) => `step ${r.progress.step}/${r.progress.totalSteps || '?'}`;

function fromScheduler(m: MemberStatus, sweep: SweepRecord, snapshot: SchedulerSnapshot | undefined): Pick<SweepMemberState, 'state' | 'detail' | 'job'> {
  if (m.state === 'finished' || !m.run) return { state: m.state, detail: m.detail };
  const answer = snapshot?.runs.get(m.member.runId);
  if (!answer) {
    if (!jobOfRun(sweep, m.member.runId)) return { state: 'waiting', detail: 'not submitted' };
    return { state: 'waiting', detail: snapshot?.error ? `scheduler not reachable: ${snapshot.error}` : 'asking Slurm…', job: jobOfRun(sweep, m.member.runId) };
  }
  // The run folder is newer than an answer of up to ~10 s ago: a job that was pending then and whose
  // trainer owns its run now has started. (A job the scheduler says has ended keeps its answer: its
  // folder may still say running when the job was killed.)
  const owned = m.run.status === 'running' || m.run.status === 'paused';
  if (owned && (answer.state === 'running' || answer.state === 'pending' || answer.state === 'waiting')) {
    const job = answer.job ?? jobOfRun(sweep, m.member.runId);
    return { state: 'running', detail: `${stepText(m.run)}${job ? ` (job ${job})` : ''}`, job };
  }
  return { state: answer.state, detail: answer.detail, job: answer.job };
}

/** The state of a sweep from its record, its run folders and (Slurm) the scheduler's last answer. */
export function sweepStateOf(dir: string, record: SweepRecord, snapshot?: SchedulerSnapshot): SweepState {
  // Without job states the trainer's rules hold for the local executor; for Slurm they are taken from
  // the scheduler's answer below.
  const statuses = sweepStatus(record);
  const members = statuses.map((m): SweepMemberState => {
    const base = {
      runId: m.member.runId,
      name: m.member.name,
      role: m.member.role,
      cell: m.member.cell,
      seed: m.member.seed,
      kind: String(m.member.config.kind ?? m.run?.kind ?? '?'),
      run: m.run,
    };
    if (record.executor === 'slurm') return { ...base, ...fromScheduler(m, record, snapshot) };
    return { ...base, state: m.state, detail: m.detail };
  });
  const counts = Object.fromEntries(STATE_ORDER.map((s) => [s, 0])) as Record<SweepRunState, number>;
  for (const m of members) counts[m.state] += 1;
  const busy = counts.running > 0 || counts.pending > 0;
  const live = record.executor === 'local' ? busy || poolIsAlive(record) : busy || (!snapshot && record.submissions.length > 0 && counts.finished < members.length);
  return {
    dir,
    record,
    members,
    counts,
    live,
    done: members.length > 0 && counts.finished === members.length,
    scheduler: snapshot ? { at: snapshot.at, ...(snapshot.error ? { error: snapshot.error } : {}) } : undefined,
  };
}

/** Reads the JSON that `lrc-distill sweep status <sweep> --json` prints. */
export function parseCliStatus(stdout: string): CliRunStatus[] {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`sweep status printed no JSON: ${stdout.slice(0, 200)}`);
  const parsed = JSON.parse(stdout.slice(start)) as { runs?: unknown };
  if (!Array.isArray(parsed.runs)) throw new Error('sweep status --json has no "runs" list');
  const states = new Set<string>(STATE_ORDER);
  return parsed.runs.flatMap((r: unknown) => {
    const x = r as Record<string, unknown>;
    if (typeof x.runId !== 'string' || typeof x.state !== 'string' || !states.has(x.state)) return [];
    return [{ runId: x.runId, state: x.state as SweepRunState, detail: typeof x.detail === 'string' ? x.detail : '', ...(typeof x.job === 'string' ? { job: x.job } : {}) }];
  });
}
