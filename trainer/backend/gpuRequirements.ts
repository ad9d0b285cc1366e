// What the GPU backend (@tensorflow/tfjs-node-gpu built by `lrc-distill setup-native --gpu`) needs, in
// one place. The route: the binding of tfjs-node-gpu 4.22.0 built against the C library inside
// TensorFlow's own PyPI wheel (`tensorflow==2.18.1`, sha256 pinned in native/pins.ts), with the CUDA 12
// libraries from the NVIDIA wheels that wheel's METADATA pins (its "and-cuda" extra), laid out in
// deps/nvidia/<name>/lib where TensorFlow's RUNPATH ($ORIGIN/../nvidia/<name>/lib) finds them. Only the
// driver (libcuda.so.1) comes from the host. The GPU container (.devcontainer/Dockerfile) is checked
// against this when the image is built (.devcontainer/check-gpu-image.ts, through imageProblems below)
// and by unit tests (test/unit/gpu/), so that none of them can drift. Sources: docs/gpu.md, "Versions
// and where they come from".

export const gpuRequirements = {
  /** The npm package whose binding setup-native builds (native/pins.ts TFJS_NODE_VERSION). */
  tfjsNodeGpu: '4.22.0',
  /** TensorFlow, from the `tensorflow` wheel (native/pins.ts TENSORFLOW_VERSION); its C library says so
   * at run time (TF_Version) and the build's manifest records it. */
  tensorflow: '2.18.1',
  /** CUDA: TensorFlow's tested build configurations list tensorflow-2.18.0 with CUDA 12.5 and cuDNN 9.3,
   * and the 2.18.1 wheel's METADATA pins nvidia-cuda-runtime-cu12==12.5.82 (CUDA 12.5 Update 1's cudart,
   * NVIDIA's release notes, Table 1), nvidia-cublas-cu12==12.5.3.2 and the rest of CUDA 12.5. */
  cuda: '12.5',
  /** cuDNN: the METADATA pins nvidia-cudnn-cu12==9.3.0.75. */
  cudnn: '9.3',
  /** NVIDIA driver on the host (the container gets it from the NVIDIA Container Toolkit): CUDA 12.x runs
   * on drivers from 525.60.13 on through minor version compatibility (NVIDIA's CUDA release notes and
   * "CUDA Compatibility": CUDA 12.x >= 525); 555.42.06 is the driver CUDA 12.5 Update 1 ships with
   * (needed for PTX compiled by 12.5, e.g. a GPU newer than the wheel's built-in kernels). */
  driverMinimum: '525.60.13',
  driverOfToolkit: '555.42.06',
  /** Node.js: the project's engines.node (>=20.9.0) and the Node it is built and tested on (20.x). The
   * binding is N-API v8, which Node 20 (N-API 9) loads. */
  node: '20',
  /** TensorFlow's GPU wheel and the NVIDIA wheels are manylinux x86_64 only. */
  platform: 'linux-x64',
  /** The shared libraries TensorFlow 2.18's own loader opens when it starts a GPU (tsl DsoLoader:
   * GetCudaRuntime/Cublas/CublasLt/Cufft/Cusolver/Cusparse/CudnnDsoHandle), with the wheel folder under
   * deps/nvidia/ that holds each. Each was loaded from there by that loader on this project's machine
   * (docs/gpu.md). When one is missing TensorFlow logs "Could not load dynamic library" (at verbose level 1:
   * TF_CPP_MIN_LOG_LEVEL=0 TF_CPP_VMODULE=dso_loader=1) and runs on the CPU, without an error. libnvJitLink.so.12 is not opened by
   * TensorFlow but needed by cuSPARSE and cuSOLVER (their RUNPATH: ../../nvjitlink/lib). */
  cudaLibraries: [
    { soname: 'libcudart.so.12', dir: 'cuda_runtime' },
    { soname: 'libcublas.so.12', dir: 'cublas' },
    { soname: 'libcublasLt.so.12', dir: 'cublas' },
    { soname: 'libcufft.so.11', dir: 'cufft' },
    { soname: 'libcusolver.so.11', dir: 'cusolver' },
    { soname: 'libcusparse.so.12', dir: 'cusparse' },
    { soname: 'libcudnn.so.9', dir: 'cudnn' },
    { soname: 'libnvJitLink.so.12', dir: 'nvjitlink' },
  ],
} as const;

