// setup-native's parts that need no TensorFlow: which wheel entries go where, the CUDA wheels a
// TensorFlow wheel pins, reading a wheel, the smoke test's verdict, and a build that fails half-way
// (a real npm install, then a wheel without TensorFlow's libraries): nothing is left behind and an
// earlier build stays as it was. The whole route, wheel to smoke test, is the native tier's
// (test/native/run.mjs builds it when missing).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cudaTarget, depsTarget } from '../../../../trainer/backend/native/buildBinding';
import { checkSmoke } from '../../../../trainer/backend/native/smokeTest';
import { extractEntries, listEntries } from '../../../../trainer/backend/native/wheelArchive';
import { wheelMetadata } from '../../../../trainer/backend/native/wheelMetadata';
import { cudaRequirements, wheelVersion } from '../../../../trainer/backend/native/wheelSource';
import { CUDA_WHEELS } from '../../../../trainer/backend/native/pins';
import { tempDir } from '../../helpers/tempDir';

const root = join(__dirname, '..', '..', '..', '..');

/** A zip written by Python's zipfile (an independent writer): entries name -> text. */
function zip(file: string, entries: Record<string, string>): string {
  const script = 'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n    for n, t in json.loads(sys.argv[2]).items(): z.writestr(n, t)';
  execFileSync('python3', ['-c', script, file, JSON.stringify(entries)]);
  return file;
}

const METADATA_218 = [
  'Metadata-Version: 2.1',
  'Name: tensorflow',
  'Version: 2.18.1',
  'Requires-Dist: numpy <2.1.0,>=1.26.0',
  'Provides-Extra: and-cuda',
  "Requires-Dist: nvidia-cublas-cu12 ==12.5.3.2 ; extra == 'and-cuda'",
  "Requires-Dist: nvidia-cudnn-cu12 ==9.3.0.75 ; extra == 'and-cuda'",
  "Requires-Dist: nvidia-cuda-runtime-cu12 ==12.5.82 ; extra == 'and-cuda'",
  "Requires-Dist: tensorrt ==10.0 ; extra == 'tensorrt'",
].join('\n');

test('the wheel entries the build takes: the two C libraries and the headers the binding reaches, nothing else', () => {
  assert.equal(depsTarget('tensorflow/libtensorflow_cc.so.2'), join('lib', 'libtensorflow_cc.so.2'));
  assert.equal(depsTarget('tensorflow/libtensorflow_framework.so.2'), join('lib', 'libtensorflow_framework.so.2'));
  assert.equal(depsTarget('tensorflow/include/tensorflow/c/c_api.h'), join('include', 'tensorflow', 'c', 'c_api.h'));
  assert.equal(depsTarget('tensorflow/include/tsl/platform/ctstring_internal.h'), join('include', 'tsl', 'platform', 'ctstring_internal.h'));
  assert.equal(depsTarget('tensorflow/include/xla/tsl/c/tsl_status.h'), join('include', 'xla', 'tsl', 'c', 'tsl_status.h'));
  for (const other of ['tensorflow/include/Eigen/Core', 'tensorflow/include/tensorflow/core/framework/op.h', 'tensorflow/python/_pywrap_tfe.so', 'tensorflow/libtensorflow_cc.so.2.18.1', 'tensorflow/__init__.py']) {
    assert.equal(depsTarget(other), undefined, other);
  }
  assert.equal(cudaTarget('nvidia/cublas/lib/libcublas.so.12'), 'nvidia/cublas/lib/libcublas.so.12');
  assert.equal(cudaTarget('nvidia/cudnn/include/cudnn.h'), undefined);
  assert.equal(cudaTarget('nvidia/cublas/lib/__init__.py'), undefined);
});

test("the CUDA wheels are the ones TensorFlow's METADATA pins for its and-cuda extra", () => {
  assert.deepEqual(cudaRequirements(METADATA_218), ['nvidia-cublas-cu12==12.5.3.2', 'nvidia-cudnn-cu12==9.3.0.75', 'nvidia-cuda-runtime-cu12==12.5.82']);
  assert.deepEqual(cudaRequirements('Name: tensorflow-cpu\nVersion: 2.18.1\n'), []);
  assert.equal(wheelVersion('/x/tensorflow_cpu-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'), '2.18.1');
  assert.equal(wheelVersion('tensorflow-2.20.0rc0-cp311-cp311-manylinux_2_17_x86_64.whl'), '2.20.0rc0');
  assert.equal(wheelVersion('torch-2.5.0-cp311-cp311-linux_x86_64.whl'), undefined);
});

