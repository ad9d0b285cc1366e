// Backend selection. Each case runs in a fresh Node process: a tfjs backend can be chosen only once
// per process before its first use, and the WASM binaries' folder is fixed at its initialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWasmDir } from '../../../trainer/backend/select';

const root = join(__dirname, '..', '..', '..');

function select(options: object): { report?: Record<string, unknown>; error?: string } {
  const script = `
    const { selectBackend } = require('./trainer/backend/select');
    selectBackend(${JSON.stringify(options)}).then(
      (report) => console.log('RESULT ' + JSON.stringify({ report })),
      (err) => console.log('RESULT ' + JSON.stringify({ error: err.message })));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no result in output:\n${out}`);
  return JSON.parse(line.slice('RESULT '.length));
}

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

test('the default WASM folder holds the binaries', () => {
  assert.ok(existsSync(join(defaultWasmDir(), 'tfjs-backend-wasm-simd.wasm')));
});

test('without the native packages the choice is WASM, and the report says why the others were rejected', (t) => {
  if (installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')) {
    t.skip('a native TensorFlow.js package is installed here');
    return;
  }
  const { report } = select({});
  assert.equal(report?.backend, 'wasm');
  assert.equal(report?.package, '@tensorflow/tfjs-backend-wasm');
  assert.equal(report?.version, '4.22.0');
  assert.match(String(report?.device), /cores?; WASM SIMD (on|off), /);
  assert.deepEqual(report?.rejected, [
    { name: '@tensorflow/tfjs-node-gpu', reason: 'not installed (an optional dependency whose install step downloads the TensorFlow C library; where that download works: npm install @tensorflow/tfjs-node-gpu)' },
    { name: '@tensorflow/tfjs-node', reason: 'not installed (an optional dependency whose install step downloads the TensorFlow C library; where that download works: npm install @tensorflow/tfjs-node)' },
  ]);
});

test('a WASM folder without the binaries falls back to cpu and names the folder', () => {
  const { report } = select({ wasmDir: '/nonexistent/dist' });
  assert.equal(report?.backend, 'cpu');
  const wasm = (report?.rejected as { name: string; reason: string }[]).find((r) => r.name === '@tensorflow/tfjs-backend-wasm');
  assert.match(String(wasm?.reason), /the WASM binaries are not in \/nonexistent\/dist \(missing tfjs-backend-wasm\.wasm/);
});

test('a forced choice is used alone, or fails with the reason', (t) => {
  const cpu = select({ force: 'cpu' }).report;
  assert.equal(cpu?.backend, 'cpu');
  assert.deepEqual(cpu?.rejected, []);
  assert.match(String(select({ force: 'quantum' }).error), /unknown backend 'quantum': expected one of tensorflow, wasm, cpu/);
  if (installed('@tensorflow/tfjs-node')) {
    t.diagnostic('tfjs-node is installed: not checking the forced failure');
    return;
  }
  assert.match(
    String(select({ force: 'tensorflow' }).error),
    /no TensorFlow\.js backend could be started \(forced 'tensorflow'\): @tensorflow\/tfjs-node-gpu: not installed/,
  );
});
