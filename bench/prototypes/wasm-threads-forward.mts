// Throwaway prototype (issue 15): the product's own WASM path (selectBackend with the training kernels)
// on the threaded SIMD binary vs the SIMD one: BERT-base teacher and 4x312 student forward passes at the
// paper's shapes (B 16, L 128, eval mode, logits read back), in child processes, alternating.
//
//   npx tsx bench/prototypes/wasm-threads-forward.mts            # parent (ROUNDS=2, REPEATS=2)
//   npx tsx bench/prototypes/wasm-threads-forward.mts --child threaded|simd
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { enableNodeThreads } from './wasm-threads-hooks.mjs';
import { selectBackend } from '../../trainer/backend/select';
import { buildModel, syntheticInputs } from '../lib/models';
import { PAPER_SHAPES } from '../lib/shapes';
import { forwardFlops } from '../lib/flops';

const REPEATS = Number(process.env.REPEATS ?? 2);
const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]);
else parent();

async function child(mode: string) {
  const restore = mode === 'threaded' ? enableNodeThreads(Number(process.env.THREADS ?? 2)) : () => {};
  const report = await selectBackend({ force: 'wasm' });
  restore();
  const out: Record<string, unknown> = { mode, threads: getThreadsCount(), device: report.device };
  const batch = 16, seq = 128;
  const inputs = syntheticInputs(batch, seq, PAPER_SHAPES.vocab, 7);
  for (const role of ['teacher', 'student'] as const) {
    const model = buildModel(PAPER_SHAPES[role], PAPER_SHAPES, { trainable: false, seed: role === 'teacher' ? 1 : 2 });
    const run = () => tf.tidy(() => model.forward(inputs, { training: false }).logits.dataSync() as Float32Array);
    run(); // warm-up
    const wall: number[] = [];
    const cpu: number[] = [];
    let logits = new Float32Array();
    for (let i = 0; i < REPEATS; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      logits = run();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const file = join(tmpdir(), `wasm-threads-forward-${mode}-${role}.f32`);
    writeFileSync(file, Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength));
    out[role] = { bestMs: Math.min(...wall), cpuMs: Math.min(...cpu), file, gflop: forwardFlops(PAPER_SHAPES[role], { batch, seq, labels: PAPER_SHAPES.labels }).total / 1e9 };
  }
  out.tensors = tf.memory().numTensors;
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

function f32(buf: Buffer) { return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)); } // readFileSync may return a slice of a shared pool

function parent() {
  const self = fileURLToPath(import.meta.url);
  const rounds = Number(process.env.ROUNDS ?? 2);
  const runs: Record<string, any[]> = { simd: [], threaded: [] };
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['simd', 'threaded']) {
      const text = execFileSync('npx', ['tsx', self, '--child', mode], { encoding: 'utf8', timeout: 600_000 });
      runs[mode].push(JSON.parse(text.trim().split('\n').pop()!));
    }
  }
  console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const mode of ['simd', 'threaded']) console.log(`${mode}: getThreadsCount() ${runs[mode][0].threads}; device: ${runs[mode][0].device}`);
  console.log('\n| model (B16 x L128, eval) | GFLOP | simd best s | threaded best s | ratio | threaded CPU/wall | max abs diff of logits |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const role of ['teacher', 'student']) {
    const best = (mode: string, key: string) => Math.min(...runs[mode].map((x) => x[role][key]));
    const s = best('simd', 'bestMs'), t = best('threaded', 'bestMs');
    const tc = runs.threaded.map((x) => x[role].cpuMs / x[role].bestMs);
    const a = f32(readFileSync(runs.simd[0][role].file));
    const b = f32(readFileSync(runs.threaded[0][role].file));
    let d = 0;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    const g = runs.simd[0][role].gflop;
    console.log(`| ${role} | ${g.toFixed(0)} | ${(s / 1e3).toFixed(2)} (${(g / s * 1e3).toFixed(1)} GFLOP/s) | ${(t / 1e3).toFixed(2)} (${(g / t * 1e3).toFixed(1)} GFLOP/s) | ${(s / t).toFixed(2)}x | ${Math.max(...tc).toFixed(2)} | ${d.toExponential(2)} |`);
  }
}
