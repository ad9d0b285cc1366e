// Throwaway prototype (issue 15): what happens when only part of wasm-threads-hooks.mjs is applied.
//   node bench/prototypes/wasm-threads-failures.mjs flag-only   # WASM_HAS_MULTITHREAD_SUPPORT forced, nothing else
//   node bench/prototypes/wasm-threads-failures.mjs no-cpus     # flag + worker shim, no os.cpus() doubling
//   node bench/prototypes/wasm-threads-failures.mjs full        # everything; then does the process exit by itself?
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { enableNodeThreads } from './wasm-threads-hooks.mjs';
const require = createRequire(import.meta.url);
const mode = process.argv[2] ?? 'full';
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const os = require('node:os');
let restore = () => {};
if (mode === 'flag-only') { tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true); wasm.setThreadsCount(2); }
else {
  const cpus = os.cpus;
  restore = enableNodeThreads(2);
  if (mode === 'no-cpus') os.cpus = cpus;
}
wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
const rss0 = process.memoryUsage().rss;
try {
  const ok = await Promise.race([tf.setBackend('wasm'), new Promise((r) => setTimeout(() => r('timeout after 20 s'), 20000))]);
  restore();
  console.log(mode, 'setBackend:', ok, 'threads:', ok === true ? wasm.getThreadsCount() : '-', 'RSS +', ((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(0), 'MiB');
  if (ok === true) { const c = tf.matMul(tf.ones([256, 256]), tf.ones([256, 256])); console.log('matMul ok:', c.dataSync()[0] === 256); }
} catch (err) {
  console.log(mode, 'error:', err?.message ?? err);
}
if (mode !== 'full') process.exit(0);
let forced = false;
process.on('exit', () => { if (!forced) console.log('exited by itself'); });
setTimeout(() => { forced = true; console.log('still alive 5 s after the work ended (the pthread workers hold the event loop)'); process.exit(3); }, 5000).unref();
