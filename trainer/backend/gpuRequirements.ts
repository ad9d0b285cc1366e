// What @tensorflow/tfjs-node-gpu needs on the host, in one place. The GPU container
// (.devcontainer/Dockerfile) is checked against it when the image is built
// (.devcontainer/check-gpu-image.ts, through imageProblems below) and by a unit test
// (test/unit/gpu/containerVersions.unit.test.ts, against the Dockerfile, devcontainer.json,
// package.json and package-lock.json), so that none of them can drift from the others. How each
// fact was found: docs/gpu.md, "Versions and where they come from".

export const gpuRequirements = {
  /** The package, as package.json's optionalDependencies pin it (exact version). */
  tfjsNodeGpu: '4.22.0',
  /** The TensorFlow C library its install step downloads: `LIBTENSORFLOW_VERSION = '2.9.1'` in
   * scripts/deps-constants.js of the published 4.22.0 tarball (`npm pack @tensorflow/tfjs-node-gpu@4.22.0`),
   * fetched by scripts/install.js from storage.googleapis.com/tensorflow/libtensorflow/
   * libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz. The bump to 2.9.1 is tensorflow/tfjs PR #6786 (2022). */
  libtensorflow: '2.9.1',
  /** CUDA toolkit. tfjs-node's README (the one the tfjs-node-gpu package points to): "Linux GPU (Ubuntu
   * 14.04 or higher and Cuda 11.2 w/ CUDNN v8)", table "CUDA Toolkit 11.2"; a tfjs maintainer restates
   * it for 4.x in tensorflow/tfjs#8362 (2024). TensorFlow's tested build configurations list CUDA 11.2
   * with cuDNN 8.1 from 2.5 on, 2.9 included (docs/gpu.md says which copies of that table were read). */
  cuda: '11.2',
  /** cuDNN: the same README table, "cuDNN SDK 8.1.0" (and TensorFlow's table: 8.1). */
  cudnn: '8.1',
  /** NVIDIA driver, on the host (the container gets it from the NVIDIA Container Toolkit): the same
   * README table, "NVIDIA GPU drivers >450.x". */
  driverMajorAbove: 450,
  /** Node.js: the project's engines.node (>=20.9.0) and the Node it is built and tested on (v20.20.2,
   * bench/results/latest.md). tfjs-node-gpu 4.22.0 ships N-API v8 bindings (package.json binary.
   * napi_versions 3-8), which Node 20 (N-API 9) loads. */
  node: '20',
  /** The only Linux platform with a GPU build: ALL_SUPPORTED_COMBINATION in deps-constants.js lists
   * gpu-linux-x86_64 (and gpu-windows-x86_64), no arm64 GPU build. */
  platform: 'linux-x64',
  /** The shared libraries a TensorFlow 2.x built for CUDA 11.2 opens when it starts (dlopen, in its
   * log as "Successfully opened dynamic library ..."). When one is missing it logs "Could not load
   * dynamic library", skips the GPU and runs on the CPU, without an error. */
  cudaLibraries: [
    'libcudart.so.11.0',
    'libcublas.so.11',
    'libcublasLt.so.11',
    'libcufft.so.10',
    'libcurand.so.10',
    'libcusolver.so.11',
    'libcusparse.so.11',
    'libcudnn.so.8',
  ],
} as const;

/** `found` is `required` or a patch of it: sameRelease('11.2.2', '11.2') and ('8.1.1.33', '8.1'). */
export function sameRelease(found: string, required: string): boolean {
  return found === required || found.startsWith(`${required}.`);
}

/** What the image has, as the build-time check reads it. */
export interface ImageFacts {
  /** The base image's CUDA_VERSION (nvidia/cuda images set it, e.g. 11.2.2). */
  cudaVersion?: string;
  /** dpkg's version of libcudnn8, e.g. 8.1.1.33-1+cuda11.2. */
  cudnnPackageVersion?: string;
  /** process.versions.node. */
  nodeVersion: string;
  /** `${process.platform}-${process.arch}`. */
  platform: string;
  /** The installed @tensorflow/tfjs-node-gpu's package.json version (undefined: not installed). */
  tfjsNodeGpuVersion?: string;
  /** LIBTENSORFLOW_VERSION of its scripts/deps-constants.js. */
  libtensorflowVersion?: string;
  /** Whether its install step left deps/lib/libtensorflow.so.<version> behind. */
  libtensorflowPresent: boolean;
  /** Sonames the dynamic linker knows (ldconfig -p). */
  libraries: readonly string[];
}

/** Every way the image falls short of gpuRequirements, in words; empty when it meets them all. */
export function imageProblems(facts: ImageFacts, required = gpuRequirements): string[] {
  const problems: string[] = [];
  if (!facts.cudaVersion || !sameRelease(facts.cudaVersion, required.cuda)) {
    problems.push(`CUDA ${facts.cudaVersion ?? '(CUDA_VERSION not set)'} in the image; tfjs-node-gpu ${required.tfjsNodeGpu} needs CUDA ${required.cuda}`);
  }
  const cudnn = facts.cudnnPackageVersion?.split('-')[0];
  if (!cudnn || !sameRelease(cudnn, required.cudnn)) {
    problems.push(`cuDNN ${cudnn ?? '(libcudnn8 not installed)'} in the image; tfjs-node-gpu ${required.tfjsNodeGpu} needs cuDNN ${required.cudnn}`);
  }
  if (!sameRelease(facts.nodeVersion, required.node)) {
    problems.push(`Node ${facts.nodeVersion} in the image; the project and tfjs-node-gpu's N-API binding are set up for Node ${required.node}`);
  }
  if (facts.platform !== required.platform) {
    problems.push(`platform ${facts.platform}: tfjs-node-gpu has a GPU build for ${required.platform} only`);
  }
  if (facts.tfjsNodeGpuVersion === undefined) {
    problems.push('@tensorflow/tfjs-node-gpu is not installed: npm skips an optional dependency whose install step fails (see the npm ci output above; its install downloads libtensorflow from storage.googleapis.com)');
  } else if (facts.tfjsNodeGpuVersion !== required.tfjsNodeGpu) {
    problems.push(`@tensorflow/tfjs-node-gpu ${facts.tfjsNodeGpuVersion} is installed; expected ${required.tfjsNodeGpu}`);
  }
  if (facts.tfjsNodeGpuVersion !== undefined) {
    if (facts.libtensorflowVersion !== required.libtensorflow) {
      problems.push(`tfjs-node-gpu downloads libtensorflow ${facts.libtensorflowVersion ?? '(unknown)'}; expected ${required.libtensorflow}, the version CUDA ${required.cuda} / cuDNN ${required.cudnn} go with`);
    }
    if (!facts.libtensorflowPresent) problems.push('tfjs-node-gpu is installed but its libtensorflow is not (deps/lib): its install step did not finish');
  }
  const missing = required.cudaLibraries.filter((lib) => !facts.libraries.includes(lib));
  if (missing.length) {
    problems.push(`the dynamic linker does not know ${missing.join(', ')}: TensorFlow would skip the GPU (use an nvidia/cuda ${required.cuda} cudnn runtime or devel image)`);
  }
  return problems;
}
