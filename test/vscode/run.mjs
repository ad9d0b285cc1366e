#!/usr/bin/env node
// The vscode tier: runs the mocha suite dist-test/vscode/index.js inside a real VS Code extension host
// (code-server, driven by headless Chromium), the way @vscode/test-electron runs it on the desktop.
// Prints mocha's output, then checks that the trainer process the suite started did not outlive
// VS Code, and closes with "vscode: N passed, N failed, N skipped" (mocha's tests + that check).
// Build first (`node esbuild.mjs --tests`; `npm test` does). Env: LRC_VSCODE_TIMEOUT_MS (default 600000;
// the suite takes 3 to 6 minutes on 2 cores, as loaded, a real native backend build included);
// LRC_VSCODE_TESTS=a.test,b.test runs only those files of index.ts (the trainer-pid check then only
// when smoke.test, which starts the trainer, is among them).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { provisionVscode } from '../../scripts/provision-vscode.mjs';
import { isAlive, launchBrowser, startCodeServer } from '../../scripts/vscode-server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const suiteJs = join(root, 'dist-test', 'vscode', 'index.js');
const timeoutMs = Number(process.env.LRC_VSCODE_TIMEOUT_MS ?? 600_000);
// Workbench start-up chatter that says nothing about the suite.
const NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[Service Worker\] registered|ChatSessionStore: )/;
const GRACE_MS = 15_000; // how long the trainer may take to follow VS Code when VS Code is asked to stop

function fail(message) {
  console.error(`vscode tier: ${message}`);
  console.log('vscode: 0 passed, 1 failed');
  process.exit(1);
}

function listTestFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listTestFiles(p);
    return name.endsWith('.test.ts') ? [p] : [];
  });
}

// The bundle can only run the test files that index.ts imports; one that is not listed would be skipped
// without a word.
function checkIndexListsEveryTestFile() {
  const dir = join(root, 'test', 'vscode');
  const index = readFileSync(join(dir, 'index.ts'), 'utf8');
  const missing = listTestFiles(dir)
    .map((p) => `./${relative(dir, p).replace(/\.ts$/, '')}`)
    .filter((spec) => !index.includes(`import('${spec}')`));
  if (missing.length) fail(`test/vscode/index.ts does not load ${missing.join(', ')}: add a line like ['x.test', () => import('./x.test')]`);
}

function checkBuilt() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const main = join(root, pkg.main ?? 'dist/extension.js');
  const missing = [main, suiteJs].filter((p) => !existsSync(p)).map((p) => relative(root, p));
  if (missing.length) fail(`${missing.join(' and ')} missing: build first with \`node esbuild.mjs --tests\``);
}

/** Counts from mocha's spec reporter ("N passing", "N failing", "N pending"). */
function mochaCounts(log) {
  const grab = (re) => { const m = log.match(re); return m ? Number(m[1]) : null; };
  return { passing: grab(/^\s*(\d+) passing/m), failing: grab(/^\s*(\d+) failing/m) ?? 0, pending: grab(/^\s*(\d+) pending/m) ?? 0 };
}

// Text of one codeAutomationLog call: the extension host's console output, forwarded by the workbench.
// Its arguments are console.log's: a printf-style format string and the values.
function logText(args) {
  return format(...(args ?? [])).replace(/\x1b\[[0-9;]*m/g, '');
}

async function main() {
  const t0 = Date.now();
  checkBuilt();
  checkIndexListsEveryTestFile();
  try {
    await provisionVscode();
  } catch (e) {
    fail(`cannot provision code-server and Chromium: ${e.message}`);
  }

  const scratch = mkdtempSync(join(tmpdir(), 'lrc-vscode-tier-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const pidFile = join(scratch, 'trainer.pid');
  let server;
  let browser;
  let timer;
  const cleanup = async () => {
    clearTimeout(timer);
    await browser?.close();
    const stopped = await server?.stop({ graceMs: GRACE_MS });
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    return stopped;
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { void cleanup().finally(() => process.exit(130)); });

  let log = '';
  let exitCode;
  try {
    server = await startCodeServer({ workspace, provision: false, env: { LRC_TEST_TRAINER_PID_FILE: pidFile } });
    browser = await launchBrowser();
    const { page } = browser;
    let resolveExit;
    const finished = new Promise((resolve) => { resolveExit = resolve; });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = logText(args);
      log += `${text}\n`;
      if (NOISE.test(text)) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(root.replace(/\/$/, ''))],
      ['extensionTestsPath', server.remoteUri(suiteJs)],
      ['skipWelcome', 'true'],
    ];
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const serverDied = server.exited.then((e) => `code-server exited early (${e.code ?? e.signal})`);
    const pageCrashed = new Promise((resolve) => page.on('crash', () => resolve('the browser page crashed')));
    await page.goto(server.workbenchUrl({ folder: workspace, payload }));
    const outcome = await Promise.race([finished, timedOut, serverDied, pageCrashed]);
    if (typeof outcome === 'number') exitCode = outcome;
    else console.error(`vscode tier: ${outcome === 'timeout' ? `timed out after ${timeoutMs / 1000} s` : outcome}; code-server's output ends with:\n${server.output().slice(-3000)}`);
  } catch (e) {
    console.error(`vscode tier: ${e.stack ?? e}`);
    if (server) console.error(`code-server's output ends with:\n${server.output().slice(-3000)}`);
  }

  // The trainer the suite started must end with VS Code: ask code-server to stop, then look.
  const trainerPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
  const wasAlive = trainerPid !== undefined && isAlive(trainerPid);
  const stopped = await cleanup().catch((e) => { console.error(`vscode tier: stopping: ${e.message}`); return undefined; });
  let cleanupOk = true;
  const smokeRan = !process.env.LRC_VSCODE_TESTS || process.env.LRC_VSCODE_TESTS.split(',').map((n) => n.trim()).includes('smoke.test');
  if (exitCode === 0 && trainerPid === undefined && smokeRan) {
    cleanupOk = false;
    console.error('vscode tier: the suite passed but did not record its trainer pid (LRC_TEST_TRAINER_PID_FILE)');
  } else if (trainerPid !== undefined) {
    const survived = stopped?.survivors.includes(trainerPid);
    const stillAlive = isAlive(trainerPid);
    if (stillAlive) try { process.kill(trainerPid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    if (survived || stillAlive) {
      cleanupOk = false;
      console.error(`vscode tier: trainer process ${trainerPid} was still running ${GRACE_MS / 1000} s after code-server was asked to stop` +
        (stillAlive ? ', and even after its process group was killed (killed it now)' : ''));
    } else {
      console.log(`  ✔ trainer process ${trainerPid} did not outlive VS Code (${wasAlive ? 'ended when code-server stopped' : 'ended with the extension host'})`);
    }
  }

  const m = mochaCounts(log);
  let failed = m.failing + (cleanupOk ? 0 : 1);
  if (exitCode !== 0 && m.failing === 0) failed += 1; // the suite died before mocha could count
  const passed = (m.passing ?? 0) + (cleanupOk && trainerPid !== undefined ? 1 : 0);
  console.log(`\nvscode tier took ${((Date.now() - t0) / 1000).toFixed(1)} s (exit code ${exitCode ?? 'none'})`);
  console.log(`vscode: ${passed} passed, ${failed} failed, ${m.pending} skipped`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e) => fail(e.stack ?? String(e)));
