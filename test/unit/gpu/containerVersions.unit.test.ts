// The GPU container cannot drift from what the GPU backend needs or from package.json: the CUDA and
// Ubuntu of .devcontainer/Dockerfile's base image, its Node, its build steps (npm ci, the package, then
// `lrc-distill setup-native --gpu` into LRC_NATIVE_HOME and the check), and devcontainer.json's build,
// GPU and extension settings, against trainer/backend/gpuRequirements.ts, native/pins.ts, package.json
// and package-lock.json. Docker cannot run on this project's machines: these tests hold the files;
// check-gpu-image.ts checks the built image itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gpuRequirements, sameRelease } from '../../../trainer/backend/gpuRequirements';
import { TFJS_NODE_VERSION } from '../../../trainer/backend/native/pins';

const root = join(__dirname, '..', '..', '..');
const devcontainerDir = join(root, '.devcontainer');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface PackageJson {
  name: string;
  version: string;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  extensionKind?: string[];
}
const pkg = JSON.parse(read('package.json')) as PackageJson;
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };

// ---- parsing ------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile: comment lines dropped, continuation lines joined. */
function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    if (whole === '') continue;
    const [keyword, ...rest] = whole.split(/\s+/);
    out.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
  }
  return out;
}

/** JSON with // and /* comments (devcontainer.json's format), outside strings. */
function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else out += c;
  }
  return JSON.parse(out);
}

/** `>=20.9.0` holds for `version` (the only form engines.node takes here). */
function satisfiesMinimum(range: string, version: string): boolean {
  const m = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  assert.ok(m, `engines.node '${range}' is not of the form >=X.Y.Z: teach this test the new form`);
  const want = m.slice(1).map(Number);
  const have = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

const dockerfile = dockerfileInstructions(read('.devcontainer/Dockerfile'));
const devcontainer = parseJsonc(read('.devcontainer/devcontainer.json')) as {
  build?: { dockerfile?: string; context?: string; args?: Record<string, string> };
  runArgs?: string[];
  postCreateCommand?: string;
  containerEnv?: Record<string, string>;
  remoteEnv?: Record<string, string>;
  remoteUser?: string;
  customizations?: { vscode?: { extensions?: string[] } };
};

/** Default of ARG `name`, declared before the first FROM (global) or after it (stage). */
function argDefault(name: string): string | undefined {
  const arg = dockerfile.find((i) => i.keyword === 'ARG' && i.args.startsWith(`${name}=`));
  return arg?.args.slice(name.length + 1);
}

const froms = dockerfile.filter((i) => i.keyword === 'FROM');
const baseImage = froms[0]?.args.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => argDefault(a ?? b ?? '') ?? '');
/** nvidia/cuda:<cuda>-<base|runtime|devel>-ubuntu<version>, the official tag scheme without cuDNN
 * (cuDNN comes from its wheel, so an image's own would be a second copy). */
const tag = /^nvidia\/cuda:(\d+\.\d+\.\d+)-(base|runtime|devel)-ubuntu(\d+\.\d+)$/.exec(baseImage ?? '');
const runs = dockerfile.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const envs = dockerfile.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
const workdirs = dockerfile.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args);

// ---- the Dockerfile -----------------------------------------------------------------------------

test('one stage, from an official nvidia/cuda image on Ubuntu 22.04', () => {
  assert.equal(froms.length, 1, 'one FROM');
  assert.ok(tag, `base image ${baseImage} is not an nvidia/cuda:<cuda>-<base|runtime|devel>-ubuntu<version> tag`);
  assert.equal(tag[3], '22.04');
});

test("the base image's CUDA is the release of TensorFlow's CUDA wheels", () => {
  assert.ok(tag);
  assert.ok(sameRelease(tag[1], gpuRequirements.cuda), `CUDA ${tag[1]} in ${baseImage}; TensorFlow ${gpuRequirements.tensorflow}'s wheels are CUDA ${gpuRequirements.cuda}`);
  // cuDNN is not in the tag: it is the nvidia-cudnn-cu12 wheel, checked in the built image by check-gpu-image.ts (the build's manifest).
});

test('the image has what setup-native needs: pip for the wheels, make and g++ for the binding', () => {
  const apt = runs.find((r) => /apt-get install/.test(r));
  assert.ok(apt, 'apt-get install');
  for (const pkg of ['python3-pip', 'make', 'g++', 'ca-certificates']) assert.match(apt, new RegExp(`(^|\\s)${pkg.replace(/\+/g, '\\+')}(\\s|$)`), pkg);
});

test("the image's Node is the required major and satisfies package.json's engines.node", () => {
  const node = argDefault('NODE_VERSION');
  assert.ok(node && /^\d+\.\d+\.\d+$/.test(node), `ARG NODE_VERSION=<x.y.z> (found ${node})`);
  assert.ok(sameRelease(node, gpuRequirements.node), `Node ${node}; required ${gpuRequirements.node}`);
  assert.ok(satisfiesMinimum(pkg.engines.node, node), `Node ${node} does not satisfy engines.node ${pkg.engines.node}`);
  assert.ok(runs.some((r) => r.includes('https://nodejs.org/dist/v${NODE_VERSION}/') && r.includes('sha256sum -c')), 'Node from the distribution archive, checksum verified');
});

