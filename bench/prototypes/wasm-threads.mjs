// Throwaway prototype (issue 15): can tfjs-backend-wasm 4.22.0 run its threaded SIMD binary in Node,
// with worker_threads serving Emscripten's pthreads, and what does it gain on matmuls?
//
//   node bench/prototypes/wasm-threads.mjs                 # parent: runs the modes in child processes, alternating
//   node bench/prototypes/wasm-threads.mjs --child simd     # one mode: simd | threaded (THREADS env, default 2)
//
// Why child processes: the backend initialises once per process (one binary, one thread count).
// What it forces (none of it in the product): see wasm-threads-hooks.mjs.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enableNodeThreads } from './wasm-threads-hooks.mjs';

const require = createRequire(import.meta.url);
const SHAPES = [
  { name: 'QKV/out projection, B16xL128 tokens x H768', m: 2048, k: 768, n: 768 },
  { name: 'FFN in, 2048 x 768 @ 768 x 3072', m: 2048, k: 768, n: 3072 },
  { name: 'FFN out, 2048 x 3072 @ 3072 x 768', m: 2048, k: 3072, n: 768 },
  { name: 'attention scores QK^T, 192 (B16 x 12 heads) x 128 x 64 @ 64 x 128', batch: 192, m: 128, k: 64, n: 128 },
  { name: 'reference 1024^3', m: 1024, k: 1024, n: 1024 },
];
const REPEATS = Number(process.env.REPEATS ?? 10);

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]);
else await parent();

async function child(mode) {
  const threads = Number(process.env.THREADS ?? 2);
  const pkgDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const distDir = join(pkgDir, 'dist') + '/';
  const restore = mode === 'threaded' ? enableNodeThreads(threads) : () => {};
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(distDir);
  const t0 = performance.now();
  const ok = await tf.setBackend('wasm');
  await tf.ready();
  const initMs = performance.now() - t0;
  restore();
  const info = {
    mode, ok, initMs,
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threadsFlag: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    threadsCount: wasm.getThreadsCount(),
    shapes: [],
  };
  for (const s of SHAPES) {
    const pre = s.batch ? [s.batch] : [];
    const a = tf.randomUniform([...pre, s.m, s.k], -1, 1, 'float32', 1);
    const b = tf.randomUniform([...pre, s.k, s.n], -1, 1, 'float32', 2);
    tf.matMul(a, b).dispose(); // warm-up
    const wall = [];
    const cpu = [];
    let out;
    for (let i = 0; i < REPEATS; i++) {
      const c0 = process.cpuUsage();
      const w0 = performance.now();
      const c = tf.matMul(a, b);
      const data = c.dataSync();
      wall.push(performance.now() - w0);
      const cu = process.cpuUsage(c0);
      cpu.push((cu.user + cu.system) / 1000);
      if (i === REPEATS - 1) out = data; else c.dispose();
    }
    const file = join(tmpdir(), `wasm-threads-${mode}-${s.batch ?? 1}x${s.m}x${s.k}x${s.n}.f32`);
    writeFileSync(file, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    const gflop = (2 * (s.batch ?? 1) * s.m * s.k * s.n) / 1e9;
    const sorted = [...wall].sort((x, y) => x - y);
    info.shapes.push({ ...s, file, gflop, bestMs: sorted[0], medianMs: sorted[Math.floor(sorted.length / 2)], cpuMedianMs: [...cpu].sort((x, y) => x - y)[Math.floor(cpu.length / 2)] });
    a.dispose(); b.dispose();
  }
  process.stdout.write(JSON.stringify(info) + '\n');
  process.exit(0); // the pthread pool's workers would keep the process alive
}

function f32(buf) { return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)); } // readFileSync may return a slice of a shared pool

async function parent() {
  const self = fileURLToPath(import.meta.url);
  const rounds = Number(process.env.ROUNDS ?? 2);
  const runs = { simd: [], threaded: [] };
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['simd', 'threaded']) {
      try {
        const out = execFileSync(process.execPath, [self, '--child', mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
        const line = out.trim().split('\n').pop();
        runs[mode].push(JSON.parse(line));
      } catch (err) {
        console.log(`${mode} failed: ${err.message}\n${err.stderr ?? ''}`);
        runs[mode].push(null);
      }
    }
  }
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const mode of ['simd', 'threaded']) {
    const i = runs[mode].find(Boolean);
    if (i) console.log(`${mode}: init ${i.initMs.toFixed(0)} ms, SIMD ${i.simd}, threads flag ${i.threadsFlag}, getThreadsCount() ${i.threadsCount}`);
  }
  console.log('\n| shape | simd best ms | threaded best ms | ratio (best) | simd median | threaded median | ratio (median) | threaded CPU/wall | max abs diff |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  SHAPES.forEach((s, j) => {
    const pick = (mode, key) => Math.min(...runs[mode].filter(Boolean).map((x) => x.shapes[j][key]));
    const sb = pick('simd', 'bestMs'), tb = pick('threaded', 'bestMs');
    const sm = pick('simd', 'medianMs'), tm = pick('threaded', 'medianMs');
    const tc = pick('threaded', 'cpuMedianMs');
    const a = f32(readFileSync(runs.simd.find(Boolean).shapes[j].file));
    const b = f32(readFileSync(runs.threaded.find(Boolean).shapes[j].file));
    let d = 0;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    const gf = runs.simd.find(Boolean).shapes[j].gflop;
    console.log(`| ${s.name} (${gf.toFixed(2)} GFLOP) | ${sb.toFixed(1)} (${(gf / sb * 1e3).toFixed(1)} GFLOP/s) | ${tb.toFixed(1)} (${(gf / tb * 1e3).toFixed(1)} GFLOP/s) | ${(sb / tb).toFixed(2)}x | ${sm.toFixed(1)} | ${tm.toFixed(1)} | ${(sm / tm).toFixed(2)}x | ${(tc / tm).toFixed(2)} | ${d.toExponential(2)} |`);
  });
}
