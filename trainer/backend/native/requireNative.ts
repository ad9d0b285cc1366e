// Loading tfjs-node(-gpu): from node_modules when the user installed it the usual way, else the build
// `lrc-distill setup-native` made in the native home. A build there has its own copy of @tensorflow/tfjs
// (tfjs-node's dependency); the trainer has its own too (bundled, or in node_modules). Two copies share
// tfjs's global engine and kernel registry, so the second would register every cpu and webgl kernel again
// (340 "already registered" warnings) and keep a second Tensor class. So while the package loads, its
// requests for @tensorflow/tfjs and @tensorflow/tfjs-core get the trainer's own tfjs, and the two
// side-effect modules that only register gradients and chained ops (which that tfjs already did) get
// nothing: one tfjs in the process, as with a plain npm install.
import Module from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { nativeHome, packageDir, readManifest, variantDir, type NativeManifest } from './nativeHome';
import type { NativeVariant } from './pins';

export interface LoadedNative {
  module: unknown;
  /** Where it was loaded from: 'node_modules' or the setup-native build folder. */
  from: string;
  /** The setup-native build's manifest (none for a node_modules install). */
  manifest?: NativeManifest;
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

const ALREADY_REGISTERED = /^@tensorflow\/tfjs-core\/dist\/(register_all_gradients|public\/chained_ops\/register_all_chained_ops)(\.js)?$/;

/** require(path) with @tensorflow/tfjs(-core) answered by this process's own tfjs. */
export function requireWithOwnTfjs(path: string): unknown {
  const original = moduleInternals._load;
  moduleInternals._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    if (request === '@tensorflow/tfjs' || request === '@tensorflow/tfjs-core') return tf;
    if (ALREADY_REGISTERED.test(request)) return {};
    return original.call(this, request, parent, isMain);
  };
  try {
    return require(path);
  } finally {
    moduleInternals._load = original;
  }
}

function isNotFound(err: unknown, pkg: string): boolean {
  return (err as { code?: unknown })?.code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(pkg);
}

/** Whether `pkg` can be loaded: installed in node_modules, or a setup-native build of `variant`. */
export function nativeAvailable(pkg: string, variant: NativeVariant, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    const manifest = readManifest(variant, nativeHome(env));
    return manifest?.package === pkg;
  }
}

/** An error whose message says that neither install exists and what to run. */
export class NativeNotInstalled extends Error {}

/**
 * The package `pkg` of `variant`: node_modules first (esbuild leaves a computed name alone), then the
 * native home. Throws NativeNotInstalled when neither has it; a load error (a missing library, an ABI
 * mismatch) is thrown as it is.
 */
export function requireNative(pkg: string, variant: NativeVariant, env: NodeJS.ProcessEnv = process.env): LoadedNative {
  // TensorFlow's informational lines (oneDNN, CPU features) off unless the user asked for them; its
  // errors stay (without a driver: "failed call to cuInit"). TensorFlow 2.18 logs each CUDA library it
  // opens or cannot open ("Could not load dynamic library") at verbose level 1 only:
  // TF_CPP_MIN_LOG_LEVEL=0 TF_CPP_VMODULE=dso_loader=1 shows those lines
  env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  try {
    return { module: requireWithOwnTfjs(pkg), from: 'node_modules' };
  } catch (err) {
    if (!isNotFound(err, pkg)) throw err;
  }
  const home = nativeHome(env);
  const manifest = readManifest(variant, home);
  if (!manifest || manifest.package !== pkg) {
    const command = `lrc-distill setup-native${variant === 'gpu' ? ' --gpu' : ''}`;
    throw new NativeNotInstalled(`not installed (its npm install step downloads a libtensorflow that is no longer served; run '${command}' to build it from TensorFlow's PyPI wheel)`);
  }
  const dir = variantDir(variant, home);
  return { module: requireWithOwnTfjs(packageDir(dir, pkg)), from: dir, manifest };
}
