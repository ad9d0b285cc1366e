#!/usr/bin/env node
// The `native` test tier: the trainer on TensorFlow's native backend. Provisions it when missing
// (`lrc-distill setup-native`: TensorFlow's PyPI wheel, tfjs-node built against it, into the native home,
// ~/.cache/lrc-distill/native or LRC_NATIVE_HOME, where later runs find it), then runs with node:test and
// LRC_TEST_BACKEND=tensorflow:
//   - test/native/**/*.native.test.ts: the backend choice, TensorFlow's kernels only, a tiny teacher +
//     LRC + MSE distillation against WASM on the same seeds, checkpoints resumed across the backends;
//   - the unit files that are about the method, not one backend (BACKEND_INDEPENDENT below): losses and
//     their float64 references, finite-difference gradients, gradient perturbation, the model, AdamW,
//     the training steps, checkpoints and the session loop, whose useBackend('wasm') then means tensorflow.
// Left out: the WASM kernels' own tests, and the three teacher-output cache and store files that assert
// bit-identical runs with the cache partly filled: TensorFlow's GEMM gives a row a result that depends on
// how many rows share the call (1 float32 ulp, docs/native.md), so there the cache is exact to rounding only.
// A build that cannot be made fails the tier, with the one-line reason setup-native gives.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');

const BACKEND_INDEPENDENT = [
  'test/unit/losses',
  'test/unit/train',
  'test/unit/model',
  'test/unit/optim',
  'test/unit/pretrain',
  'test/unit/session',
  'test/unit/checkpoint/trainingCheckpoint.unit.test.ts',
  'test/unit/data/batches.unit.test.ts',
];
const EXACT_CACHE_FILES = ['test/unit/session/teacherCache.unit.test.ts', 'test/unit/session/teacherStore.unit.test.ts'];

function findTests(path, suffix) {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => {
    const p = join(full, name);
    if (statSync(p).isDirectory()) return findTests(relative(root, p), suffix);
    return name.endsWith(suffix) ? [relative(root, p)] : [];
  });
}

function nativeStatus() {
  const r = spawnSync(process.execPath, [cli, 'setup-native', 'status', '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`setup-native status failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const status = nativeStatus();
if (!status.builds.find((b) => b.variant === 'cpu')?.manifest) {
  console.log(`native: no native TensorFlow build in ${status.home}: lrc-distill setup-native (about a minute; cached for later runs)`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, 'setup-native'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('native: 0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`native: built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const files = [
  ...findTests('test/native', '.native.test.ts'),
  ...BACKEND_INDEPENDENT.flatMap((p) => findTests(p, '.unit.test.ts')).filter((f) => !EXACT_CACHE_FILES.includes(f)),
].sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LRC_TEST_BACKEND: 'tensorflow' },
});
process.exit(r.status ?? 1);
