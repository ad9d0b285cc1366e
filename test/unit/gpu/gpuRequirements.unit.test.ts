// imageProblems, the judgement of .devcontainer/check-gpu-image.ts (run by docker build and by
// lrc-gpu-check), on facts as the nvidia/cuda 12.5 image and `lrc-distill setup-native --gpu` would
// leave them: the manifest's fields and CUDA wheel names are those of the gpu build made on this
// project's machine (docs/gpu.md), and gpuRequirements is held to native/pins.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuRequirements, imageProblems, sameRelease, wheelVersionOf, type ImageFacts } from '../../../trainer/backend/gpuRequirements';
import { TENSORFLOW_VERSION, TFJS_NODE_VERSION, WHEELS } from '../../../trainer/backend/native/pins';
import { cudaRequirements } from '../../../trainer/backend/native/wheelSource';

const cudaWheels = [
  'nvidia_cublas_cu12-12.5.3.2-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cuda_cupti_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cuda_nvcc_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cuda_nvrtc_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cuda_runtime_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cudnn_cu12-9.3.0.75-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cufft_cu12-11.2.3.61-py3-none-manylinux2014_x86_64.whl',
  'nvidia_curand_cu12-10.3.6.82-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cusolver_cu12-11.6.3.83-py3-none-manylinux2014_x86_64.whl',
  'nvidia_cusparse_cu12-12.5.1.3-py3-none-manylinux2014_x86_64.whl',
  'nvidia_nccl_cu12-2.21.5-py3-none-manylinux2014_x86_64.whl',
  'nvidia_nvjitlink_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl',
];

const good: ImageFacts = {
  cudaVersion: '12.5.1',
  nodeVersion: '20.20.2',
  platform: 'linux-x64',
  build: {
    package: '@tensorflow/tfjs-node-gpu',
    tfjsNodeVersion: '4.22.0',
    tensorflowVersion: '2.18.1',
    cudaWheels,
    smoke: { backend: 'tensorflow', tfVersion: '2.18.1' },
  },
  libraries: [...gpuRequirements.cudaLibraries.map((l) => `${l.dir}/${l.soname}`), 'cudnn/libcudnn_ops.so.9', 'nccl/libnccl.so.2'],
};

test('gpuRequirements is what setup-native builds: the pinned tfjs-node-gpu, TensorFlow and GPU wheel', () => {
  assert.equal(gpuRequirements.tfjsNodeGpu, TFJS_NODE_VERSION);
  assert.equal(gpuRequirements.tensorflow, TENSORFLOW_VERSION);
  assert.equal(WHEELS.gpu.project, 'tensorflow');
  assert.equal(WHEELS.gpu.tfjsPackage, '@tensorflow/tfjs-node-gpu');
  assert.ok(WHEELS.gpu.file.startsWith(`tensorflow-${gpuRequirements.tensorflow}-`));
});

test("the CUDA and cuDNN releases are those the wheel's METADATA pins (its and-cuda extra, as in TensorFlow 2.18.1's)", () => {
  // The lines of tensorflow-2.18.1.dist-info/METADATA that name the runtime and cuDNN, verbatim.
  const metadata = [
    "Requires-Dist: nvidia-cuda-runtime-cu12 ==12.5.82 ; extra == 'and-cuda'",
    "Requires-Dist: nvidia-cudnn-cu12 ==9.3.0.75 ; extra == 'and-cuda'",
  ].join('\n');
  const pins = cudaRequirements(metadata);
  assert.deepEqual(pins, ['nvidia-cuda-runtime-cu12==12.5.82', 'nvidia-cudnn-cu12==9.3.0.75']);
  assert.ok(sameRelease(pins[0].split('==')[1], gpuRequirements.cuda));
  assert.ok(sameRelease(pins[1].split('==')[1], gpuRequirements.cudnn));
});

test('the CUDA libraries have CUDA 12 sonames, one of each, in the wheel folders TensorFlow looks in', () => {
  const sonames = gpuRequirements.cudaLibraries.map((l) => l.soname);
  assert.equal(new Set(sonames).size, sonames.length);
  for (const { soname } of gpuRequirements.cudaLibraries) assert.match(soname, /^lib[\w]+\.so\.(12|11|9)$/, soname);
  assert.ok(sonames.includes('libcudart.so.12') && sonames.includes('libcudnn.so.9'));
  assert.ok(!sonames.some((s) => s.startsWith('libcuda.so')), 'the driver comes from the host, not from a wheel');
});

