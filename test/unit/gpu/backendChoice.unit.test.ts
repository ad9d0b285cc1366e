// The GPU path of the backend choice, without a GPU: chooseBackend with loaders of our own (what
// selectBackend does with the real packages), and describeNative with stand-ins for what
// tfjs-node-gpu 4.22.0 exports (version['tfjs-node']) and what its backend reports (isUsingGpuDevice,
// binding.TF_Version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendPreference, chooseBackend, describeNative, type BackendCandidate } from '../../../trainer/backend/select';
import type { NativeManifest } from '../../../trainer/backend/native/nativeHome';
import { requireNative } from '../../../trainer/backend/native/requireNative';

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

/** What requireNative throws for the gpu package with neither node_modules nor a setup-native build
 * (an empty native home): the real error, not a stand-in. */
function gpuNotBuilt(): unknown {
  const home = mkdtempSync(join(tmpdir(), 'lrc-native-empty-'));
  try {
    requireNative('@tensorflow/tfjs-node-gpu', 'gpu', { LRC_NATIVE_HOME: home });
  } catch (err) {
    return err;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  assert.fail('requireNative loaded a tfjs-node-gpu from an empty native home');
}

test('a tfjs-node-gpu that is not installed, or fails to load, is named with the reason and the next backend is used', async () => {
  const missing = await chooseBackend(machine([], gpuNotBuilt() as Error));
  assert.equal(missing.backend, 'wasm');
  assert.match(missing.rejected[0].reason, /^not installed \(its npm install step downloads a libtensorflow that is no longer served; run 'lrc-distill setup-native --gpu'/);

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
  // without a manifest (a node_modules install) the versions are gpuRequirements'
  assert.match(device, /CUDA 12\.5 and cuDNN 9\.3 load/);
});

test('tfjs-node (the CPU package) is described as before, with the TensorFlow version when the binding gives it', () => {
  const cpu = describeNative('@tensorflow/tfjs-node', gpuPackage, { isUsingGpuDevice: false, binding: { TF_Version: '2.9.1' } });
  assert.match(cpu.device, /^TensorFlow 2\.9\.1 C library, CPU: .+ logical cores?$/);
  const bare = describeNative('@tensorflow/tfjs-node', {}, undefined);
  assert.equal(bare.version, 'unknown');
  assert.match(bare.device, /^TensorFlow C library, CPU: /);
});

// The manifest `lrc-distill setup-native --gpu` wrote on this project's machine (its fields as written;
// the wheel list cut to the two the report reads and one more).
const gpuBuild: NativeManifest = {
  variant: 'gpu',
  package: '@tensorflow/tfjs-node-gpu',
  tfjsNodeVersion: '4.22.0',
  tensorflowVersion: '2.18.1',
  wheel: { file: 'tensorflow-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', sha256: 'c9f87e5d2a680a4595f5dc30daf6bbaec9d4129b46d7ef1b2af63c46ac7d2828', source: 'PyPI tensorflow==2.18.1 (sha256 checked)' },
  cudaWheels: [
    'nvidia_cublas_cu12-12.5.3.2-py3-none-manylinux2014_x86_64.whl',
    'nvidia_cuda_runtime_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl',
    'nvidia_cudnn_cu12-9.3.0.75-py3-none-manylinux2014_x86_64.whl',
  ],
  nodeAbi: '115',
  napiVersion: 8,
  builtAt: '2026-12-07T17:51:11.494Z',
  smoke: { backend: 'tensorflow', tfVersion: '2.18.1', gpu: false, matMul: 54, gradient: [2, 4, 6] },
};

test('the setup-native gpu build without a GPU: TensorFlow from the wheel with the CUDA of its wheels, on the CPU, and how to see why', () => {
  const backend = { isUsingGpuDevice: false, binding: { TF_Version: '2.18.1' } };
  const { version, device } = describeNative('@tensorflow/tfjs-node-gpu', gpuPackage, backend, {}, gpuBuild);
  assert.equal(version, '4.22.0');
  assert.match(device, /^TensorFlow 2\.18\.1 from the tensorflow wheel \(setup-native\) with CUDA 12\.5\.82, but TensorFlow found no GPU and runs on the CPU: /);
  assert.match(device, /CUDA 12\.5\.82 and cuDNN 9\.3\.0\.75 load/);
  // TensorFlow 2.18 logs a CUDA library it cannot open at verbose level 1, which is off by default
  assert.match(device, /TF_CPP_MIN_LOG_LEVEL=0 TF_CPP_VMODULE=dso_loader=1 /);
});

test('the setup-native gpu build on a GPU names the GPU (nvidia-smi) and the devices it was given', () => {
  const backend = { isUsingGpuDevice: true, binding: { TF_Version: '2.18.1' } };
  const { device } = describeNative('@tensorflow/tfjs-node-gpu', gpuPackage, backend, { CUDA_VISIBLE_DEVICES: '1' }, gpuBuild, () => 'NVIDIA A100-SXM4-40GB');
  assert.match(device, /^TensorFlow 2\.18\.1 from the tensorflow wheel \(setup-native\) with CUDA 12\.5\.82, on the GPU NVIDIA A100-SXM4-40GB \(CUDA_VISIBLE_DEVICES=1\); host /);
});
