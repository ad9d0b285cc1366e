// `lrc-distill setup-native [--gpu] [--wheel <file or folder>]`: makes the native TensorFlow backend
// exist. Steps: the compilers, the wheel (pip or given), npm install of tfjs-node(-gpu) with its scripts
// off, deps/ from the wheel (and for --gpu the CUDA wheels TensorFlow pins), node-gyp, a smoke test,
// the manifest. All of it happens in a build folder beside the destination, which is renamed into
// place only once the smoke test passed: a failure at any step leaves the previous build (or none)
// as it was, and removes the half-built folder.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../errors';
import { checkCompilers, compileBinding, installPackages, layOutDeps, missingCudaLibraries } from './buildBinding';
import { MANIFEST, nativeHome, variantDir, type NativeManifest } from './nativeHome';
import { NAPI_BUILD_VERSION, TFJS_NODE_VERSION, WHEELS, type NativeVariant } from './pins';
import { smokeTest } from './smokeTest';
import { wheelMetadata } from './wheelMetadata';
import { cudaRequirements, cudaWheels, givenWheel, pinnedWheel } from './wheelSource';

export interface SetupNativeOptions {
  variant: NativeVariant;
  /** A wheel file or a folder of wheels the user already has (no pip download of TensorFlow). */
  wheel?: string;
  /** Defaults to nativeHome(). */
  home?: string;
  /** Progress, a line at a time (the CLI prints it; the extension shows it in a progress notification). */
  log?: (line: string) => void;
  /** Detailed tool output (pip, npm, node-gyp), for the build log. */
  detail?: (line: string) => void;
}

export interface SetupNativeResult {
  dir: string;
  manifest: NativeManifest;
  seconds: number;
}

export async function setupNative(options: SetupNativeOptions): Promise<SetupNativeResult> {
  const t0 = Date.now();
  const { variant } = options;
  const home = options.home ?? nativeHome();
  const say = options.log ?? (() => {});
  const detail = options.detail ?? (() => {});
  const pin = WHEELS[variant];
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`setup-native builds from TensorFlow's manylinux x86_64 wheels: this is ${process.platform}-${process.arch}`);
  }
  // the user's own input first, then the tools, then the downloads
  const given = options.wheel ? await givenWheel(options.wheel, variant, say) : undefined;
  await checkCompilers();
  const wheelCache = join(home, 'wheels');
  say(`1/5 TensorFlow wheel (${given ? 'given' : `${pin.project}, pip`})`);
  const wheel = given ?? (await pinnedWheel(variant, wheelCache, detail));
  const metadata = await wheelMetadata(wheel.file);
  const cudaFiles = variant === 'gpu' ? await cudaWheels(cudaRequirements(metadata.text), wheelCache, detail) : [];
  if (variant === 'gpu' && cudaFiles.length === 0) say(`note: ${basename(wheel.file)} names no CUDA wheels ("and-cuda" extra): CUDA must come from the system`);

  const dest = variantDir(variant, home);
  const build = join(home, `.build-${variant}-${process.pid}`);
  rmSync(build, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  try {
    say(`2/5 npm install ${pin.tfjsPackage}@${TFJS_NODE_VERSION} (scripts off)`);
    await installPackages(build, pin.tfjsPackage, detail);
    say(`3/5 laying out TensorFlow ${metadata.version}'s C library${cudaFiles.length ? ` and ${cudaFiles.length} CUDA wheels` : ''}`);
    const pkg = await layOutDeps(build, pin.tfjsPackage, wheel.file, cudaFiles, detail);
    const missing = cudaFiles.length ? missingCudaLibraries(pkg) : [];
    if (missing.length) {
      throw new UserError(`the CUDA wheels (${cudaFiles.map((f) => basename(f).split('-').slice(0, 2).join('-')).join(', ')}) left no deps/${missing.join(', deps/')}: TensorFlow ${metadata.version} would not find them and would skip the GPU`);
    }
    say('4/5 building the binding (node-gyp)');
    await compileBinding(pkg, build, detail);
    say('5/5 smoke test (a matMul and a gradient on the tensorflow backend)');
    const smoke = await smokeTest(pkg, detail);
    const manifest: NativeManifest = {
      variant,
      package: pin.tfjsPackage,
      tfjsNodeVersion: TFJS_NODE_VERSION,
      tensorflowVersion: metadata.version,
      wheel: { file: basename(wheel.file), sha256: wheel.sha256, source: wheel.source },
      cudaWheels: cudaFiles.map((f) => basename(f)),
      nodeAbi: process.versions.modules,
      napiVersion: NAPI_BUILD_VERSION,
      builtAt: new Date().toISOString(),
      smoke,
    };
    writeFileSync(join(build, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    replaceFolder(build, dest);
    return { dir: dest, manifest, seconds: (Date.now() - t0) / 1000 };
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
}

/** `dest` becomes `built`: the old one is renamed aside first and removed after, so that `dest` is
 * always a whole build or absent. (A process that loaded the old binding keeps its open files.) */
function replaceFolder(built: string, dest: string): void {
  const old = `${dest}.old-${process.pid}`;
  if (existsSync(dest)) renameSync(dest, old);
  try {
    renameSync(built, dest);
  } catch (err) {
    if (existsSync(old)) renameSync(old, dest);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

