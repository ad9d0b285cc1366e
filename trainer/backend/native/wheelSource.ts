// The TensorFlow wheel the native build takes its C library from: the pinned one, downloaded with pip
// into the native home's wheels/ cache (kept, so a rebuild downloads nothing), or one the user gives
// (`--wheel <file or folder>`, for a site without PyPI). The pinned file is checked against its sha256;
// another TensorFlow version is taken with a note, since its C API is the same, but it is not the one
// the tests ran on. The CUDA wheels a GPU build needs are the ones TensorFlow's own metadata pins
// (its "and-cuda" extra).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../errors';
import { CUDA_WHEELS, PIP_PLATFORM, TENSORFLOW_VERSION, WHEELS, type NativeVariant, type WheelPin } from './pins';
import { lastWords, runTool } from './processRun';

export interface WheelFile {
  file: string;
  sha256: string;
  /** Where it came from, for the manifest and the report. */
  source: string;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The python that runs pip: $LRC_PYTHON, else python3, else python. */
export async function findPip(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const candidates = env.LRC_PYTHON ? [env.LRC_PYTHON] : ['python3', 'python'];
  for (const python of candidates) {
    const run = await runTool(python, ['-m', 'pip', '--version']);
    if (run.status === 0) return python;
  }
  throw new UserError(
    `pip is not installed (tried ${candidates.map((p) => `${p} -m pip`).join(', ')}): install Python 3 with pip (Debian: apt-get install python3-pip), ` +
      `set LRC_PYTHON to a python that has it, or give a downloaded TensorFlow wheel with --wheel <file>`,
  );
}

/** pip download of `requirement` into `dir` (with its hash when given), for the wheel's platform. */
async function pipDownload(python: string, requirement: string, sha256: string | undefined, dir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const args = ['-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check', '--progress-bar', 'off', '-d', dir, ...PIP_PLATFORM];
  const requirements = join(dir, `.requirements-${process.pid}.txt`);
  if (sha256) {
    writeFileSync(requirements, `${requirement} --hash=sha256:${sha256}\n`);
    args.push('--require-hashes', '-r', requirements);
  } else {
    args.push(requirement);
  }
  log(`pip download ${requirement}`);
  // the hash file is pip's input only: removed either way, so the cache holds wheels and nothing else
  const run = await runTool(python, args, { log }).finally(() => rmSync(requirements, { force: true }));
  if (run.status !== 0) {
    throw new UserError(`pip could not download ${requirement}: ${lastWords(run)} (offline? download the wheel elsewhere and pass it with --wheel <file>)`);
  }
}

/** The pinned wheel of `variant`, from the cache or pip. */
export async function pinnedWheel(variant: NativeVariant, cacheDir: string, log: (line: string) => void): Promise<WheelFile> {
  const pin = WHEELS[variant];
  const cached = join(cacheDir, pin.file);
  if (!existsSync(cached) || (await sha256Of(cached)) !== pin.sha256) {
    await pipDownload(await findPip(), `${pin.project}==${TENSORFLOW_VERSION}`, pin.sha256, cacheDir, log);
  } else {
    log(`${pin.file}: in the cache (${cacheDir})`);
  }
  if (!existsSync(cached)) throw new UserError(`pip did not leave ${pin.file} in ${cacheDir} (another platform's wheel?)`);
  return { file: cached, sha256: pin.sha256, source: `PyPI ${pin.project}==${TENSORFLOW_VERSION} (sha256 checked)` };
}

/** A TensorFlow wheel's version from its file name (tensorflow_cpu-2.18.1-cp311-...). */
export function wheelVersion(file: string): string | undefined {
  return /^tensorflow(?:_cpu)?-(\d+\.\d+\.\d+[^-]*)-/.exec(basename(file))?.[1];
}

/** Which wheel file a `--wheel` argument means: the file itself, or the best TensorFlow wheel in a folder. */
export function chooseGivenWheel(given: string, pin: WheelPin): string {
  const path = resolve(given);
  if (!existsSync(path)) throw new UserError(`--wheel ${given}: no such file or folder`, '--wheel');
  if (statSync(path).isFile()) {
    if (!path.endsWith('.whl') || wheelVersion(path) === undefined) {
      throw new UserError(`--wheel ${given}: not a TensorFlow wheel (expected a file like ${pin.file})`, '--wheel');
    }
    return path;
  }
  const wheels = readdirSync(path).filter((n) => n.endsWith('.whl') && wheelVersion(n) !== undefined && /linux[^-]*x86_64/.test(n));
  const pick = wheels.find((n) => n === pin.file) ?? wheels.filter((n) => n.startsWith(pin.file.split('-')[0] + '-')).sort().pop() ?? wheels.sort().pop();
  if (!pick) throw new UserError(`--wheel ${given}: the folder holds no TensorFlow wheel for linux x86_64 (expected ${pin.file})`, '--wheel');
  return join(path, pick);
}

/** The wheel a user gave: checked against the pin when it is the pinned file. */
export async function givenWheel(given: string, variant: NativeVariant, log: (line: string) => void): Promise<WheelFile> {
  const pin = WHEELS[variant];
  const file = chooseGivenWheel(given, pin);
  const sha256 = await sha256Of(file);
  if (basename(file) === pin.file && sha256 !== pin.sha256) {
    throw new UserError(`--wheel ${file}: its sha256 is ${sha256}, not the published ${pin.sha256} (a damaged or altered download: fetch it again)`, '--wheel');
  }
  const version = wheelVersion(file);
  if (version !== TENSORFLOW_VERSION) log(`note: ${basename(file)} is TensorFlow ${version}; the tested version is ${TENSORFLOW_VERSION}`);
  if (variant === 'gpu' && basename(file).startsWith('tensorflow_cpu-')) {
    throw new UserError(`--wheel ${file}: a CPU-only wheel cannot make the GPU backend (use the 'tensorflow' wheel, ${pin.file})`, '--wheel');
  }
  return { file, sha256, source: `given: ${file}` };
}

/** The CUDA wheels TensorFlow's METADATA pins for its "and-cuda" extra: ["nvidia-cublas-cu12==12.5.3.2", ...]. */
export function cudaRequirements(metadata: string): string[] {
  const out: string[] = [];
  for (const line of metadata.split('\n')) {
    const m = /^Requires-Dist:\s*(nvidia-[\w-]+)\s*\(?\s*==\s*([\w.]+)\s*\)?\s*;\s*extra\s*==\s*['"]and-cuda['"]/.exec(line.trim());
    if (m) out.push(`${m[1]}==${m[2]}`);
  }
  return out;
}

/** Downloads (or finds in the cache) each CUDA wheel, checked against its pinned sha256 (pins.ts
 *  CUDA_WHEELS) when it has one; returns their files. */
export async function cudaWheels(requirements: string[], cacheDir: string, log: (line: string) => void): Promise<string[]> {
  const files: string[] = [];
  let python: string | undefined;
  for (const requirement of requirements) {
    const pin = CUDA_WHEELS[requirement];
    if (pin) {
      const cached = join(cacheDir, pin.file);
      if (!existsSync(cached) || (await sha256Of(cached)) !== pin.sha256) await pipDownload((python ??= await findPip()), requirement, pin.sha256, cacheDir, log);
      if (!existsSync(cached)) throw new UserError(`pip did not leave ${pin.file} in ${cacheDir} (another platform's wheel?)`);
      const sha256 = await sha256Of(cached);
      if (sha256 !== pin.sha256) throw new UserError(`${cached}: its sha256 is ${sha256}, not the published ${pin.sha256} (a damaged or altered download: remove it and run setup-native --gpu again)`);
      files.push(cached);
      continue;
    }
    const [project, version] = requirement.split('==');
    const prefix = `${project.replace(/-/g, '_')}-${version}-`;
    const find = () => (existsSync(cacheDir) ? readdirSync(cacheDir).find((n) => n.startsWith(prefix) && n.endsWith('.whl')) : undefined);
    if (!find()) await pipDownload((python ??= await findPip()), requirement, undefined, cacheDir, log);
    const found = find();
    if (!found) throw new UserError(`pip did not leave a wheel of ${requirement} in ${cacheDir}`);
    log(`note: ${requirement} has no pinned hash (not a wheel of TensorFlow ${TENSORFLOW_VERSION}'s and-cuda extra): taken unchecked`);
    files.push(join(cacheDir, found));
  }
  return files;
}
