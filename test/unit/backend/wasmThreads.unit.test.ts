// Multithreaded WASM (trainer/backend/wasmThreads.ts): the threaded SIMD build starts in Node with the
// asked thread count, trains to the same bits as one thread (teacher fine-tuning, then LRC distillation
// with the perturbation), and the threads setting and the sweep pool's share of the cores. Each backend
// runs in its own process: a backend initialises once per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveThreads } from '../../../trainer/backend/threadsSetting';
import { threadedWasmFiles } from '../../../trainer/backend/wasmThreads';
import { threadsPerWorker } from '../../../trainer/sweep/localPool';

const root = join(__dirname, '..', '..', '..');

interface ChildResult {
  device: string;
  threadsCount: number;
  multithread: boolean;
  trace: string[];
  weights: Record<string, string>;
}

function train(threads: number): ChildResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'threadParityChild.ts'), String(threads)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 240_000 });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no result in the child's output:\n${out}`);
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

test('2 threads train to the same bits as 1 thread, and the report says which build ran', () => {
  const one = train(1);
  const two = train(2);
  assert.equal(one.threadsCount, 1);
  assert.equal(one.multithread, false);
  assert.match(one.device, /WASM SIMD on, 1 thread/);
  assert.equal(two.threadsCount, 2, 'the pool has 2 threads (the half-the-cores cap is lifted)');
  assert.equal(two.multithread, true);
  assert.match(two.device, /WASM SIMD on, 2 threads \(threaded SIMD build\)/);
  assert.equal(two.trace.length, 3 * 2 + 4 * 3);
  assert.deepEqual(two.trace, one.trace, 'losses and gradient norms, bit for bit');
  assert.ok(Object.keys(one.weights).length > 10);
  for (const name of Object.keys(one.weights)) assert.equal(two.weights[name], one.weights[name], `student weight ${name}`);
});

test('the threaded build\'s glue and worker script are found in the installed package, or beside the bundle', () => {
  const files = threadedWasmFiles(undefined);
  assert.match(files.glue, /wasm-out[/\\]tfjs-backend-wasm-threaded-simd\.js$/);
  assert.match(files.workerModule, /wasm-out[/\\]tfjs-backend-wasm-threaded-simd\.worker\.js$/);
  assert.equal(threadedWasmFiles('/nonexistent').glue, files.glue, 'a folder without them falls back to the package');
});

test('threads: the flag, then LRC_THREADS, then Slurm\'s CPUs, then the cores; at most 8', () => {
  assert.deepEqual(resolveThreads(undefined, {}, 2), { threads: 2, source: 'auto: 2 cores' });
  assert.deepEqual(resolveThreads(undefined, {}, 1), { threads: 1, source: 'auto: 1 core' });
  assert.deepEqual(resolveThreads(undefined, {}, 64), { threads: 8, source: 'auto: 64 cores' });
  assert.deepEqual(resolveThreads('auto', { LRC_THREADS: '1' }, 4), { threads: 4, source: 'auto: 4 cores' }, 'the flag wins over the variable');
  assert.deepEqual(resolveThreads(undefined, { LRC_THREADS: '1' }, 4), { threads: 1, source: 'LRC_THREADS=1' });
  assert.deepEqual(resolveThreads('3', { LRC_THREADS: '1' }, 4), { threads: 3, source: '--threads=3' });
  assert.deepEqual(resolveThreads('16', {}, 4), { threads: 8, source: '--threads=16, capped at 8' });
  assert.deepEqual(resolveThreads(undefined, { SLURM_CPUS_PER_TASK: '4' }, 32), { threads: 4, source: 'SLURM_CPUS_PER_TASK=4' });
  assert.deepEqual(resolveThreads(undefined, { LRC_THREADS: '2', SLURM_CPUS_PER_TASK: '4' }, 32), { threads: 2, source: 'LRC_THREADS=2' });
  assert.throws(() => resolveThreads('0', {}, 2), /--threads: expected 'auto' or a whole number of threads from 1.*found "?0/);
  assert.throws(() => resolveThreads(undefined, { LRC_THREADS: 'two' }, 2), /LRC_THREADS: expected .*found "two"/);
  assert.throws(() => resolveThreads('1.5', {}, 2), /--threads/);
});

test('the local pool shares the cores out between the workers that run at once', () => {
  assert.equal(threadsPerWorker(1, 2), 2, 'a teacher alone gets both cores');
  assert.equal(threadsPerWorker(2, 2), 1);
  assert.equal(threadsPerWorker(3, 2), 1, 'never below 1');
  assert.equal(threadsPerWorker(2, 8), 4);
  assert.equal(threadsPerWorker(0, 4), 4);
});
