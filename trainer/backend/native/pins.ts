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

/** pip's target for the wheel: the C libraries are the same for every Python of a release. */
export const PIP_PLATFORM = ['--python-version', '3.11', '--platform', 'manylinux2014_x86_64', '--only-binary=:all:'];
