#!/usr/bin/env node
// `npm run test:electron`: the vscode-tier suite (dist-test/vscode/index.js) in the desktop VS Code,
// through @vscode/test-electron's runTests, for machines that can download VS Code (or have it:
// LRC_VSCODE_EXECUTABLE=/path/to/code). Where the download is out of reach, it says so and points to
// `npm run test:vscode`, which runs the same suite in code-server.
// Env: LRC_VSCODE_VERSION (default: stable), LRC_VSCODE_EXECUTABLE, LRC_TOOLS_DIR (download cache).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { toolsDir } from './provision-vscode.mjs';
import { isAlive, waitFor } from './vscode-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const suiteJs = join(root, 'dist-test', 'vscode', 'index.js');

function die(message) {
  console.error(`test:electron: ${message}`);
  process.exit(1);
}

const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) die(`the build failed (exit ${build.status})`);

const scratch = mkdtempSync(join(tmpdir(), 'lrc-electron-'));
const workspace = join(scratch, 'workspace');
mkdirSync(workspace);
const pidFile = join(scratch, 'trainer.pid');
let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.LRC_VSCODE_VERSION || 'stable',
    vscodeExecutablePath: process.env.LRC_VSCODE_EXECUTABLE || undefined,
    cachePath: join(toolsDir(), 'vscode-test'), // outside the work tree, shared by clones
    extensionDevelopmentPath: root,
    extensionTestsPath: suiteJs,
    extensionTestsEnv: { LRC_TEST_TRAINER_PID_FILE: pidFile },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', join(scratch, 'user')],
  });
} catch (e) {
  const msg = String(e?.message ?? e);
  rmSync(scratch, { recursive: true, force: true });
  if (/download|fetch|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|socket|network|status code/i.test(msg) && !process.env.LRC_VSCODE_EXECUTABLE) {
    die(`could not download VS Code (${msg.split('\n')[0]}).\n` +
      'This machine cannot reach the VS Code download. Run the same suite in code-server with `npm run test:vscode`,\n' +
      'or point LRC_VSCODE_EXECUTABLE at an installed VS Code.');
  }
  const display = process.platform === 'linux' && !process.env.DISPLAY ? ' (no DISPLAY: on a headless Linux run it under xvfb-run)' : '';
  die(`VS Code did not run the suite${display}: ${e?.stack ?? msg}`);
}

// The trainer the suite started must not outlive VS Code.
let leaked = false;
if (existsSync(pidFile)) {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    await waitFor(() => !isAlive(pid), { timeoutMs: 15_000, describe: () => `trainer process ${pid} to end` });
  } catch {
    leaked = true;
    console.error(`test:electron: trainer process ${pid} was still running 15 s after VS Code closed (killed it now)`);
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
} else if (exitCode === 0) {
  leaked = true;
  console.error('test:electron: the suite passed but did not record its trainer pid (LRC_TEST_TRAINER_PID_FILE)');
}
rmSync(scratch, { recursive: true, force: true });
process.exit(exitCode !== 0 || leaked ? 1 : 0);
