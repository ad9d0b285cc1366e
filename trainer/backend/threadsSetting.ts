// How many threads the WASM backend computes with: the --threads flag, else the LRC_THREADS variable,
// else 'auto' = the CPUs this process may use (Slurm's SLURM_CPUS_PER_TASK inside a job, else
// os.availableParallelism()), at most the pool's 8. The local sweep pool gives each worker its share
// of the cores through LRC_THREADS. Threads change the speed, never the numbers (XNNPACK splits the
// output of a product, not its sums), so the setting lives beside the process, not in the run config.
import { availableParallelism } from 'node:os';
import { InputError, shown } from '../errors';
import { MAX_WASM_THREADS } from './wasmThreads';

export interface ThreadsChoice {
  threads: number;
  /** Where the number came from, for the backend report. */
  source: string;
}

export function resolveThreads(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): ThreadsChoice {
  const given = flag !== undefined ? { value: flag, field: '--threads' } : env.LRC_THREADS !== undefined && env.LRC_THREADS !== '' ? { value: env.LRC_THREADS, field: 'LRC_THREADS' } : undefined;
  if (given && given.value.trim() !== 'auto') {
    const n = Number(given.value);
    if (!Number.isInteger(n) || n < 1) {
      throw new InputError({ field: given.field, expected: `'auto' or a whole number of threads from 1 (${MAX_WASM_THREADS} at most are used)`, found: shown(given.value) });
    }
    return { threads: Math.min(n, MAX_WASM_THREADS), source: n > MAX_WASM_THREADS ? `${given.field}=${n}, capped at ${MAX_WASM_THREADS}` : `${given.field}=${n}` };
  }
  const slurm = Number(env.SLURM_CPUS_PER_TASK);
  if (Number.isInteger(slurm) && slurm >= 1) return { threads: Math.min(slurm, MAX_WASM_THREADS), source: `SLURM_CPUS_PER_TASK=${slurm}` };
  return { threads: Math.min(Math.max(cores, 1), MAX_WASM_THREADS), source: `auto: ${cores} core${cores === 1 ? '' : 's'}` };
}
