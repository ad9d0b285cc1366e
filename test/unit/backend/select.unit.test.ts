// Backend selection. Each case runs in a fresh Node process: a tfjs backend can be chosen only once
// per process before its first use, and the WASM binaries' folder is fixed at its initialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWasmDir } from '../../../trainer/backend/select';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
/** An empty native home: the choice does not depend on what setup-native built on this machine. */
const emptyHome = tempDir('lrc-native-home-');

function select(options: object, nativeHome = emptyHome): { report?: Record<string, unknown>; error?: string } {
  const script = `
    const { selectBackend } = require('./trainer/backend/select');
    selectBackend(${JSON.stringify(options)}).then(
      (report) => console.log('RESULT ' + JSON.stringify({ report })),
      (err) => console.log('RESULT ' + JSON.stringify({ error: err.message })));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, LRC_NATIVE_HOME: nativeHome } });
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
    { name: '@tensorflow/tfjs-node-gpu', reason: "not installed (its npm install step downloads a libtensorflow that is no longer served; run 'lrc-distill setup-native --gpu' to build it from TensorFlow's PyPI wheel)" },
    { name: '@tensorflow/tfjs-node', reason: "not installed (its npm install step downloads a libtensorflow that is no longer served; run 'lrc-distill setup-native' to build it from TensorFlow's PyPI wheel)" },
  ]);
});

test('a setup-native build that does not load is passed over with its load error, and WASM is used', (t) => {
  if (installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')) {
    t.skip('a native TensorFlow.js package is installed here');
    return;
  }
  // a manifest whose package folder holds a binding that is not a shared library
  const home = tempDir('lrc-native-home-');
  const pkg = join(home, 'cpu', 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'dist/index.js' }));
  writeFileSync(join(pkg, 'dist', 'index.js'), "process.dlopen({ exports: {} }, __dirname + '/tfjs_binding.node');");
  writeFileSync(join(pkg, 'dist', 'tfjs_binding.node'), 'not an ELF file');
  const manifest = {
    variant: 'cpu', package: '@tensorflow/tfjs-node', tfjsNodeVersion: '4.22.0', tensorflowVersion: '2.18.1',
    wheel: { file: 'tensorflow_cpu-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', sha256: 'x', source: 'test' },
    cudaWheels: [], nodeAbi: process.versions.modules, napiVersion: 8, builtAt: new Date().toISOString(),
    smoke: { backend: 'tensorflow', tfVersion: '2.18.1', gpu: false, matMul: 54, gradient: [2, 4, 6] },
  };
  writeFileSync(join(home, 'cpu', 'native.json'), JSON.stringify(manifest));
  const { report } = select({}, home);
  assert.equal(report?.backend, 'wasm');
  const rejected = report?.rejected as { name: string; reason: string }[];
  assert.match(rejected.find((r) => r.name === '@tensorflow/tfjs-node')!.reason, /tfjs_binding\.node: (invalid ELF header|file too short)/);
  // the GPU package is not built: its own reason, not the CPU build's
  assert.match(rejected.find((r) => r.name === '@tensorflow/tfjs-node-gpu')!.reason, /setup-native --gpu/);
  if (existsSync('/dev/nvidiactl')) return t.diagnostic('an NVIDIA device is here: not checking the CPU build\'s precedence');
  // with a GPU build too but no NVIDIA device, the CPU build goes first
  mkdirSync(join(home, 'gpu'), { recursive: true });
  writeFileSync(join(home, 'gpu', 'native.json'), JSON.stringify({ ...manifest, variant: 'gpu', package: '@tensorflow/tfjs-node-gpu' }));
  const both = select({}, home).report?.rejected as { name: string; reason: string }[];
  assert.equal(both.find((r) => r.name === '@tensorflow/tfjs-node-gpu')!.reason, 'no NVIDIA GPU device here (no /dev/nvidiactl): the CPU build of TensorFlow is used instead');
  assert.match(both.find((r) => r.name === '@tensorflow/tfjs-node')!.reason, /tfjs_binding\.node/);
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
