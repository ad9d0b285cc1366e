// Chooses the TensorFlow.js backend when the trainer starts. Preference order: the native TensorFlow
// binding with CUDA (@tensorflow/tfjs-node-gpu), the native binding for the CPU (@tensorflow/tfjs-node),
// WebAssembly (@tensorflow/tfjs-backend-wasm, with the training kernels it lacks), plain JS ('cpu').
// The native packages are optional: they come from node_modules where npm could install them, or from
// the build `lrc-distill setup-native` makes from TensorFlow's PyPI wheel (backend/native/), and a
// failure to load is recorded in the report instead of stopping the trainer.
// tfjs-node-gpu loads without a GPU too (TensorFlow then runs on the CPU), so the report's device
// says whether TensorFlow found a GPU.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { cpuDescription, wasmDeviceDescription } from './device';
import { gpuRequirements } from './gpuRequirements';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { enableWasmThreads, threadedWasmFiles } from './wasmThreads';
import { UserError } from '../errors';
import type { NativeManifest } from './native/nativeHome';
import { nativeAvailable, requireNative } from './native/requireNative';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoiceOptions {
  /** Use this backend or fail (no fallback). Default: the best that loads. */
  force?: BackendName;
  /** Folder of the tfjs-backend-wasm .wasm binaries. Default: the installed package's dist folder
   * (the trainer bundle passes its own folder, where the build copies them). */
  wasmDir?: string;
  /** Threads of the WASM backend (the threaded SIMD build when above 1; trainer/backend/wasmThreads.ts).
   * Default 1: the pthread workers keep a process alive, so only entry points that end with
   * process.exit (the CLI, the trainer server) ask for more, from resolveThreads. */
  threads?: number;
  /** Where `threads` came from (resolveThreads' source), shown in the device line. */
  threadsSource?: string;
}

export interface BackendReport {
  /** The TensorFlow.js backend in use: 'tensorflow', 'wasm' or 'cpu'. */
  backend: BackendName;
  /** The npm package that provides it. */
  package: string;
  version: string;
  /** CPU model and cores, WASM SIMD and threads, or the native binding's device. */
  device: string;
  /** Better backends that were tried, with their load error. */
  rejected: { name: string; reason: string }[];
}

/** The binaries tfjs-backend-wasm picks from with one thread (plain and SIMD). */
const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

export interface BackendCandidate {
  backend: BackendName;
  package: string;
  /** Loads the package and makes its backend current; returns the version and device, or throws. */
  load(options: BackendChoiceOptions): Promise<{ version: string; device: string }>;
}

const candidates: BackendCandidate[] = [
  {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node-gpu',
    load: () => {
      // Without an NVIDIA device, TensorFlow's CUDA build would run on the CPU: the CPU build does that
      // as well with a smaller library, so it goes first when there is one.
      if (nativeAvailable('@tensorflow/tfjs-node-gpu', 'gpu') && !nvidiaDevicePresent() && nativeAvailable('@tensorflow/tfjs-node', 'cpu')) {
        throw new Error('no NVIDIA GPU device here (no /dev/nvidiactl): the CPU build of TensorFlow is used instead');
      }
      return loadNative('@tensorflow/tfjs-node-gpu', 'gpu');
    },
  },
  {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node',
    load: () => loadNative('@tensorflow/tfjs-node', 'cpu'),
  },
  {
    backend: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    load: async ({ wasmDir, threads = 1, threadsSource }) => {
      const dir = wasmDir ?? defaultWasmDir();
      const needed = threads > 1 ? [...WASM_BINARIES, THREADED_BINARY] : WASM_BINARIES;
      const missing = needed.filter((name) => !existsSync(path.join(dir, name)));
      if (missing.length) throw new Error(`the WASM binaries are not in ${dir} (missing ${missing.join(', ')})`);
      setWasmPaths(withSlash(dir));
      registerWasmTrainingKernels();
      const restore = threads > 1 ? enableWasmThreads(threads, threadedWasmFiles(wasmDir)) : () => {};
      try {
        await activate('wasm');
      } finally {
        restore();
      }
      return { version: version_wasm, device: wasmDeviceDescription(getThreadsCount(), threadsSource) };
    },
  },
  {
    backend: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    load: async () => {
      await activate('cpu');
      return { version: tf.version['tfjs-backend-cpu'] ?? tf.version_core, device: `${cpuDescription()}; plain JavaScript, 1 thread` };
    },
  },
];

/** The packages 'auto' tries, best first. */
export const backendPreference: readonly string[] = candidates.map((c) => c.package);

export async function selectBackend(options: BackendChoiceOptions = {}): Promise<BackendReport> {
  return chooseBackend(candidates, options);
}

/** The first of `list` that loads (only those of `force`, when given), with why the better ones did
 * not. selectBackend passes the real packages; tests pass loaders of their own. */
