// Checks a GPU image against trainer/backend/gpuRequirements.ts, then starts the backend the trainer
// would pick ('auto') and multiplies two matrices on it.
//
//   node --import tsx .devcontainer/check-gpu-image.ts                 # docker build runs this: no GPU there
//   node --import tsx .devcontainer/check-gpu-image.ts --require-gpu   # on a GPU host: fails unless TensorFlow uses the GPU
//
// In the image, `lrc-gpu-check` runs the second form. Exit 0 when all is well, 1 with every problem
// listed otherwise. Why a build-time check: npm skips an optional dependency whose install step fails,
// with a warning only, and TensorFlow skips a GPU whose CUDA libraries do not load, with a log line only;
// either way the trainer would quietly train on the CPU.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { gpuRequirements, imageProblems, type ImageFacts } from '../trainer/backend/gpuRequirements';
import { selectBackend } from '../trainer/backend/select';

const requireGpu = process.argv.includes('--require-gpu');

function run(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** Sonames in the linker cache and in LD_LIBRARY_PATH, where dlopen looks. */
function knownLibraries(): string[] {
  const cache = run('/sbin/ldconfig', ['-p']) ?? run('ldconfig', ['-p']) ?? '';
  const names = cache.split('\n').map((line) => line.trim().split(' ')[0]).filter((name) => name.startsWith('lib'));
  for (const dir of (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(dir)) names.push(...readdirSync(dir));
  }
  return [...new Set(names)];
}

function tfjsNodeGpu(): Pick<ImageFacts, 'tfjsNodeGpuVersion' | 'libtensorflowVersion' | 'libtensorflowPresent'> {
  let dir: string;
  try {
    dir = dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json'));
  } catch {
    return { libtensorflowPresent: false };
  }
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const constants = readFileSync(join(dir, 'scripts', 'deps-constants.js'), 'utf8');
  const libtensorflow = /LIBTENSORFLOW_VERSION\s*=\s*'([^']+)'/.exec(constants)?.[1];
  return {
    tfjsNodeGpuVersion: version,
    libtensorflowVersion: libtensorflow,
    libtensorflowPresent: libtensorflow !== undefined && existsSync(join(dir, 'deps', 'lib', `libtensorflow.so.${libtensorflow}`)),
  };
}

async function main(): Promise<number> {
  const facts: ImageFacts = {
    cudaVersion: process.env.CUDA_VERSION,
    cudnnPackageVersion: run('dpkg-query', ['-W', '-f=${Version}', 'libcudnn8'])?.trim() || undefined,
    nodeVersion: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    ...tfjsNodeGpu(),
    libraries: knownLibraries(),
  };
  console.log(`CUDA ${facts.cudaVersion ?? '-'}, libcudnn8 ${facts.cudnnPackageVersion ?? '-'}, Node ${facts.nodeVersion}, ${facts.platform}, ` +
    `@tensorflow/tfjs-node-gpu ${facts.tfjsNodeGpuVersion ?? '-'} (libtensorflow ${facts.libtensorflowVersion ?? '-'}); ` +
    `required: CUDA ${gpuRequirements.cuda}, cuDNN ${gpuRequirements.cudnn}, Node ${gpuRequirements.node}, tfjs-node-gpu ${gpuRequirements.tfjsNodeGpu} (libtensorflow ${gpuRequirements.libtensorflow})`);
  const problems = imageProblems(facts);

  if (facts.tfjsNodeGpuVersion !== undefined) {
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
      if (requireGpu && !onGpu) problems.push('TensorFlow found no GPU (see its log lines above: a CUDA library that did not load, or no GPU given to the container: docker run --gpus all)');
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
