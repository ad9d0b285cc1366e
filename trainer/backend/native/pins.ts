// The versions `lrc-distill setup-native` builds the native TensorFlow backend from, pinned with the
// hashes of the files it downloads. Why these (docs/native.md): tfjs-node 4.22.0 is the release that
// matches the bundled @tensorflow/tfjs; its binding is plain TF C API code, built here against the C
// library inside TensorFlow's own PyPI wheel instead of the libtensorflow 2.9.1 archive its install
// step downloads (that host answers 403 since 2026-08, tensorflow/tfjs#8742).

/** tfjs-node and tfjs-node-gpu: the same release as package.json's @tensorflow/tfjs. */
export const TFJS_NODE_VERSION = '4.22.0';

/** node-gyp, installed beside the binding for the build (its engines: Node ^18.17 or >=20.5). */
export const NODE_GYP_VERSION = '11.4.2';

/** N-API version the binding is built for: the highest of tfjs-node's binary.napi_versions (3-8). */
export const NAPI_BUILD_VERSION = 8;

/** TensorFlow's wheel. 2.18.1: the newest patch of the release TensorFlow Java 1.1.0 builds its native
 * library from (the same two shared libraries); its GPU build is for CUDA 12.5 and cuDNN 9.3. */
export const TENSORFLOW_VERSION = '2.18.1';

export type NativeVariant = 'cpu' | 'gpu';

export interface WheelPin {
  /** The PyPI project. */
  project: string;
  /** The wheel's file name: CPython 3.11 tags, though only its C libraries are used (any Python, or
   * none, runs the trainer). */
  file: string;
  sha256: string;
  /** The npm package whose binding is built against it. */
  tfjsPackage: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';
}

export const WHEELS: Record<NativeVariant, WheelPin> = {
  cpu: {
    project: 'tensorflow-cpu',
    file: `tensorflow_cpu-${TENSORFLOW_VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
    sha256: '810c75d7149d2da0cb2092187817b0dcabb80728ca9f9cf3a61f3f42fadd1298',
    tfjsPackage: '@tensorflow/tfjs-node',
  },
  gpu: {
    project: 'tensorflow',
    file: `tensorflow-${TENSORFLOW_VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
    sha256: 'c9f87e5d2a680a4595f5dc30daf6bbaec9d4129b46d7ef1b2af63c46ac7d2828',
    tfjsPackage: '@tensorflow/tfjs-node-gpu',
  },
};

/** The CUDA wheels of TensorFlow 2.18.1's "and-cuda" extra (its METADATA pins the versions), with the
 * sha256 of each file as PyPI publishes it (checked here against pypi.org/simple on 2026-12-08). A GPU
 * build downloads each with its hash and checks the cached ones; a requirement not listed here (the
 * extra of another TensorFlow given with --wheel) is downloaded unchecked, with a note. */
export const CUDA_WHEELS: Record<string, { file: string; sha256: string }> = {
  'nvidia-cublas-cu12==12.5.3.2': { file: 'nvidia_cublas_cu12-12.5.3.2-py3-none-manylinux2014_x86_64.whl', sha256: 'ca070ad70e9fa6654084575d01bd001f30cc4665e33d4bb9fc8e0f321caa034b' },
  'nvidia-cuda-cupti-cu12==12.5.82': { file: 'nvidia_cuda_cupti_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl', sha256: 'bde77a5feb66752ec61db2adfe47f56b941842825b4c7e2068aff27c9d107953' },
  'nvidia-cuda-nvcc-cu12==12.5.82': { file: 'nvidia_cuda_nvcc_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl', sha256: 'b03e545b8e8c3ce7ebcd7fc44063180ff52ff01d064ece2127ed90a04ef12cd0' },
  'nvidia-cuda-nvrtc-cu12==12.5.82': { file: 'nvidia_cuda_nvrtc_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl', sha256: '3dbd97b0104b4bfbc3c4f8c79cd2496307c89c43c29a9f83125f1d76296ff3fd' },
  'nvidia-cuda-runtime-cu12==12.5.82': { file: 'nvidia_cuda_runtime_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl', sha256: '3e79a060e126df40fd3a068f3f787eb000fa51b251ec6cd97d09579632687115' },
  'nvidia-cudnn-cu12==9.3.0.75': { file: 'nvidia_cudnn_cu12-9.3.0.75-py3-none-manylinux2014_x86_64.whl', sha256: '9ad9c6929ebb5295eb4a1728024666d1c88283373e265a0c5c883e6f9d5cd76d' },
  'nvidia-cufft-cu12==11.2.3.61': { file: 'nvidia_cufft_cu12-11.2.3.61-py3-none-manylinux2014_x86_64.whl', sha256: '9a6e8df162585750f61983a638104a48c756aa13f9f48e19ab079b38e3c828b8' },
  'nvidia-curand-cu12==10.3.6.82': { file: 'nvidia_curand_cu12-10.3.6.82-py3-none-manylinux2014_x86_64.whl', sha256: '2823fb27de4e44dbb22394a6adf53aa6e1b013aca0f8c22867d1cfae58405536' },
  'nvidia-cusolver-cu12==11.6.3.83': { file: 'nvidia_cusolver_cu12-11.6.3.83-py3-none-manylinux2014_x86_64.whl', sha256: '93cfafacde4428b71778eeb092ec615a02a3d05404da1bcf91c53e3fa1bce42b' },
  'nvidia-cusparse-cu12==12.5.1.3': { file: 'nvidia_cusparse_cu12-12.5.1.3-py3-none-manylinux2014_x86_64.whl', sha256: '016df8e993c437e8301e62739f01775cba988fd5253cd4c64173f8e8d2f8e752' },
  'nvidia-nccl-cu12==2.21.5': { file: 'nvidia_nccl_cu12-2.21.5-py3-none-manylinux2014_x86_64.whl', sha256: '8579076d30a8c24988834445f8d633c697d42397e92ffc3f63fa26766d25e0a0' },
  'nvidia-nvjitlink-cu12==12.5.82': { file: 'nvidia_nvjitlink_cu12-12.5.82-py3-none-manylinux2014_x86_64.whl', sha256: 'f9b37bc5c8cf7509665cb6ada5aaa0ce65618f2332b7d3e78e9790511f111212' },
};

/** pip's target for the wheel: the C libraries are the same for every Python of a release. */
export const PIP_PLATFORM = ['--python-version', '3.11', '--platform', 'manylinux2014_x86_64', '--only-binary=:all:'];
