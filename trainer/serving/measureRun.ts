// Measuring a run's exported model and recording it in the run folder (serving.json): at the end of a
// run (task runs and teachers, in the process that trained it), by `lrc-distill measure <run>`, and by
// `sweep measure <sweep>` (every export of a sweep one after another in one process, teachers too).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { parseRunConfig } from '../config/effective';
import { UserError } from '../errors';
import { readRun } from '../runs/runStore';
import type { ServingCost } from '../sweep/report/frontTypes';
import { DEFAULT_SETTINGS, measureModel, type MeasureSettings } from './measure';
import { writeServingCost } from './servingRecord';

/** Run kinds whose export is a task model to serve (pretrain and general runs export an encoder). */
export const SERVED_KINDS = ['teacher', 'lrc', 'mse', 'student'] as const;

/** What a sweep worker ran beside: its pool's size, or a Slurm array task's node. null: nothing of ours. */
export function besideOf(env: NodeJS.ProcessEnv = process.env): string | null {
  const workers = Number(env.LRC_POOL_WORKERS);
  if (Number.isInteger(workers) && workers > 1) return `ran in a pool of ${workers} worker processes (a sweep's local pool, or the demo's students side by side)`;
  if (env.SLURM_JOB_ID) return `ran as Slurm job ${env.SLURM_JOB_ID}, beside whatever else the node runs`;
  return null;
}

/** What a serving cost says of the backend: the backend report of the process (trainer/backend/select.ts). */
export type BackendOfProcess = { backend: string; version?: string };

export function backendOf(report: BackendOfProcess): ServingCost['backend'] {
  let threads: number | null = null;
  if (report.backend === 'wasm') {
    try {
      threads = getThreadsCount();
    } catch {
      threads = null;
    }
  }
  return { name: report.backend, threads, version: report.version ?? null };
}

/** The export folder of a finished run whose model is served (or of a running one whose session has just
 *  exported it: `atRunEnd`), or a one-line error naming the run. */
export function servedExportOf(runDir: string, atRunEnd = false): { folder: string; kind: ServingCost['kind']; maxLength: number; id: string } {
  const run = readRun(runDir);
  if (!(SERVED_KINDS as readonly string[]).includes(run.kind)) throw new UserError(`run ${run.id} is a ${run.kind} run: its export is an encoder without a task head, which is not served (measure a teacher, lrc, mse or student run)`, 'run');
  const folder = join(runDir, 'export');
  const exported = run.status === 'finished' || (atRunEnd && run.status === 'running');
  if (!exported || !existsSync(join(folder, 'config.json'))) throw new UserError(`run ${run.id} is ${run.status}${run.status === 'finished' ? ' but has no export/' : ''}: no exported model to measure`, 'run');
  const config = parseRunConfig(run.config, `${runDir}/run.json (config)`);
  return { folder, kind: run.kind, maxLength: config.maxLength, id: run.id };
}

/** Measures the run's export and writes serving.json; the cost. */
export async function measureRun(runDir: string, how: { trigger: ServingCost['trigger']; beside: string | null; backend: BackendOfProcess; settings?: MeasureSettings }): Promise<ServingCost> {
  const target = servedExportOf(runDir, how.trigger === 'run-end');
  const cost = await measureModel(target.folder, { runId: target.id, kind: target.kind, maxLength: target.maxLength, trigger: how.trigger, beside: how.beside, backend: backendOf(how.backend) }, how.settings ?? DEFAULT_SETTINGS);
  writeServingCost(runDir, cost);
  return cost;
}

/** "3.21 ms (p95 3.80) at batch 1, 812 examples/s at batch 32, 128 tokens, wasm x2 threads". */
export function costLine(c: ServingCost): string {
  const backend = `${c.backend.name}${c.backend.threads ? ` x${c.backend.threads} thread${c.backend.threads > 1 ? 's' : ''}` : ''}`;
  return `${c.latency.medianMs.toFixed(2)} ms (p95 ${c.latency.p95Ms.toFixed(2)}) at batch 1, ${c.throughput.examplesPerSecond.toFixed(0)} examples/s at batch ${c.throughput.batch}, ${c.maxLength} tokens, ${backend}${c.quiet ? '' : ` (not quiet: ${c.beside})`}, measured in ${c.seconds.toFixed(1)} s`;
}

/** At the end of a run whose model is exported (the session's afterExport, before the run is marked
 *  finished): measure a served kind's export, say so; a failure is said, never fatal. LRC_SERVING=off skips it. */
export async function measureAtRunEnd(runDir: string, backend: BackendOfProcess, log: (line: string) => void = console.log): Promise<void> {
  if (process.env.LRC_SERVING === 'off') return;
  const run = readRun(runDir);
  if (!(SERVED_KINDS as readonly string[]).includes(run.kind)) return;
  try {
    const cost = await measureRun(runDir, { trigger: 'run-end', beside: besideOf(), backend });
    log(`serving cost of ${run.id}: ${costLine(cost)}`);
  } catch (e) {
    log(`serving cost of ${run.id} not measured: ${(e as Error).message} (lrc-distill measure ${run.id} tries again)`);
  }
}
