// When the extension offers to build the native TensorFlow backend, and what the offer and "Show
// Trainer Backend" say (extension/native/nativeOfferPolicy.ts). The first report is the trainer's own:
// selectBackend with an empty native home, so the rejection texts are the ones requireNative writes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { selectBackend } from '../../../trainer/backend/select';
import type { BackendReport } from '../../../trainer/protocol';
import { backendSummary, buildCost, notInstalledRejection, offerMessage, shortReason, shouldOffer, type OfferInput } from '../../../extension/native/nativeOfferPolicy';

let home: string;
let report: BackendReport;
const saved = process.env.LRC_NATIVE_HOME;

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'lrc-native-home-'));
  process.env.LRC_NATIVE_HOME = home;
  report = await selectBackend();
});

after(() => {
  if (saved === undefined) delete process.env.LRC_NATIVE_HOME;
  else process.env.LRC_NATIVE_HOME = saved;
  rmSync(home, { recursive: true, force: true });
});

const input = (over: Partial<OfferInput> = {}): OfferInput => ({ report, built: [], platform: 'linux', arch: 'x64', offeredInWindow: false, dontAsk: false, ...over });

test('the trainer with an empty native home runs on WASM and its report says tfjs-node is not installed', () => {
  assert.equal(report.backend, 'wasm');
  const rejection = notInstalledRejection(report);
  assert.ok(rejection, `no "not installed" rejection in ${JSON.stringify(report.rejected)}`);
  assert.equal(rejection.name, '@tensorflow/tfjs-node', 'the CPU binding is the one offered (the GPU one is rejected first)');
  assert.match(rejection.reason, /lrc-distill setup-native'/);
});

test('offered once: on linux-x64, off TensorFlow, nothing built, not asked before in this window, not refused for good', () => {
  assert.equal(shouldOffer(input()), true);
  assert.equal(shouldOffer(input({ offeredInWindow: true })), false, 'once per window');
  assert.equal(shouldOffer(input({ dontAsk: true })), false, "Don't Ask Again");
  assert.equal(shouldOffer(input({ built: ['cpu'] })), false, 'built since the trainer started: a restart is what it needs');
  assert.equal(shouldOffer(input({ built: ['gpu'] })), false);
  assert.equal(shouldOffer(input({ platform: 'darwin' })), false, 'setup-native builds from linux x86_64 wheels only');
  assert.equal(shouldOffer(input({ arch: 'arm64' })), false);
  assert.equal(shouldOffer(input({ report: { ...report, backend: 'tensorflow' } })), false);
});

test('not offered when the native backend exists but failed to load, or when the user chose a backend', () => {
  const loadError = { ...report, rejected: [{ name: '@tensorflow/tfjs-node', reason: 'libtensorflow_cc.so.2: cannot open shared object file' }] };
  assert.equal(notInstalledRejection(loadError), undefined);
  assert.equal(shouldOffer(input({ report: loadError })), false);
  assert.equal(shouldOffer(input({ report: { ...report, rejected: [] } })), false, "--backend wasm (the setting): nothing was rejected");
});

test('the offer says the backend, why the native one was not used (without the CLI how-to) and the cost', () => {
  const message = offerMessage(report, buildCost('cpu', false));
  assert.match(message, /^Training runs on WASM \(@tensorflow\/tfjs-node not installed \(its npm install step downloads a libtensorflow that is no longer served\)\)\. /);
  assert.match(message, /Build the native TensorFlow backend from TensorFlow's PyPI wheel \(about 1 minute, downloads ~230 MB from PyPI\)\?$/);
  assert.doesNotMatch(message, /run 'lrc-distill/);
  assert.match(offerMessage({ ...report, backend: 'cpu' }, buildCost('cpu', true)), /^Training runs on the plain JavaScript backend .*the wheel is already downloaded\)\?$/);
  assert.equal(shortReason('some other error'), 'some other error', 'a reason without the how-to stays whole');
});

test('Show Trainer Backend names the backend, the package, the device and every rejected backend with its reason', () => {
  const text = backendSummary(report, 1234);
  assert.ok(text.startsWith(`LRC trainer (pid 1234): backend wasm (@tensorflow/tfjs-backend-wasm ${report.version}) on ${report.device}.`), text);
  for (const r of report.rejected) assert.ok(text.includes(`${r.name}: ${r.reason}`), `${r.name} missing in: ${text}`);
  const native: BackendReport = { backend: 'tensorflow', package: '@tensorflow/tfjs-node', version: '4.22.0', device: 'TensorFlow 2.18.1 from the tensorflow_cpu wheel (setup-native), CPU: AMD EPYC', rejected: [{ name: '@tensorflow/tfjs-node-gpu', reason: 'not installed (x)' }] };
  assert.equal(backendSummary(native, 7), 'LRC trainer (pid 7): backend tensorflow (@tensorflow/tfjs-node 4.22.0) on TensorFlow 2.18.1 from the tensorflow_cpu wheel (setup-native), CPU: AMD EPYC. Not used: @tensorflow/tfjs-node-gpu: not installed (x).');
});
