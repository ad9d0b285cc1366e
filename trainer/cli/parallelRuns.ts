// Runs created run folders side by side, each in its own `lrc-distill resume <run>` process (at most
// `workers` at once, in the order given), each with its share of the cores as WASM threads. A run is
// the same in a child as in this process: the same config and seeds give the same numbers. The
// children's --plain lines (prefixed with their run) are passed on as they come. Ctrl-C reaches the
// children directly (same process group): each checkpoints and stops, as a run in this process would.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readRun } from '../runs/runStore';
import type { RunRecord } from '../runs/runRecord';
import { cliInvocation, threadsPerWorker } from '../sweep/localPool';

export interface ParallelRunsOptions {
  runsDir: string;
  workers: number;
  /** Settings for every child, e.g. LRC_THREADS or LRC_TEACHER_CACHE from this command's flags
   * (LRC_THREADS given here or in this process's environment replaces the share of the cores). */
  env?: Record<string, string | undefined>;
  /** Each line a child writes, stdout and stderr. */
  line(text: string): void;
}

/** The runs' records once every child has ended, in the order of `runDirs`; stops starting new ones
 * after a run that did not finish. */
export async function runInChildProcesses(runDirs: readonly string[], options: ParallelRunsOptions): Promise<RunRecord[]> {
  const queue = [...runDirs];
  let running = 0;
  let failed = false;
  await new Promise<void>((allDone) => {
    const startMore = () => {
      while (!failed && running < options.workers && queue.length) {
        const dir = queue.shift()!;
        const threads = threadsPerWorker(Math.min(options.workers, running + 1 + queue.length));
        running += 1;
        start(dir, threads, options).then(() => {
          running -= 1;
          if (readRun(dir).status !== 'finished') failed = true;
          if (running === 0 && (failed || queue.length === 0)) allDone();
          else startMore();
        });
      }
    };
    if (queue.length === 0) allDone();
    else startMore();
  });
  return runDirs.map((dir) => readRun(dir));
}

function start(runDir: string, threads: number, options: ParallelRunsOptions): Promise<void> {
  const [cmd, ...args] = cliInvocation();
  const id = readRun(runDir).id;
  const child = spawn(cmd, [...args, 'resume', id, '--runs', options.runsDir, '--plain'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // LRC_POOL_WORKERS: each run's serving cost says it was measured beside the others (trainer/serving/)
    env: { ...process.env, LRC_THREADS: process.env.LRC_THREADS || String(threads), LRC_POOL_WORKERS: String(options.workers), ...definedOnly(options.env ?? {}) },
  });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', options.line);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      options.line(`${id}: could not start: ${e.message}`);
      resolve();
    });
    child.on('close', () => resolve());
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
