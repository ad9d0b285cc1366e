// Where `lrc-distill setup-native` puts the native TensorFlow backend, and the manifest that says what
// was built. One folder per variant (cpu, gpu) under the native home: LRC_NATIVE_HOME, else
// $XDG_CACHE_HOME/lrc-distill/native, else ~/.cache/lrc-distill/native. A variant's folder is only ever
// made whole (built beside it and renamed into place), so a folder with a manifest is a working build.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { NativeVariant } from './pins';

export const NativeManifestSchema = z.object({
  variant: z.enum(['cpu', 'gpu']),
  /** The npm package built: @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu. */
  package: z.string(),
  tfjsNodeVersion: z.string(),
  /** TensorFlow's version, from the wheel's metadata. */
  tensorflowVersion: z.string(),
  wheel: z.object({ file: z.string(), sha256: z.string(), source: z.string() }),
  /** CUDA wheels laid out beside the libraries (gpu only): project==version. */
  cudaWheels: z.array(z.string()),
  /** Node's ABI the binding was built with (process.versions.modules) and its N-API version. */
  nodeAbi: z.string(),
  napiVersion: z.number(),
  builtAt: z.string(),
  /** What the smoke test computed on the new build. */
  smoke: z.object({ backend: z.string(), tfVersion: z.string(), gpu: z.boolean(), matMul: z.number(), gradient: z.array(z.number()) }),
});
export type NativeManifest = z.infer<typeof NativeManifestSchema>;

export const MANIFEST = 'native.json';

export function nativeHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LRC_NATIVE_HOME) return env.LRC_NATIVE_HOME;
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'lrc-distill', 'native');
}

export function variantDir(variant: NativeVariant, home = nativeHome()): string {
  return join(home, variant);
}

/** The folder `require` loads the package from. */
export function packageDir(dir: string, pkg: string): string {
  return join(dir, 'node_modules', ...pkg.split('/'));
}

/** The manifest of a finished build of `variant`, or undefined when there is none (or it is not ours). */
export function readManifest(variant: NativeVariant, home = nativeHome()): NativeManifest | undefined {
  const file = join(variantDir(variant, home), MANIFEST);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = NativeManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