test('sameRelease: a patch of the required release, not a prefix of another number', () => {
  assert.ok(sameRelease('12.5.1', '12.5'));
  assert.ok(sameRelease('12.5', '12.5'));
  assert.ok(sameRelease('9.3.0.75', '9.3'));
  assert.ok(!sameRelease('12.50.0', '12.5'));
  assert.ok(!sameRelease('12.4.1', '12.5'));
  assert.ok(sameRelease('20.20.2', '20'));
  assert.ok(!sameRelease('22.1.0', '20'));
});

test('wheelVersionOf reads a project version from wheel file names', () => {
  assert.equal(wheelVersionOf(cudaWheels, 'nvidia-cuda-runtime-cu12'), '12.5.82');
  assert.equal(wheelVersionOf(cudaWheels, 'nvidia-cudnn-cu12'), '9.3.0.75');
  assert.equal(wheelVersionOf(cudaWheels, 'nvidia-cuda-nvrtc'), undefined, 'a prefix of another project is not it');
});

test('an image as the Dockerfile should leave it has no problem', () => {
  assert.deepEqual(imageProblems(good), []);
});

test('an image where setup-native --gpu did not run or finish is named, and nothing else is judged of the build', () => {
  const problems = imageProblems({ ...good, build: undefined, libraries: [] });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^no setup-native gpu build \(its native\.json\): `lrc-distill setup-native --gpu` did not run or did not finish/);
});

test('each version that is off is named with the one required', () => {
  const problems = imageProblems({
    ...good,
    cudaVersion: '11.8.0',
    nodeVersion: '22.11.0',
    platform: 'linux-arm64',
    build: {
      package: '@tensorflow/tfjs-node',
      tfjsNodeVersion: '4.21.0',
      tensorflowVersion: '2.17.0',
      cudaWheels: cudaWheels.map((w) => w.replace('runtime_cu12-12.5.82', 'runtime_cu12-12.3.101').replace('cudnn_cu12-9.3.0.75', 'cudnn_cu12-8.9.7.29')),
      smoke: { backend: 'cpu', tfVersion: '2.17.0' },
    },
  });
  assert.deepEqual(problems, [
    "CUDA 11.8.0 in the base image; TensorFlow 2.18.1's libraries are CUDA 12.5 (use an nvidia/cuda 12.5 image)",
    'Node 22.11.0 in the image; the project and the binding are set up for Node 20',
    "platform linux-arm64: TensorFlow's GPU wheel and the CUDA wheels are for linux-x64 only",
    'the gpu build is @tensorflow/tfjs-node@4.21.0; expected @tensorflow/tfjs-node-gpu@4.22.0',
    'the gpu build is TensorFlow 2.17.0 (its C library says 2.17.0); expected 2.18.1',
    "the gpu build's smoke test ran on 'cpu', not 'tensorflow'",
    "the gpu build's CUDA runtime wheel is 12.3.101; TensorFlow 2.18.1 needs CUDA 12.5",
    "the gpu build's cuDNN wheel is 8.9.7.29; TensorFlow 2.18.1 needs cuDNN 9.3",
  ]);
});

test('a build without CUDA wheels (CUDA from the system) or without one of the libraries TensorFlow opens', () => {
  const problems = imageProblems({
    ...good,
    cudaVersion: undefined,
    build: { ...good.build!, cudaWheels: [] },
    libraries: good.libraries.filter((l) => l !== 'cudnn/libcudnn.so.9' && l !== 'cusolver/libcusolver.so.11'),
  });
  assert.deepEqual(problems, [
    "CUDA (CUDA_VERSION not set) in the base image; TensorFlow 2.18.1's libraries are CUDA 12.5 (use an nvidia/cuda 12.5 image)",
    "the gpu build's CUDA runtime wheel is (none); TensorFlow 2.18.1 needs CUDA 12.5",
    "the gpu build's cuDNN wheel is (none); TensorFlow 2.18.1 needs cuDNN 9.3",
    'the gpu build has no deps/nvidia/cusolver/lib/libcusolver.so.11, deps/nvidia/cudnn/lib/libcudnn.so.9: TensorFlow would skip the GPU',
  ]);
});
