// Checks a GPU image against trainer/backend/gpuRequirements.ts, then starts the backend the trainer
// would pick ('auto') and multiplies two matrices on it.
//
//   node --import tsx .devcontainer/check-gpu-image.ts                 # docker build runs this: no GPU there
//   node --import tsx .devcontainer/check-gpu-image.ts --require-gpu   # on a GPU host: fails unless TensorFlow uses the GPU
//
// In the image, `lrc-gpu-check` runs the second form. Exit 0 when all is well, 1 with every problem
// listed otherwise. What it reads: the base image's CUDA_VERSION, Node, and the build that
// `lrc-distill setup-native --gpu` made in the native home (LRC_NATIVE_HOME): its manifest (native.json:
// tfjs-node-gpu, TensorFlow, the CUDA wheels, the smoke test) and the CUDA libraries under its
// deps/nvidia/<name>/lib. Why a check: TensorFlow skips a GPU whose CUDA libraries do not load, with an
// info line only, and the trainer would quietly train on the CPU.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gpuRequirements, imageProblems, type ImageFacts } from '../trainer/backend/gpuRequirements';
import { nativeHome, packageDir, readManifest, variantDir } from '../trainer/backend/native/nativeHome';
import { selectBackend } from '../trainer/backend/select';

const requireGpu = process.argv.includes('--require-gpu');

/** `<dir>/<file>` of each library in deps/nvidia/<dir>/lib of the gpu build's package. */
function nvidiaLibraries(pkgDir: string): string[] {
  const root = join(pkgDir, 'deps', 'nvidia');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const dir of readdirSync(root)) {
    const lib = join(root, dir, 'lib');
    if (existsSync(lib)) out.push(...readdirSync(lib).map((file) => `${dir}/${file}`));
  }
  return out;
}

async function main(): Promise<number> {
  const home = nativeHome();
  const manifest = readManifest('gpu', home);
  const pkgDir = manifest ? packageDir(variantDir('gpu', home), manifest.package) : undefined;
  const facts: ImageFacts = {
    cudaVersion: process.env.CUDA_VERSION,
    nodeVersion: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    build: manifest,
    libraries: pkgDir ? nvidiaLibraries(pkgDir) : [],
  };
  const wheels = manifest?.cudaWheels.map((w) => w.split('-').slice(0, 2).join(' ')).join(', ');
  console.log(`CUDA ${facts.cudaVersion ?? '-'} (base image), Node ${facts.nodeVersion}, ${facts.platform}; native home ${home}: ` +
    (manifest ? `${manifest.package}@${manifest.tfjsNodeVersion} on TensorFlow ${manifest.tensorflowVersion} (${manifest.wheel.source}); CUDA wheels: ${wheels || 'none'}` : 'no gpu build'));
  console.log(`required: TensorFlow ${gpuRequirements.tensorflow}, CUDA ${gpuRequirements.cuda}, cuDNN ${gpuRequirements.cudnn}, Node ${gpuRequirements.node}, ` +
    `tfjs-node-gpu ${gpuRequirements.tfjsNodeGpu}; on the host an NVIDIA driver >= ${gpuRequirements.driverMinimum}`);
  const problems = imageProblems(facts);

  if (manifest) {
    // on a GPU host, TensorFlow's loader names each CUDA library it opened or could not open (its
    // verbose level 1, for that one file)
    if (requireGpu) {
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '0';
      process.env.TF_CPP_VMODULE ??= 'dso_loader=1';
    }
    const report = await selectBackend();
    console.log(`backend 'auto': ${report.backend} from ${report.package} ${report.version} on ${report.device}`);
    for (const r of report.rejected) console.log(`  not used: ${r.name}: ${r.reason}`);
    if (report.package !== '@tensorflow/tfjs-node-gpu') problems.push(`'auto' picked ${report.package}, not @tensorflow/tfjs-node-gpu`);
    else {
      const n = 2048;
      const a = tf.randomUniform([n, n]);
      const b = tf.randomUniform([n, n]);
      tf.matMul(a, b).dispose(); // warm-up: kernels, cuBLAS handles
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync(); // waits for the device
      const seconds = (performance.now() - t0) / 1000;
      console.log(`matMul ${n}x${n}x${n} float32: ${seconds.toFixed(4)} s, ${((2 * n ** 3) / seconds / 1e9).toFixed(1)} GFLOP/s (one run, includes the copy back)`);
      tf.dispose([a, b, c]);
      const onGpu = (tf.backend() as { isUsingGpuDevice?: unknown }).isUsingGpuDevice === true;
      if (requireGpu && !onGpu) problems.push(`TensorFlow found no GPU (its lines above: 'Could not load dynamic library' names a CUDA library that did not load; 'failed call to cuInit' means no GPU or driver was given to the container: docker run --gpus all, driver >= ${gpuRequirements.driverMinimum})`);
    }
  }

  if (problems.length === 0) {
    console.log(requireGpu ? 'GPU image: all requirements met, TensorFlow runs on the GPU.' : 'GPU image: all requirements met (no GPU is needed for this check).');
    return 0;
  }
  console.error(`GPU image: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) console.error(`- ${p}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
