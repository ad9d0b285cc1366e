// Builds tfjs-node's N-API binding against TensorFlow's C library from a wheel, in a folder of its own:
// the npm package installed without its install script (which would download libtensorflow 2.9.1 from
// a host that no longer serves it), its deps/ laid out from the wheel as that script would have, and
// node-gyp run against the local Node's headers. Nothing is fetched but the npm packages (and, for the
// wheel, what pip fetched before).
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors';
import { gpuRequirements } from '../gpuRequirements';
import { packageDir } from './nativeHome';
import { NAPI_BUILD_VERSION, NODE_GYP_VERSION, TFJS_NODE_VERSION } from './pins';
import { lastWords, runTool } from './processRun';
import { extractEntries } from './wheelArchive';

/** The header folders of the wheel's tensorflow/include that the binding's sources reach (g++ -MM on
 * tfjs_backend.cc), under their old and new homes: tsl moved from tensorflow/tsl to tsl and xla/tsl. */
const HEADER_PREFIXES = ['tensorflow/c/', 'tensorflow/core/platform/', 'tensorflow/tsl/', 'tsl/', 'xla/tsl/'];

/** Where each wanted wheel entry goes under the package's deps/ folder (undefined: not wanted). */
export function depsTarget(entry: string): string | undefined {
  const lib = /^tensorflow\/(libtensorflow_(?:cc|framework)\.so\.2)$/.exec(entry);
  if (lib) return join('lib', lib[1]);
  const header = /^tensorflow\/include\/(.*\.h)$/.exec(entry);
  if (header && HEADER_PREFIXES.some((p) => header[1].startsWith(p))) return join('include', header[1]);
  return undefined;
}

/** A CUDA wheel's libraries go where TensorFlow's RUNPATH looks for them: $ORIGIN/../nvidia/<name>/lib
 * from deps/lib, i.e. deps/nvidia/<name>/lib (as in site-packages beside the tensorflow folder). */
export function cudaTarget(entry: string): string | undefined {
  return /^nvidia\/[\w-]+\/lib\/[^/]+\.so[\d.]*$/.test(entry) ? entry : undefined;
}

/** The CUDA libraries TensorFlow opens (gpuRequirements.cudaLibraries) that the CUDA wheels did not put
 * where its RUNPATH finds them: deps/nvidia/<dir>/lib/<soname> under the package folder. */
export function missingCudaLibraries(pkg: string): string[] {
  return gpuRequirements.cudaLibraries.map((l) => join('nvidia', l.dir, 'lib', l.soname)).filter((rel) => !existsSync(join(pkg, 'deps', rel)));
}

/** Node's headers for node-gyp: those of the Node that runs this, when they are installed beside it. */
export function localNodeDir(execPath = process.execPath): string | undefined {
  const prefix = dirname(dirname(execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? prefix : undefined;
}

async function needTool(command: string, args: string[], missing: string): Promise<void> {
  const run = await runTool(command, args);
  if (run.status !== 0) throw new UserError(missing);
}

/** make and a C++ compiler, which node-gyp needs; checked first so that the error says which is missing. */
export async function checkCompilers(): Promise<void> {
  await needTool('make', ['--version'], 'make is not installed, and node-gyp needs it to build the binding (Debian/Ubuntu: apt-get install make g++)');
  const cxx = process.env.CXX || 'g++';
  await needTool(cxx, ['--version'], `no C++ compiler (${cxx} did not run), and node-gyp needs one to build the binding (Debian/Ubuntu: apt-get install g++ make; or set CXX)`);
}

/** npm install of the tfjs package and node-gyp into `dir`, scripts off. */
export async function installPackages(dir: string, tfjsPackage: string, log: (line: string) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lrc-distill-native', private: true, description: 'built by lrc-distill setup-native' }, null, 2));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', `${tfjsPackage}@${TFJS_NODE_VERSION}`, `node-gyp@${NODE_GYP_VERSION}`];
  log(`npm ${args.join(' ')}`);
  const run = await runTool(npm, args, { cwd: dir, log });
  if (run.status !== 0) throw new UserError(`npm could not install ${tfjsPackage}@${TFJS_NODE_VERSION}: ${lastWords(run)}`);
}

/** deps/ of the installed package from the wheel (and the CUDA wheels); returns the package folder. */
export async function layOutDeps(dir: string, tfjsPackage: string, wheel: string, cudaWheels: string[], log: (line: string) => void): Promise<string> {
  const pkg = packageDir(dir, tfjsPackage);
  const deps = join(pkg, 'deps');
  log(`extracting TensorFlow's C library and headers from ${wheel}`);
  await extractEntries(wheel, deps, depsTarget);
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!existsSync(join(deps, 'lib', lib))) throw new UserError(`${wheel} has no tensorflow/${lib}: not a TensorFlow wheel with the C library (TensorFlow 2.12 or later from PyPI has it)`);
  }
  if (!existsSync(join(deps, 'include', 'tensorflow', 'c', 'c_api.h'))) throw new UserError(`${wheel} has no tensorflow/include/tensorflow/c/c_api.h: the wheel carries no C headers`);
  // binding.gyp links -ltensorflow -ltensorflow_framework from deps/lib
  symlinkSync('libtensorflow_cc.so.2', join(deps, 'lib', 'libtensorflow.so'));
  symlinkSync('libtensorflow_framework.so.2', join(deps, 'lib', 'libtensorflow_framework.so'));
  for (const cuda of cudaWheels) {
    log(`extracting the CUDA libraries of ${cuda}`);
    await extractEntries(cuda, deps, cudaTarget);
  }
  return pkg;
}

/** node-gyp rebuild in the package folder, the addon where tfjs-node looks for it (lib/napi-v8). */
export async function compileBinding(pkg: string, dir: string, log: (line: string) => void): Promise<void> {
  const gyp = join(dir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const nodedir = localNodeDir();
  const args = [
    gyp, 'rebuild', '--jobs', 'max',
    '--module_name=tfjs_binding', `--module_path=${join(pkg, 'lib', `napi-v${NAPI_BUILD_VERSION}`)}`, `--napi_build_version=${NAPI_BUILD_VERSION}`,
    ...(nodedir ? [`--nodedir=${nodedir}`] : []),
  ];
  log(`node-gyp rebuild (Node headers: ${nodedir ? `${nodedir}/include/node` : "node-gyp's download"})`);
  const run = await runTool(process.execPath, args, { cwd: pkg, log });
  if (run.status !== 0) {
    const words = lastWords(run);
    const hint = /node_api\.h|common\.gypi|nodejs\.org|headers/i.test(words)
      ? ` (Node's headers are missing: install them beside ${process.execPath}, e.g. Debian's libnode-dev, or run where node-gyp can download them)`
      : '';
    throw new UserError(`node-gyp could not build the tfjs binding: ${words}${hint}`);
  }
  const addon = join(pkg, 'lib', `napi-v${NAPI_BUILD_VERSION}`, 'tfjs_binding.node');
  if (!existsSync(addon)) throw new UserError(`node-gyp finished but left no ${addon}`);
}
