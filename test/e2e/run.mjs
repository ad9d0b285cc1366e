#!/usr/bin/env node
// The e2e tier: Playwright drives the VS Code workbench (code-server in Debian's Chromium) as a person
// would, with the extension loaded from this folder. Runs the tests of test/e2e/*.e2e.mjs in one
// workbench, in file order; each file exports `tests = [{ name, async run({ page, server, workspace,
// state }) }]` (`state` carries values from one test to the next). Screenshots go to
// test-results/screenshots/. Closes with "e2e: N passed, N failed".
// Build first (`node esbuild.mjs`; `npm test` does). Env: LRC_E2E_TIMEOUT_MS (per test, default 180000);
// LRC_E2E_FILES=sweepFront,dashboard runs only those files (names without .e2e.mjs).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { provisionVscode } from '../../scripts/provision-vscode.mjs';
import { descendantPids, isAlive, launchBrowser, startCodeServer } from '../../scripts/vscode-server.mjs';
import { openWorkbench, screenshot, screenshotDir } from './workbench.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const testTimeoutMs = Number(process.env.LRC_E2E_TIMEOUT_MS ?? 180_000);
const GRACE_MS = 15_000; // how long the trainer may take to follow code-server when it is asked to stop
const results = { passed: 0, failed: 0 };

function report(ok, name, detail = '') {
  results[ok ? 'passed' : 'failed'] += 1;
  console.log(`  ${ok ? '✔' : '✖'} ${name}${detail ? `: ${detail}` : ''}`);
}

function finish() {
  console.log(`e2e: ${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed > 0 ? 1 : 0);
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** The trainer processes (dist/trainer.js) under code-server's process tree. */
function trainerPids(serverPid) {
  return descendantPids(serverPid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('trainer.js');
    } catch {
      return false;
    }
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function loadTests() {
  const only = process.env.LRC_E2E_FILES?.split(',').map((n) => n.trim()).filter(Boolean);
  const files = readdirSync(here).filter((f) => f.endsWith('.e2e.mjs') && (!only?.length || only.includes(f.replace(/\.e2e\.mjs$/, '')))).sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(here, file)).href);
    if (!Array.isArray(mod.tests)) throw new Error(`${file} must export \`tests\`, an array of { name, run }`);
    for (const t of mod.tests) tests.push({ ...t, file });
  }
  return tests;
}

async function main() {
  const t0 = Date.now();
  const missing = ['dist/extension.js', 'dist/trainer.js'].filter((p) => !existsSync(join(root, p)));
  if (missing.length) {
    console.error(`e2e tier: ${missing.join(' and ')} missing: build first with \`node esbuild.mjs\``);
    report(false, 'build present');
    finish();
  }
  const tests = await loadTests();
  rmSync(screenshotDir, { recursive: true, force: true }); // only this run's pictures, failures included
  try {
    await provisionVscode();
  } catch (e) {
    console.error(`e2e tier: cannot provision code-server and Chromium: ${e.message}`);
    report(false, 'provision');
    finish();
  }

  const scratch = mkdtempSync(join(tmpdir(), 'lrc-e2e-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  let server;
  let browser;
  const seenTrainers = new Set();
  const cleanup = async () => {
    await browser?.close();
    const stopped = await server?.stop({ graceMs: GRACE_MS });
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    return stopped;
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => { void cleanup().finally(() => process.exit(130)); });

  try {
    server = await startCodeServer({ workspace, provision: false });
    browser = await launchBrowser();
    const { page } = browser;
    const payload = [['extensionDevelopmentPath', server.remoteUri(root.replace(/\/$/, ''))], ['skipWelcome', 'true']];
    await withTimeout(openWorkbench(page, server.workbenchUrl({ folder: workspace, payload })), 90_000, 'opening the workbench');
    const state = {};
    for (const t of tests) {
      const name = `${t.file.replace(/\.e2e\.mjs$/, '')}: ${t.name}`;
      const started = Date.now();
      try {
        await withTimeout(t.run({ page, server, workspace, state }), testTimeoutMs, name);
        report(true, name, `${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (e) {
        const shot = await screenshot(page, `failed-${slug(name)}`).catch(() => undefined);
        report(false, name, `${e.message}${shot ? `\n      screenshot: ${relative(root, shot)}` : ''}`);
      }
      for (const pid of trainerPids(server.pid)) seenTrainers.add(pid);
    }
  } catch (e) {
    report(false, 'workbench', e.stack ?? String(e));
    if (server) console.error(`code-server's output ends with:\n${server.output().slice(-3000)}`);
  }

  // No trainer may outlive code-server: ask it to stop, then look.
  const stopped = await cleanup().catch((e) => { console.error(`e2e tier: stopping: ${e.message}`); return undefined; });
  const left = [...seenTrainers].filter((pid) => stopped?.survivors.includes(pid) || isAlive(pid));
  for (const pid of left) try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  if (seenTrainers.size > 0) {
    report(left.length === 0, 'no trainer process outlives code-server',
      left.length ? `${left.join(', ')} still running ${GRACE_MS / 1000} s after code-server was asked to stop` : `${[...seenTrainers].join(', ')} ended`);
  }
  console.log(`\ne2e tier took ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in test-results/screenshots/`);
  finish();
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  report(false, 'e2e runner');
  finish();
});