export async function chooseBackend(list: readonly BackendCandidate[], options: BackendChoiceOptions = {}): Promise<BackendReport> {
  const { force } = options;
  if (force !== undefined && !list.some((c) => c.backend === force)) {
    throw new UserError(`unknown backend '${String(force)}': expected one of tensorflow, wasm, cpu`);
  }
  const rejected: BackendReport['rejected'] = [];
  for (const candidate of list) {
    if (force && candidate.backend !== force) continue;
    try {
      const { version, device } = await candidate.load(options);
      return { backend: candidate.backend, package: candidate.package, version, device, rejected };
    } catch (err) {
      rejected.push({ name: candidate.package, reason: messageOf(err) });
    }
  }
  const reasons = rejected.map((r) => `${r.name}: ${r.reason}`).join('; ');
  throw new UserError(`no TensorFlow.js backend could be started${force ? ` (forced '${force}')` : ''}: ${reasons}`);
}

/** The dist folder of the installed @tensorflow/tfjs-backend-wasm, which holds its .wasm binaries.
 * (Resolved at run time from node_modules; a bundle passes its own folder as `wasmDir` instead.) */
export function defaultWasmDir(): string {
  const packageName = ['@tensorflow', 'tfjs-backend-wasm'].join('/'); // not a literal: esbuild leaves it alone
  return path.dirname(require.resolve(packageName));
}

async function loadNative(pkg: string, variant: 'cpu' | 'gpu') {
  const loaded = requireNative(pkg, variant);
  await activate('tensorflow');
  return describeNative(pkg, loaded.module, tf.backend(), process.env, loaded.manifest);
}

/**
 * Version and device of a native package once its backend is current. Both packages export their
 * version as `version['tfjs-node']` (dist/index.js of 4.22.0, the -gpu one included). Their backend,
 * NodeJSKernelBackend, has `binding.TF_Version` (the TensorFlow C library's) and `isUsingGpuDevice`:
 * true when TensorFlow listed a GPU device at start-up; without one (no GPU given to the process, or
 * a CUDA library that did not load) it runs every op on the CPU (binding/tfjs_backend.cc).
 */
export function describeNative(
  pkg: string,
  mod: unknown,
  backend: unknown,
  env: NodeJS.ProcessEnv = process.env,
  manifest?: NativeManifest,
  gpuName: () => string | undefined = nvidiaGpuName,
): { version: string; device: string } {
  const version = (mod as { version?: Record<string, string> } | undefined)?.version?.['tfjs-node'] ?? 'unknown';
  const native = backend as { isUsingGpuDevice?: unknown; binding?: { TF_Version?: unknown } } | undefined;
  const tfVersion = typeof native?.binding?.TF_Version === 'string' ? ` ${native.binding.TF_Version}` : '';
  const origin = manifest ? ` from the ${manifest.wheel.file.split('-')[0]} wheel (setup-native)` : ' C library';
  if (pkg !== '@tensorflow/tfjs-node-gpu') return { version, device: `TensorFlow${tfVersion}${origin}, CPU: ${cpuDescription()}` };
  const cudaWheel = manifest?.cudaWheels.find((w) => w.startsWith('nvidia_cuda_runtime_cu12-'));
  const cudaVersion = cudaWheel ? ` ${cudaWheel.split('-')[1]}` : '';
  const library = `TensorFlow${tfVersion}${origin} with CUDA${cudaVersion}`;
  if (native?.isUsingGpuDevice === true) {
    const visible = env.CUDA_VISIBLE_DEVICES !== undefined ? ` (CUDA_VISIBLE_DEVICES=${env.CUDA_VISIBLE_DEVICES})` : '';
    const name = gpuName();
    return { version, device: `${library}, on ${name ? `the GPU ${name}` : 'the GPU'}${visible}; host ${cpuDescription()}` };
  }
  const { cuda, cudnn } = manifest ? { cuda: cudaVersion.trim() || gpuRequirements.cuda, cudnn: cudnnOf(manifest) ?? gpuRequirements.cudnn } : gpuRequirements;
  return {
    version,
    device:
      `${library}, but TensorFlow found no GPU and runs on the CPU: ${cpuDescription()} ` +
      `(check that the process was given a GPU, e.g. docker run --gpus all or a Slurm job with --gres=gpu, ` +
      `and that CUDA ${cuda} and cuDNN ${cudnn} load: with TF_CPP_MIN_LOG_LEVEL=0 TF_CPP_VMODULE=dso_loader=1 the trainer log has TensorFlow's 'Could not load dynamic library' lines)`,
  };
}

/** Whether the NVIDIA driver exposes a device to this process (its control node exists). */
function nvidiaDevicePresent(): boolean {
  return existsSync('/dev/nvidiactl');
}

/** The first GPU's name from nvidia-smi (the binding does not name its device), or undefined. */
function nvidiaGpuName(): string | undefined {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() || undefined : undefined;
}

function cudnnOf(manifest: NativeManifest): string | undefined {
  return manifest.cudaWheels.find((w) => w.startsWith('nvidia_cudnn_cu12-'))?.split('-')[1];
}

async function activate(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed to initialise the backend`);
  await tf.ready();
}

function withSlash(dir: string): string {
  return dir.endsWith(path.sep) || dir.endsWith('/') ? dir : dir + path.sep;
}

/** Why a backend was not used, in words for the user (requireNative says how to install a missing one). */
function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0];
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
