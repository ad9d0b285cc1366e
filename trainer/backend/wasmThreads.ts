// Multithreaded WASM in Node: tfjs-backend-wasm 4.22.0 ships a threaded SIMD binary (XNNPACK's matrix
// products on a pthreadpool) but turns it off in Node. Four things stand in the way, each undone here
// before the backend initialises (docs/benchmarks.md, "Multithreaded WASM in Node", has the sources):
//   1. WASM_HAS_MULTITHREAD_SUPPORT is false whenever the platform is Node (flags_wasm.js, tfjs#3830);
//   2. the thread count is setThreadsCount's;
//   3. the pthread workers: init() hands Emscripten a blob: URL for the worker script and the factory as
//      a Blob; Node's worker_threads.Worker takes neither. The glue creates them with
//      require('worker_threads').Worker, so that class is replaced, while the module starts, by one that
//      runs the worker script from a string (eval) and gives the worker's 'load' message the path of the
//      unbundled Emscripten glue, which the worker reads with importScripts;
//   4. backend.cc caps the pool at emscripten_num_logical_cores() / 2, which in Node is
//      os.cpus().length / 2 (1 on two cores): os.cpus() reports 2 x threads entries while it starts.
// XNNPACK splits a product's output between the threads, not its reductions: results are bit-identical
// to one thread (test/unit/backend/wasmThreads.test.ts trains with both and compares).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as workerThreadsTypes from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** The pool's ceiling, compiled into backend.cc (min(count, 8)). */
export const MAX_WASM_THREADS = 8;

const GLUE = 'tfjs-backend-wasm-threaded-simd.js';
const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';

export interface ThreadedWasmFiles {
  /** The Emscripten glue each pthread worker loads (a file: workers cannot share the trainer bundle). */
  glue: string;
  /** The module exporting the worker script as `wasmWorkerContents`. */
  workerModule: string;
}

/**
 * The threaded build's JavaScript files: beside the binaries when the build copied them there (dist/),
 * else in the installed package's wasm-out folder. Throws naming what is missing.
 */
export function threadedWasmFiles(wasmDir: string | undefined): ThreadedWasmFiles {
  const dirs = [wasmDir, installedWasmOut()].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const glue = path.join(dir, GLUE);
    const workerModule = path.join(dir, WORKER);
    if (existsSync(glue) && existsSync(workerModule)) return { glue, workerModule };
  }
  throw new Error(`the threaded WASM build's ${GLUE} and ${WORKER} are in none of ${dirs.join(', ')}`);
}

function installedWasmOut(): string | undefined {
  try {
    const packageName = ['@tensorflow', 'tfjs-backend-wasm', 'package.json'].join('/'); // not a literal: esbuild leaves it alone
    return path.join(path.dirname(require.resolve(packageName)), 'wasm-out');
  } catch {
    return undefined;
  }
}

/**
 * Makes the next initialisation of the WASM backend use the threaded SIMD binary with `threads`
 * threads (2..8). Call before tf.setBackend('wasm'); call the returned function once tf.ready() has
 * resolved (or failed): it puts os.cpus and worker_threads.Worker back. The workers then keep the
 * process alive: a process that uses threads ends with process.exit.
 */
export function enableWasmThreads(threads: number, files: ThreadedWasmFiles): () => void {
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS) {
    throw new Error(`enableWasmThreads: ${threads} threads: expected a whole number from 2 to ${MAX_WASM_THREADS}`);
  }
  const { wasmWorkerContents } = require(files.workerModule) as { wasmWorkerContents: string };
  if (typeof wasmWorkerContents !== 'string') throw new Error(`${files.workerModule} does not export wasmWorkerContents`);
  const script = wasmWorkerContents.replace(/\n/g, '\\n'); // as init() escapes it for its Blob

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);

  // The modules themselves (require), not an import's namespace copy: the glue reads their properties.
  const workerThreads = require('node:worker_threads') as { Worker: typeof workerThreadsTypes.Worker };
  const os = require('node:os') as { cpus: () => import('node:os').CpuInfo[] };
  const NodeWorker = workerThreads.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: workerThreadsTypes.WorkerOptions) {
      const blob = typeof url === 'string' && url.startsWith('blob:');
      super(blob ? script : url, blob ? { ...options, eval: true } : options);
    }
    override postMessage(message: unknown, transfer?: readonly workerThreadsTypes.TransferListItem[]): void {
      const m = message as { cmd?: unknown; urlOrBlob?: unknown } | null;
      const load = m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string';
      super.postMessage(load ? { ...m, urlOrBlob: files.glue } : message, transfer);
    }
  }
  workerThreads.Worker = PthreadWorker;

  const cpus = os.cpus;
  os.cpus = () => {
    const real = cpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => real[i % Math.max(real.length, 1)]);
  };
  return () => {
    os.cpus = cpus;
    workerThreads.Worker = NodeWorker;
  };
}
