// The local executor: a pool of N worker processes on this machine (default: one per core). Each worker
// gets its share of the cores as WASM threads (LRC_THREADS, unless the user set it): the cores divided by
// the runs that can run beside it when it starts, so a teacher that runs alone uses every core and N
// students use one each. Each worker is `lrc-distill sweep-task` on one
// run folder, the same command a Slurm array task runs. A run starts once its teacher has finished;
// the runs of a teacher that failed are left waiting for `sweep resume`. SIGINT / SIGTERM (and `sweep
// cancel`) stop every worker after a checkpoint, and nothing more is started.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../runs/runStore';
import { ensureRunFolders, readSweep, sweepPaths, updateSweep } from './sweepStore';
import { dependenciesOf, membersOf, type SweepMember } from './sweepRecord';
import { memberFinished } from './sweepStatus';

export const defaultWorkers = () => availableParallelism();

/** How to start this CLI again in a child process: node, its flags (tsx in development), the script. */
export function cliInvocation(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]];
}

export interface PoolOutcome {
  finished: string[];
  failed: string[];
  /** Runs not started: their teacher did not finish, or the pool was stopped first. */
  notStarted: string[];
  interrupted: boolean;
}

export interface PoolEvents {
  started(m: SweepMember, log: string): void;
  ended(m: SweepMember, status: string, detail: string): void;
}

const runStatus = (runsDir: string, id: string) => readRun(join(runsDir, id));

export async function runLocalPool(sweepDir: string, workers: number, events: PoolEvents): Promise<PoolOutcome> {
  const startedAt = new Date().toISOString();
  let sweep = updateSweep(sweepDir, (s) => ({ ...s, pool: { pid: process.pid, hostname: hostname(), startedAt }, cancelledAt: undefined }));
  ensureRunFolders(sweep);
  const todo = membersOf(sweep).filter((m) => !memberFinished(sweep, m.runId));
  const outcome: PoolOutcome = { finished: [], failed: [], notStarted: [], interrupted: false };
  const running = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = () => {
    if (stopping) return;
    stopping = true;
    outcome.interrupted = true;
    for (const child of running.values()) child.kill('SIGTERM');
  };
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  const cancelWatch = setInterval(() => {
    if (readSweep(sweepDir).cancelledAt) stopAll();
  }, 2000);
  let wake: () => void = () => {};
  try {
    for (;;) {
      // a run waits for its teacher and its general run; one that failed leaves it waiting for `sweep resume`
      const teacherDone = (m: SweepMember) => dependenciesOf(m).every((id) => memberFinished(sweep, id));
      const teacherLost = (m: SweepMember) => dependenciesOf(m).some((id) => outcome.failed.includes(id) || outcome.notStarted.includes(id));
      for (const m of todo.filter((x) => !running.has(x.runId) && teacherLost(x))) {
        outcome.notStarted.push(m.runId);
        todo.splice(todo.indexOf(m), 1);
      }
      const ready = todo.filter((m) => !running.has(m.runId) && teacherDone(m)).length;
      const threads = threadsPerWorker(Math.min(workers, running.size + ready));
      while (!stopping && running.size < workers) {
        const next = todo.find((m) => !running.has(m.runId) && teacherDone(m));
        if (!next) break;
        todo.splice(todo.indexOf(next), 1);
        running.set(next.runId, launch(sweepDir, next, threads, workers, events, () => {
          running.delete(next.runId);
          const status = runStatus(sweep.runsDir, next.runId);
          (status.status === 'finished' ? outcome.finished : outcome.failed).push(next.runId);
          events.ended(next, status.status, status.error?.message ?? (status.best ? `${status.best.metric} ${status.best.value.toFixed(4)}` : ''));
          wake();
        }));
      }
      if (running.size === 0) break;
      await new Promise<void>((r) => (wake = r));
      sweep = readSweep(sweepDir);
    }
    outcome.notStarted.push(...todo.map((m) => m.runId));
    return outcome;
  } finally {
    clearInterval(cancelWatch);
    process.off('SIGINT', stopAll);
    process.off('SIGTERM', stopAll);
    updateSweep(sweepDir, (s) => ({ ...s, pool: undefined }));
  }
}

/** WASM threads for each of `concurrent` workers running at once: the cores shared out, at least 1. */
export function threadsPerWorker(concurrent: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, concurrent)));
}

/** One worker: its own process group (a terminal's Ctrl-C reaches the pool, which stops it once). It is
 *  told the pool's size (LRC_POOL_WORKERS), which its serving-cost record reports (trainer/serving/). */
function launch(sweepDir: string, m: SweepMember, threads: number, workers: number, events: PoolEvents, onExit: () => void): ChildProcess {
  const log = join(sweepPaths(sweepDir).logs, `${m.runId}.log`);
  const fd = openSync(log, 'a');
  const [cmd, ...args] = cliInvocation();
  const child = spawn(cmd, [...args, 'sweep-task', sweepDir, m.runId, '--plain'], { stdio: ['ignore', fd, fd], detached: true, env: { ...process.env, LRC_THREADS: process.env.LRC_THREADS || String(threads), LRC_POOL_WORKERS: String(workers) } });
  closeSync(fd);
  events.started(m, log);
  let done = false;
  const finish = () => {
    if (!done) {
      done = true;
      onExit();
    }
  };
  child.on('error', finish);
  child.on('exit', finish);
  return child;
}