/** `found` is `required` or a patch of it: sameRelease('12.5.82', '12.5') and ('9.3.0.75', '9.3'). */
export function sameRelease(found: string, required: string): boolean {
  return found === required || found.startsWith(`${required}.`);
}

/** The version of a wheel file name's project (`nvidia_cudnn_cu12-9.3.0.75-py3-none-...whl`, 'nvidia-cudnn-cu12'). */
export function wheelVersionOf(files: readonly string[], project: string): string | undefined {
  const prefix = `${project.replace(/-/g, '_')}-`;
  return files.find((f) => f.startsWith(prefix))?.slice(prefix.length).split('-')[0];
}

/** What the image has, as the build-time check reads it. */
export interface ImageFacts {
  /** The base image's CUDA_VERSION (nvidia/cuda images set it, e.g. 12.5.1). */
  cudaVersion?: string;
  /** process.versions.node. */
  nodeVersion: string;
  /** `${process.platform}-${process.arch}`. */
  platform: string;
  /** The manifest of the setup-native gpu build (native.json; undefined: none). */
  build?: {
    package: string;
    tfjsNodeVersion: string;
    tensorflowVersion: string;
    cudaWheels: readonly string[];
    smoke: { backend: string; tfVersion: string };
  };
  /** `<dir>/<soname>` of every library under the build's deps/nvidia/<dir>/lib. */
  libraries: readonly string[];
}

/** Every way the image falls short of gpuRequirements, in words; empty when it meets them all. */
export function imageProblems(facts: ImageFacts, required = gpuRequirements): string[] {
  const problems: string[] = [];
  if (!facts.cudaVersion || !sameRelease(facts.cudaVersion, required.cuda)) {
    problems.push(`CUDA ${facts.cudaVersion ?? '(CUDA_VERSION not set)'} in the base image; TensorFlow ${required.tensorflow}'s libraries are CUDA ${required.cuda} (use an nvidia/cuda ${required.cuda} image)`);
  }
  if (!sameRelease(facts.nodeVersion, required.node)) {
    problems.push(`Node ${facts.nodeVersion} in the image; the project and the binding are set up for Node ${required.node}`);
  }
  if (facts.platform !== required.platform) {
    problems.push(`platform ${facts.platform}: TensorFlow's GPU wheel and the CUDA wheels are for ${required.platform} only`);
  }
  const build = facts.build;
  if (!build) {
    problems.push('no setup-native gpu build (its native.json): `lrc-distill setup-native --gpu` did not run or did not finish (see its output above)');
    return problems;
  }
  if (build.package !== '@tensorflow/tfjs-node-gpu' || build.tfjsNodeVersion !== required.tfjsNodeGpu) {
    problems.push(`the gpu build is ${build.package}@${build.tfjsNodeVersion}; expected @tensorflow/tfjs-node-gpu@${required.tfjsNodeGpu}`);
  }
  if (build.tensorflowVersion !== required.tensorflow || build.smoke.tfVersion !== required.tensorflow) {
    problems.push(`the gpu build is TensorFlow ${build.tensorflowVersion} (its C library says ${build.smoke.tfVersion}); expected ${required.tensorflow}`);
  }
  if (build.smoke.backend !== 'tensorflow') problems.push(`the gpu build's smoke test ran on '${build.smoke.backend}', not 'tensorflow'`);
  const cudart = wheelVersionOf(build.cudaWheels, 'nvidia-cuda-runtime-cu12');
  if (!cudart || !sameRelease(cudart, required.cuda)) {
    problems.push(`the gpu build's CUDA runtime wheel is ${cudart ?? '(none)'}; TensorFlow ${required.tensorflow} needs CUDA ${required.cuda}`);
  }
  const cudnn = wheelVersionOf(build.cudaWheels, 'nvidia-cudnn-cu12');
  if (!cudnn || !sameRelease(cudnn, required.cudnn)) {
    problems.push(`the gpu build's cuDNN wheel is ${cudnn ?? '(none)'}; TensorFlow ${required.tensorflow} needs cuDNN ${required.cudnn}`);
  }
  const missing = required.cudaLibraries.filter((lib) => !facts.libraries.includes(`${lib.dir}/${lib.soname}`));
  if (missing.length) {
    problems.push(`the gpu build has no ${missing.map((l) => `deps/nvidia/${l.dir}/lib/${l.soname}`).join(', ')}: TensorFlow would skip the GPU`);
  }
  return problems;
}
