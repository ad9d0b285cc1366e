// imageProblems, the judgement of .devcontainer/check-gpu-image.ts (run by docker build and by
// lrc-gpu-check), on facts as the nvidia/cuda 11.2.2 cuDNN 8 image and npm ci would leave them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuRequirements, imageProblems, sameRelease, type ImageFacts } from '../../../trainer/backend/gpuRequirements';

const good: ImageFacts = {
  cudaVersion: '11.2.2',
  cudnnPackageVersion: '8.1.1.33-1+cuda11.2',
  nodeVersion: '20.20.2',
  platform: 'linux-x64',
  tfjsNodeGpuVersion: '4.22.0',
  libtensorflowVersion: '2.9.1',
  libtensorflowPresent: true,
  libraries: ['libc.so.6', ...gpuRequirements.cudaLibraries, 'libnvidia-ml.so.1'],
};

test('sameRelease: a patch of the required release, not a prefix of another number', () => {
  assert.ok(sameRelease('11.2.2', '11.2'));
  assert.ok(sameRelease('11.2', '11.2'));
  assert.ok(sameRelease('8.1.1.33', '8.1'));
  assert.ok(!sameRelease('11.20.0', '11.2'));
  assert.ok(!sameRelease('11.8.0', '11.2'));
  assert.ok(sameRelease('20.20.2', '20'));
  assert.ok(!sameRelease('22.1.0', '20'));
});

test('an image as the Dockerfile should leave it has no problem', () => {
  assert.deepEqual(imageProblems(good), []);
});

test('npm skipping tfjs-node-gpu (its install step failed) is named, with where its download goes', () => {
  const problems = imageProblems({ ...good, tfjsNodeGpuVersion: undefined, libtensorflowVersion: undefined, libtensorflowPresent: false });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /@tensorflow\/tfjs-node-gpu is not installed: npm skips an optional dependency whose install step fails/);
  assert.match(problems[0], /storage\.googleapis\.com/);
});

test('each version that is off is named with the one required', () => {
  const problems = imageProblems({
    ...good,
    cudaVersion: '11.8.0',
    cudnnPackageVersion: '8.6.0.163-1+cuda11.8',
    nodeVersion: '22.11.0',
    platform: 'linux-arm64',
    tfjsNodeGpuVersion: '4.21.0',
    libtensorflowVersion: '2.7.0',
  });
  assert.deepEqual(problems, [
    'CUDA 11.8.0 in the image; tfjs-node-gpu 4.22.0 needs CUDA 11.2',
    'cuDNN 8.6.0.163 in the image; tfjs-node-gpu 4.22.0 needs cuDNN 8.1',
    "Node 22.11.0 in the image; the project and tfjs-node-gpu's N-API binding are set up for Node 20",
    'platform linux-arm64: tfjs-node-gpu has a GPU build for linux-x64 only',
    '@tensorflow/tfjs-node-gpu 4.21.0 is installed; expected 4.22.0',
    'tfjs-node-gpu downloads libtensorflow 2.7.0; expected 2.9.1, the version CUDA 11.2 / cuDNN 8.1 go with',
  ]);
});

test('a base image without CUDA, cuDNN or one of the libraries TensorFlow opens', () => {
  const problems = imageProblems({
    ...good,
    cudaVersion: undefined,
    cudnnPackageVersion: undefined,
    libtensorflowPresent: false,
    libraries: good.libraries.filter((l) => l !== 'libcudnn.so.8' && l !== 'libcusolver.so.11'),
  });
  assert.deepEqual(problems, [
    'CUDA (CUDA_VERSION not set) in the image; tfjs-node-gpu 4.22.0 needs CUDA 11.2',
    'cuDNN (libcudnn8 not installed) in the image; tfjs-node-gpu 4.22.0 needs cuDNN 8.1',
    'tfjs-node-gpu is installed but its libtensorflow is not (deps/lib): its install step did not finish',
    'the dynamic linker does not know libcusolver.so.11, libcudnn.so.8: TensorFlow would skip the GPU (use an nvidia/cuda 11.2 cudnn runtime or devel image)',
  ]);
});
