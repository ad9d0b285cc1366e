// The GPU path of the backend choice, without a GPU: chooseBackend with loaders of our own (what
// selectBackend does with the real packages), and describeNative with stand-ins for what
// tfjs-node-gpu 4.22.0 exports (version['tfjs-node']) and what its backend reports (isUsingGpuDevice,
// binding.TF_Version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendPreference, chooseBackend, describeNative, type BackendCandidate } from '../../../trainer/backend/select';

function notInstalled(pkg: string): Error {
  return Object.assign(new Error(`Cannot find module '${pkg}'\nRequire stack:\n- /x/dist/trainer.js`), { code: 'MODULE_NOT_FOUND' });
}

function fake(backend: BackendCandidate['backend'], pkg: string, outcome: { device: string } | Error, tried: string[]): BackendCandidate {
  return {
    backend,
    package: pkg,
    load: async () => {
      tried.push(pkg);
      if (outcome instanceof Error) throw outcome;
      return { version: '4.22.0', device: outcome.device };
    },
  };
}

function machine(tried: string[], gpu: { device: string } | Error): BackendCandidate[] {
  return [
    fake('tensorflow', '@tensorflow/tfjs-node-gpu', gpu, tried),
    fake('tensorflow', '@tensorflow/tfjs-node', notInstalled('@tensorflow/tfjs-node'), tried),
    fake('wasm', '@tensorflow/tfjs-backend-wasm', { device: 'wasm' }, tried),
    fake('cpu', '@tensorflow/tfjs-backend-cpu', { device: 'js' }, tried),
  ];
}

test("'auto' tries tfjs-node-gpu first, then tfjs-node, WASM and plain JS", () => {
  assert.deepEqual(backendPreference, ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']);
});

test("with tfjs-node-gpu installed, 'auto' and 'tensorflow' take it and try nothing else", async () => {
  for (const force of [undefined, 'tensorflow'] as const) {
    const tried: string[] = [];
    const report = await chooseBackend(machine(tried, { device: 'TensorFlow 2.9.1 C library with CUDA, on the GPU' }), { force });
    assert.deepEqual(report, {
      backend: 'tensorflow',
      package: '@tensorflow/tfjs-node-gpu',
      version: '4.22.0',
      device: 'TensorFlow 2.9.1 C library with CUDA, on the GPU',
      rejected: [],
    });
    assert.deepEqual(tried, ['@tensorflow/tfjs-node-gpu']);
  }
});

test('a tfjs-node-gpu that is not installed, or fails to load, is named with the reason and the next backend is used', async () => {
  const missing = await chooseBackend(machine([], notInstalled('@tensorflow/tfjs-node-gpu')));
  assert.equal(missing.backend, 'wasm');
  assert.match(missing.rejected[0].reason, /^not installed \(an optional dependency whose install step downloads the TensorFlow C library/);

  const broken = new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions..node');
  const failed = await chooseBackend(machine([], broken));
  assert.deepEqual(failed.rejected.map((r) => r.name), ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  assert.equal(failed.rejected[0].reason, 'libtensorflow.so.2: cannot open shared object file: No such file or directory');
});

test("a forced 'wasm' does not load tfjs-node-gpu at all", async () => {
  const tried: string[] = [];
  const report = await chooseBackend(machine(tried, { device: 'gpu' }), { force: 'wasm' });
  assert.equal(report.backend, 'wasm');
  assert.deepEqual(tried, ['@tensorflow/tfjs-backend-wasm']);
  assert.deepEqual(report.rejected, []);
});

const gpuPackage = { version: { 'tfjs-core': '4.22.0', 'tfjs-node': '4.22.0' } }; // tfjs-node-gpu's export: no 'tfjs-node-gpu' key

test('tfjs-node-gpu on a GPU: its version, the TensorFlow version, and the GPU with the devices it was given', () => {
  const backend = { isUsingGpuDevice: true, binding: { TF_Version: '2.9.1' } };
  const { version, device } = describeNative('@tensorflow/tfjs-node-gpu', gpuPackage, backend, { CUDA_VISIBLE_DEVICES: '0' });
  assert.equal(version, '4.22.0');
  assert.match(device, /^TensorFlow 2\.9\.1 C library with CUDA, on the GPU \(CUDA_VISIBLE_DEVICES=0\); host .+ logical cores?$/);
  assert.doesNotMatch(describeNative('@tensorflow/tfjs-node-gpu', gpuPackage, backend, {}).device, /CUDA_VISIBLE_DEVICES/);
});

test('tfjs-node-gpu without a GPU says that TensorFlow runs on the CPU, and what to check', () => {
  const backend = { isUsingGpuDevice: false, binding: { TF_Version: '2.9.1' } };
  const { device } = describeNative('@tensorflow/tfjs-node-gpu', gpuPackage, backend, { CUDA_VISIBLE_DEVICES: '0' });
  assert.match(device, /^TensorFlow 2\.9\.1 C library with CUDA, but TensorFlow found no GPU and runs on the CPU: /);
  assert.match(device, /--gres=gpu/);
  assert.match(device, /CUDA 11\.2 and cuDNN 8\.1 load/);
});

test('tfjs-node (the CPU package) is described as before, with the TensorFlow version when the binding gives it', () => {
  const cpu = describeNative('@tensorflow/tfjs-node', gpuPackage, { isUsingGpuDevice: false, binding: { TF_Version: '2.9.1' } });
  assert.match(cpu.device, /^TensorFlow 2\.9\.1 C library; .+ logical cores?$/);
  const bare = describeNative('@tensorflow/tfjs-node', {}, undefined);
  assert.equal(bare.version, 'unknown');
  assert.match(bare.device, /^TensorFlow C library; /);
});
