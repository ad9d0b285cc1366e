// Inside a real VS Code: the extension activates, registers every command it contributes, starts its
// trainer child process and opens its dashboard. The runner (test/vscode/run.mjs) checks afterwards
// that the trainer process recorded here did not outlive VS Code.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LrcDistillApi } from '../../extension/extension';

const EXTENSION_ID = 'lrc-distill.lrc-distill';
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

function getExtension(): vscode.Extension<LrcDistillApi> {
  const ext = vscode.extensions.getExtension<LrcDistillApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ') || 'none but built-ins'}`);
  return ext;
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

function isDashboardTab(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('lrcDistill.dashboard');
}

/** The tabs that match, once there is at least one: the tab model follows the UI asynchronously. */
function waitForTabs(match: (tab: vscode.Tab) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Tab[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const found = allTabs().filter(match);
      if (found.length === 0) return false;
      cleanup();
      resolve(found);
      return true;
    };
    const listener = vscode.window.tabGroups.onDidChangeTabs(() => void check());
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${what} after ${timeoutMs} ms; open tabs: ${allTabs().map((t) => t.label).join(', ') || 'none'}`));
    }, timeoutMs);
    const cleanup = (): void => { listener.dispose(); clearTimeout(timer); };
    check();
  });
}

suite('smoke: the extension inside VS Code', () => {
  let api: LrcDistillApi;

  suiteSetup(async () => {
    api = await getExtension().activate();
  });

  test('activates and returns its API', () => {
    const ext = getExtension();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api?.trainer?.hello, 'function', 'activate() must return { trainer: { hello() } }');
  });

  test('registers every command that package.json contributes', async () => {
    const contributed = (getExtension().packageJSON.contributes?.commands ?? []) as ContributedCommand[];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    for (const c of contributed) assert.equal(c.category, 'LRC', `command ${c.command} has category ${c.category}, want LRC`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the trainer child process answers hello with its backend', async () => {
    const hello = await api.trainer.hello();
    assert.ok(BACKENDS.includes(hello.backend.backend), `backend ${JSON.stringify(hello.backend.backend)} is none of ${BACKENDS.join(', ')}`);
    assert.ok(Number.isInteger(hello.pid) && hello.pid > 0, `hello.pid is ${hello.pid}`);
    assert.notEqual(hello.pid, process.pid, 'the trainer must run in its own process, not in the extension host');
    assert.equal(api.trainer.pid, hello.pid, 'the process the client spawned is the one that answered');
    assert.ok(Object.keys(hello.versions).length > 0, 'hello.versions is empty');
    // The runner checks after stopping VS Code that this process is gone.
    const pidFile = process.env.LRC_TEST_TRAINER_PID_FILE;
    if (pidFile) writeFileSync(pidFile, `${hello.pid}\n`);
  });

  test('"LRC: Show Trainer Backend" reports the same trainer', async () => {
    const hello = await vscode.commands.executeCommand<{ pid: number; backend: { backend: string } } | undefined>('lrcDistill.showTrainerBackend');
    assert.ok(hello, 'the command returned nothing (it failed; see the LRC Distill log)');
    assert.equal(hello.pid, api.trainer.pid, 'the command started a second trainer instead of reusing the first');
  });

  test('"LRC: Open Dashboard" opens one dashboard webview panel', async () => {
    await vscode.commands.executeCommand('lrcDistill.openDashboard');
    const [dashboard] = await waitForTabs(isDashboardTab, 'a dashboard tab');
    assert.equal(dashboard.label, 'LRC Dashboard');
    // A second call reveals the same panel instead of opening another one.
    await vscode.commands.executeCommand('lrcDistill.openDashboard');
    await vscode.commands.getCommands(); // a round trip to the workbench, after which its tab changes have arrived
    assert.equal(allTabs().filter(isDashboardTab).length, 1);
  });
});