test('a wheel is read without unpacking it: its metadata, and only the entries asked for', async () => {
  const dir = tempDir();
  const wheel = zip(join(dir, 'tensorflow-2.18.1-cp311-cp311-manylinux_2_17_x86_64.whl'), {
    'tensorflow-2.18.1.dist-info/METADATA': METADATA_218,
    'tensorflow/include/tensorflow/c/c_api.h': '// c api',
    'tensorflow/include/Eigen/Core': '// eigen',
    'tensorflow/libtensorflow_cc.so.2': 'ELF',
  });
  const meta = await wheelMetadata(wheel);
  assert.equal(meta.version, '2.18.1');
  assert.equal(meta.name, 'tensorflow');
  const out = join(dir, 'deps');
  assert.equal(await extractEntries(wheel, out, depsTarget), 2);
  assert.equal(readFileSync(join(out, 'include', 'tensorflow', 'c', 'c_api.h'), 'utf8'), '// c api');
  assert.equal(readFileSync(join(out, 'lib', 'libtensorflow_cc.so.2'), 'utf8'), 'ELF');
  assert.ok(!existsSync(join(out, 'include', 'Eigen')));
  assert.deepEqual(readdirSync(join(out, 'lib')), ['libtensorflow_cc.so.2'], 'no .partial file left');
  assert.equal((await listEntries(wheel)).length, 4);
});

test('an entry that would land outside the folder is refused; a file that is not a zip, or not TensorFlow, is named', async () => {
  const dir = tempDir();
  const evil = zip(join(dir, 'evil.whl'), { 'tensorflow/include/tensorflow/c/../../../../../evil.h': 'x' });
  // yauzl refuses such a name itself ("invalid relative path"); extractEntries checks again where each file lands
  await assert.rejects(extractEntries(evil, join(dir, 'deps'), depsTarget), /invalid relative path|would be written outside/);
  assert.ok(!existsSync(join(dir, 'evil.h')));
  writeFileSync(join(dir, 'cut.whl'), 'PK\x03\x04 cut short');
  await assert.rejects(wheelMetadata(join(dir, 'cut.whl')), /cut\.whl: not a readable wheel \(zip\)/);
  const other = zip(join(dir, 'numpy.whl'), { 'numpy-2.0.0.dist-info/METADATA': 'Name: numpy\nVersion: 2.0.0\n' });
  await assert.rejects(wheelMetadata(other), /numpy\.whl: not a TensorFlow wheel \(its METADATA names numpy\)/);
});

test("the smoke test's verdict: the tensorflow backend, matMul 54 and the gradient [2, 4, 6] exactly", () => {
  const good = { backend: 'tensorflow', tfVersion: '2.18.1', gpu: false, matMul: 54, gradient: [2, 4, 6] };
  checkSmoke(good);
  assert.throws(() => checkSmoke({ ...good, backend: 'cpu' }), /ran on backend 'cpu', not 'tensorflow'/);
  assert.throws(() => checkSmoke({ ...good, matMul: 53.99 }), /matMul gave 53\.99, not 54/);
  assert.throws(() => checkSmoke({ ...good, gradient: [2, 4, 7] }), /gradient gave \[2, 4, 7\]/);
});

test('a build that fails half-way leaves no build folder, and the earlier build as it was', () => {
  const home = tempDir('lrc-native-home-');
  // an earlier build, which must survive untouched
  mkdirSync(join(home, 'cpu'), { recursive: true });
  writeFileSync(join(home, 'cpu', 'native.json'), '{"earlier": true}');
  // a TensorFlow wheel by its name and metadata, without the C libraries
  const wheel = zip(join(tempDir(), 'tensorflow_cpu-2.18.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'), {
    'tensorflow_cpu-2.18.0.dist-info/METADATA': 'Name: tensorflow-cpu\nVersion: 2.18.0\n',
    'tensorflow/include/tensorflow/c/c_api.h': '// c api',
  });
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts'), 'setup-native', '--wheel', wheel], {
    encoding: 'utf8',
    env: { ...process.env, LRC_NATIVE_HOME: home },
  });
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^lrc-distill: setup-native: .*tensorflow_cpu-2\.18\.0-.*\.whl has no tensorflow\/libtensorflow_cc\.so\.2: not a TensorFlow wheel with the C library .* \(log: .*setup-cpu\.log; nothing was installed\)$/);
  assert.match(r.stdout, /2\/5 npm install @tensorflow\/tfjs-node@4\.22\.0/, 'it got as far as the npm install');
  assert.deepEqual(readdirSync(home).sort(), ['cpu', 'setup-cpu.log']);
  assert.deepEqual(readdirSync(join(home, 'cpu')), ['native.json']);
  assert.equal(readFileSync(join(home, 'cpu', 'native.json'), 'utf8'), '{"earlier": true}');
});

test('every CUDA wheel of the pinned TensorFlow has a pinned sha256, under its own name and version', () => {
  const keys = Object.keys(CUDA_WHEELS);
  assert.equal(keys.length, 12, 'the 12 wheels of TensorFlow 2.18.1\'s and-cuda extra');
  for (const requirement of cudaRequirements(METADATA_218)) assert.ok(requirement in CUDA_WHEELS, `${requirement} is pinned`);
  for (const [requirement, pin] of Object.entries(CUDA_WHEELS)) {
    const [project, version] = requirement.split('==');
    assert.ok(pin.file.startsWith(`${project.replace(/-/g, '_')}-${version}-`) && pin.file.endsWith('manylinux2014_x86_64.whl'), `${requirement}: ${pin.file}`);
    assert.match(pin.sha256, /^[0-9a-f]{64}$/, requirement);
  }
  assert.equal(new Set(Object.values(CUDA_WHEELS).map((p) => p.sha256)).size, keys.length, 'no hash given twice');
});
