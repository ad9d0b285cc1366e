// Inside a real VS Code: the native TensorFlow backend's set-up from the extension (issue 21). A trainer
// of the window that runs on WASM because tfjs-node is not installed brings the offer, once per window;
// LRC: Set Up Native TensorFlow Backend runs the real `lrc-distill setup-native` (tfjs-node built
// against TensorFlow's PyPI wheel, about 30 s) into a temporary native home (LRC_NATIVE_HOME, which the
// extension host passes to the CLI and the trainer), step by step; the notification's Restart Trainer
// button gives a trainer on TensorFlow from that wheel; a failure names the build log and Show Log opens
// it; a cancelled build leaves neither a build folder nor a process. The pinned wheel is copied from
// ~/.cache/lrc-distill/native/wheels (where the native tier leaves it) when it is there, so nothing big
// is downloaded; without it the first build downloads it with pip and the next builds reuse that copy.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';
import type { NativeSetupResult } from '../../extension/native/nativeSetup';
import { readManifest } from '../../trainer/backend/native/nativeHome';
import { WHEELS } from '../../trainer/backend/native/pins';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'lrc-distill.lrc-distill';
const WHEEL = WHEELS.cpu.file;

suite('native backend: the offer, a build from the wheel, a failure and a cancel', () => {
  let api: LrcDistillApi;
  const homes: string[] = [];
  const savedHome = process.env.LRC_NATIVE_HOME;

  /** A new, empty native home (with `withWheel`, the pinned wheel in its cache when one is at hand), set as LRC_NATIVE_HOME. */
  function freshHome(withWheel = false): string {
    const home = mkdtempSync(join(tmpdir(), 'lrc-native-home-'));
    const sources = [...homes.map((h) => join(h, 'wheels', WHEEL)), join(homedir(), '.cache', 'lrc-distill', 'native', 'wheels', WHEEL)];
    const wheel = sources.find((f) => existsSync(f));
    if (withWheel && wheel) {
      mkdirSync(join(home, 'wheels'));
      copyFileSync(wheel, join(home, 'wheels', WHEEL));
    }
    homes.push(home);
    process.env.LRC_NATIVE_HOME = home;
    return home;
  }

  const buildFolders = (home: string) => readdirSync(home).filter((n) => n.startsWith('.build-'));

  function recordTrainerPid(pid: number): void {
    // the runner checks after stopping VS Code that the trainer recorded here is gone
    const pidFile = process.env.LRC_TEST_TRAINER_PID_FILE;
    if (pidFile) writeFileSync(pidFile, `${pid}\n`);
  }

  /** Presses the primary button of the notification on screen until `done` holds (it may not be there yet). */
  async function pressPrimaryUntil(what: string, done: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 50 && !done(); attempt++) {
      await vscode.commands.executeCommand('notification.acceptPrimaryAction');
      await waitFor(what, done, 400).catch(() => undefined);
    }
    assert.ok(done(), `${what}: the notification's button was not pressed`);
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = await ext.activate();
  });

  suiteTeardown(() => {
    if (savedHome === undefined) delete process.env.LRC_NATIVE_HOME;
    else process.env.LRC_NATIVE_HOME = savedHome;
    for (const home of homes) rmSync(home, { recursive: true, force: true, maxRetries: 3 });
  });

  test('a trainer on WASM for want of tfjs-node brings the offer, once per window', async () => {
    freshHome();
    // a trainer started with nothing built (the smoke test's may have been the first: then it made the offer)
    const hello = await api.trainer.service.restart();
    recordTrainerPid(hello.pid);
    assert.equal(hello.backend.backend, 'wasm', `with an empty native home the trainer runs on WASM; it said ${JSON.stringify(hello.backend)}`);
    const rejected = hello.backend.rejected.find((r) => r.name === '@tensorflow/tfjs-node');
    assert.ok(rejected && /^not installed .*run 'lrc-distill setup-native'/.test(rejected.reason), `the report says why tfjs-node was not used: ${JSON.stringify(hello.backend.rejected)}`);
    const shown = api.native.offer.shown;
    assert.equal(shown.length, 1, `one offer in this window, not ${shown.length}: ${JSON.stringify(shown)}`);
    assert.match(shown[0], /^Training runs on WASM \(@tensorflow\/tfjs-node not installed \(its npm install step downloads a libtensorflow that is no longer served\)\)\. Build the native TensorFlow backend from TensorFlow's PyPI wheel \(about 1 minute, /);
    // the next trainer is on WASM for the same reason, and the user is not asked again
    const again = await api.trainer.service.restart();
    recordTrainerPid(again.pid);
    assert.equal(again.backend.backend, 'wasm');
    assert.equal(api.native.offer.shown.length, 1, 'asked a second time in the same window');
  });

  test('a build that fails says why in one line, and Show Log opens the build log it names', async () => {
    const home = freshHome();
    await vscode.commands.executeCommand('notifications.clearAll');
    const missing = join(home, 'no-such.whl');
    const result = (await vscode.commands.executeCommand('lrcDistill.setupNativeBackend', { gpu: false, wheel: missing })) as NativeSetupResult;
    assert.equal(result.outcome, 'failed', result.message);
    assert.equal(result.message, `setup-native: --wheel ${missing}: no such file or folder (log: ${join(home, 'setup-cpu.log')}; nothing was installed)`);
    assert.equal(result.logFile, join(home, 'setup-cpu.log'));
    assert.deepEqual(buildFolders(home), []);
    assert.equal(readManifest('cpu', home), undefined);
    await pressPrimaryUntil('the build log open in an editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === result.logFile);
    const log = vscode.window.activeTextEditor!.document.getText();
    assert.match(log, /== setup-native cpu \d{4}-\d\d-\d\dT/);
    assert.ok(log.includes(`failed: --wheel ${missing}: no such file or folder`), `the build log does not say why: ${log}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Set Up Native TensorFlow Backend builds it step by step, and Restart Trainer gives a trainer on TensorFlow from the wheel', async () => {
    const home = freshHome(true);
    const steps: string[] = [];
    const sub = api.native.setup.onDidStep((s) => steps.push(`${s.step}/${s.total}`));
    await vscode.commands.executeCommand('notifications.clearAll');
    let result: NativeSetupResult;
    try {
      result = (await vscode.commands.executeCommand('lrcDistill.setupNativeBackend', { gpu: false })) as NativeSetupResult;
    } finally {
      sub.dispose();
    }
    assert.equal(result.outcome, 'built', result.message);
    assert.deepEqual(steps, ['1/5', '2/5', '3/5', '4/5', '5/5'], 'the progress notification showed every step of the CLI');
    assert.deepEqual(result.steps.map((s) => s.slice(0, 3)), steps);
    assert.equal(result.home, home);
    const manifest = readManifest('cpu', home);
    assert.ok(manifest, `no build in ${home}: ${readdirSync(home).join(', ')}`);
    assert.equal(manifest.smoke.backend, 'tensorflow');
    assert.deepEqual(buildFolders(home), [], 'the build folder was renamed into place');
    assert.match(result.message, /^native TensorFlow backend ready: TensorFlow 2\.18\.1 from the tensorflow_cpu wheel, @tensorflow\/tfjs-node@4\.22\.0, CPU$/);

    // the success notification's button restarts the trainer, which now loads the build
    const before = api.trainer.pid;
    await pressPrimaryUntil('a new trainer', () => api.trainer.pid !== undefined && api.trainer.pid !== before);
    const hello = await api.trainer.hello();
    const report = hello.backend;
    recordTrainerPid(hello.pid);
    assert.equal(report.backend, 'tensorflow', JSON.stringify(report));
    assert.equal(report.package, '@tensorflow/tfjs-node');
    assert.match(report.device, /^TensorFlow 2\.18\.1 from the tensorflow_cpu wheel \(setup-native\), CPU: /);
    // what the dashboard's overview and Show Trainer Backend show
    assert.equal(api.trainer.service.info.device, report.device);
    assert.match(api.trainer.service.info.detail ?? '', /^Not used: @tensorflow\/tfjs-node-gpu: not installed /);
    const shown = (await vscode.commands.executeCommand('lrcDistill.showTrainerBackend')) as { backend: { device: string } };
    assert.equal(shown.backend.device, report.device);
  });

  test('cancelling a build ends its processes and leaves no build folder and no build', async () => {
    const home = freshHome(true);
    await vscode.commands.executeCommand('notifications.clearAll');
    let npmStarted = false;
    const sub = api.native.setup.onDidStep((s) => (npmStarted ||= s.step === 2));
    const running = vscode.commands.executeCommand('lrcDistill.setupNativeBackend', { gpu: false }) as Thenable<NativeSetupResult>;
    let result: NativeSetupResult;
    try {
      await waitFor('step 2/5 (npm install in the build folder)', () => npmStarted && buildFolders(home).length > 0, 60_000);
      assert.equal(api.native.setup.running, true);
      api.native.setup.cancel(); // what the progress notification's Cancel button does
      result = await running;
    } finally {
      sub.dispose();
    }
    assert.equal(result.outcome, 'cancelled', result.message);
    assert.equal(result.message, 'native backend build cancelled; nothing was installed');
    assert.deepEqual(buildFolders(home), [], 'a half-built folder was left');
    assert.equal(existsSync(join(home, 'cpu')), false);
    assert.equal(api.native.setup.running, false);
    assert.ok(result.pid);
    assert.throws(() => process.kill(-result.pid!, 0), /ESRCH/, `the process group ${result.pid} of the build is still there`);
  });
});
