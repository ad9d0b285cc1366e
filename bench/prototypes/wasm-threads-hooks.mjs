// Throwaway prototype (issue 15): what it takes to run tfjs-backend-wasm 4.22.0's threaded SIMD binary
// in Node (worker_threads serving Emscripten's pthreads). Call enableNodeThreads() before the backend
// initialises (before tf.setBackend('wasm') / selectBackend); call the function it returns once
// tf.ready() has resolved. None of this is in the product.
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

const require = createRequire(import.meta.url);

export function enableNodeThreads(threads = 2) {
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  // 1. flags_wasm.js returns false for WASM_HAS_MULTITHREAD_SUPPORT when IS_NODE (tfjs issue 3830).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  // 2. The thread count XNNPACK's pthreadpool gets (init_with_threads_count, capped: see 4.).
  wasm.setThreadsCount(threads);
  // 3. The pthread workers. init()'s locateFile returns a blob: URL for '*.worker.js' and passes the
  //    factory as a Blob in mainScriptUrlOrBlob; Node's worker_threads.Worker takes neither. The
  //    Emscripten glue uses require('worker_threads').Worker (set as the global Worker when the factory
  //    runs), so replace it with a subclass that starts the worker from a real file (wasmWorkerContents,
  //    its newlines escaped as init() does) and gives the worker's 'load' message the path of the
  //    unbundled Emscripten glue (wasm-out/tfjs-backend-wasm-threaded-simd.js) to importScripts.
  const wt = require('node:worker_threads');
  const tmp = mkdtempSync(join(tmpdir(), 'tfjs-wasm-worker-'));
  const workerFile = join(tmp, 'tfjs-backend-wasm-threaded-simd.worker.js');
  const { wasmWorkerContents } = require(join(pkgDir, 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js'));
  writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
  const glue = join(pkgDir, 'wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const NodeWorker = wt.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(url, options) {
      super(typeof url === 'string' && url.startsWith('blob:') ? workerFile : url, options);
    }
    postMessage(msg, transfer) {
      if (msg && msg.cmd === 'load' && typeof msg.urlOrBlob !== 'string') msg = { ...msg, urlOrBlob: glue };
      return super.postMessage(msg, transfer);
    }
  }
  wt.Worker = PthreadWorker;
  // 4. backend.cc caps the pool at num_cores = emscripten_num_logical_cores() / 2, computed in the
  //    module's static constructors; in Node that is require('os').cpus().length / 2 = 1 here (2 cores).
  //    Report twice the CPUs while the module initialises, so that the cap is the real core count.
  const os = require('node:os');
  const cpus = os.cpus;
  os.cpus = () => { const c = cpus.call(os); return [...c, ...c]; };
  return () => { os.cpus = cpus; wt.Worker = NodeWorker; };
}