test('the image installs from the lockfile, builds, packs the .vsix, builds the GPU backend with setup-native --gpu, and checks itself', () => {
  const build = runs.find((r) => /\bnpm ci\b/.test(r));
  assert.ok(build, 'npm ci');
  assert.match(build, /npm ci\b.*&& npm run package\b.*&& (\w+=\S+ )*node dist\/cli\.js setup-native --gpu\b.*&& node --import tsx \.devcontainer\/check-gpu-image\.ts/);
  // the wheel cache goes in the same step, so that no layer keeps 2.5 GB of wheels
  assert.match(build, /setup-native --gpu .*&& rm -rf "?\$LRC_NATIVE_HOME\/wheels"? .*&& node --import tsx/);
  assert.ok(existsSync(join(devcontainerDir, 'check-gpu-image.ts')));
  assert.ok(workdirs.includes('/opt/lrc-distill'));
  // No second source of a version: tfjs-node-gpu and TensorFlow come from native/pins.ts through setup-native.
  for (const r of runs) assert.doesNotMatch(r, /tfjs-node-gpu@|tensorflow==|--wheel\b/);
  // the build made as root is where the container's user and every trainer look for it
  assert.match(envs, /\bLRC_NATIVE_HOME=\/opt\/lrc-native\b/);
  assert.doesNotMatch(envs, /\bNODE_PATH=/, 'the native backend is found through LRC_NATIVE_HOME, not node_modules');
  assert.match(envs, /\bTF_FORCE_GPU_ALLOW_GROWTH=true\b/);
});

test("the build context leaves out what the image builds itself (Dockerfile.dockerignore, BuildKit's per-Dockerfile ignore file)", () => {
  const ignored = read('.devcontainer/Dockerfile.dockerignore').split('\n').map((l) => l.trim());
  for (const entry of ['node_modules', 'dist', '*.vsix', '.lrc']) assert.ok(ignored.includes(entry), entry);
  assert.ok(!ignored.includes('.devcontainer'), 'the check script is needed in the image');
});

// ---- package.json and the lockfile --------------------------------------------------------------

test('package.json and package-lock.json pin the tfjs-node-gpu of gpuRequirements and setup-native, from the same release as tfjs', () => {
  const want = gpuRequirements.tfjsNodeGpu;
  assert.equal(TFJS_NODE_VERSION, want, 'native/pins.ts builds the same release');
  assert.equal(pkg.optionalDependencies['@tensorflow/tfjs-node-gpu'], want);
  assert.equal(pkg.optionalDependencies['@tensorflow/tfjs-node'], want, 'tfjs-node and tfjs-node-gpu are one release (the same libtensorflow)');
  assert.equal(pkg.dependencies['@tensorflow/tfjs'], want, 'tfjs-node-gpu depends on exactly this @tensorflow/tfjs; another version would install a second copy');
  const locked = lock.packages['node_modules/@tensorflow/tfjs-node-gpu'];
  assert.equal(locked?.version, want, 'package-lock.json');
  assert.equal(locked?.dependencies?.['@tensorflow/tfjs'], want);
});

test('the extension runs on the workspace side (remote, in the container, where the data and the GPU are)', () => {
  assert.deepEqual(pkg.extensionKind, ['workspace'], 'package.json needs "extensionKind": ["workspace"]');
});

// ---- devcontainer.json --------------------------------------------------------------------------

test('devcontainer.json builds the tested Dockerfile with the repository as context, and passes no version of its own', () => {
  assert.equal(devcontainer.build?.dockerfile, 'Dockerfile');
  assert.equal(resolve(devcontainerDir, devcontainer.build.dockerfile), join(devcontainerDir, 'Dockerfile'));
  assert.equal(resolve(devcontainerDir, devcontainer.build.context ?? '.'), resolve(root));
  for (const arg of ['BASE_IMAGE', 'NODE_VERSION']) assert.equal(devcontainer.build.args?.[arg], undefined, `build.args.${arg} would override what this test holds`);
});

test('devcontainer.json gives the container the GPUs, builds the workspace after creation, and installs the extension packed in the image', () => {
  assert.deepEqual(devcontainer.runArgs, ['--gpus=all']);
  assert.equal(devcontainer.postCreateCommand, 'npm ci && npm run build');
  // the image's LRC_NATIVE_HOME reaches every process of the container; devcontainer.json must not move it
  for (const env of [devcontainer.containerEnv, devcontainer.remoteEnv]) assert.equal(env?.LRC_NATIVE_HOME, undefined);
  // vsce names the package <name>-<version>.vsix, in the folder the image runs `npm run package` in.
  assert.deepEqual(devcontainer.customizations?.vscode?.extensions, [`/opt/lrc-distill/${pkg.name}-${pkg.version}.vsix`]);
  const users = dockerfile.filter((i) => i.keyword === 'USER').map((i) => i.args);
  assert.ok(users.includes(devcontainer.remoteUser ?? ''), `remoteUser ${devcontainer.remoteUser} is a USER of the Dockerfile`);
});

test('the parsers read what the tests rely on', () => {
  assert.deepEqual(dockerfileInstructions('# c\nARG A=1\nRUN a \\\n  # inner comment\n  && b\n'), [
    { keyword: 'ARG', args: 'A=1' },
    { keyword: 'RUN', args: 'a && b' },
  ]);
  assert.deepEqual(parseJsonc('{ // x\n "a": "http://b", /* c */ "d": ["e"] }'), { a: 'http://b', d: ['e'] });
  assert.ok(satisfiesMinimum('>=20.9.0', '20.20.2'));
  assert.ok(!satisfiesMinimum('>=20.9.0', '20.8.1'));
});
