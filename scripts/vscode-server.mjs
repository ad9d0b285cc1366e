// Starts code-server (VS Code in a browser, with a real Node extension host) for one test run, and
// Debian's Chromium through playwright-core to look at it. Everything gets fresh temporary state
// (user data, extensions, XDG folders, browser profile) that is removed when stopped; code-server
// listens on loopback only, on a free port, without authentication.
//
//   const server = await startCodeServer({ workspace });
//   const browser = await launchBrowser();
//   await browser.page.goto(server.workbenchUrl({ folder: workspace }));
//   ... await browser.close(); await server.stop();
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM_PATH, codeServerPaths, provisionVscode } from './provision-vscode.mjs';

const HOST = '127.0.0.1';

// User settings of a test run: no network look-ups, no welcome pages or tips over the workbench.
export const QUIET_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
};

/** A TCP port on loopback that nothing listens on right now. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until check() returns a truthy value, polling every intervalMs; throws describe() on timeout. */
export async function waitFor(check, { timeoutMs, intervalMs = 200, describe }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await sleep(intervalMs);
  }
}

// The environment of the child: this one, less what a surrounding VS Code or Electron would pass on.
function childEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Every process whose parent chain leads to rootPid (read from /proc), rootPid excluded. */
export function descendantPids(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch { /* the process ended while we looked */ }
  }
  const out = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const pid of children.get(queue.shift()) ?? []) { out.push(pid); queue.push(pid); }
  }
  return out;
}

/** True while a process with this pid exists and is not a zombie. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function killQuietly(pid, signal) {
  try { process.kill(pid, signal); } catch { /* already gone */ }
}

/**
 * Starts code-server. Options:
 *   workspace       folder to open by default (optional; the URL can name another)
 *   workspaceTrust  false (default): --disable-workspace-trust; true: VS Code asks as it normally does
 *   env             extra environment for code-server and so for the extension host and its children
 *   settings        user settings, over QUIET_SETTINGS
 *   provision       true (default): run provisionVscode() first
 *   startTimeoutMs  how long to wait for /healthz (default 60 s)
 *   keepState       true: leave the temporary folders for inspection (their path is in .stateDir)
 * Returns { port, origin, stateDir, pid, exited, workbenchUrl({ folder, payload }), remoteUri(path), output(),
 *   stop({ graceMs }) }.
 */
export async function startCodeServer(opts = {}) {
  const { workspace, workspaceTrust = false, env = {}, settings = {}, provision = true, startTimeoutMs = 60000, keepState = false } = opts;
  if (provision) await provisionVscode();
  const { entry } = codeServerPaths();
  const port = await findFreePort();
  const stateDir = mkdtempSync(join(tmpdir(), 'lrc-code-server-'));
  const dirs = Object.fromEntries(['user', 'extensions', 'xdg-data', 'xdg-config', 'xdg-cache'].map((d) => [d, join(stateDir, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d);
  mkdirSync(join(dirs.user, 'User'));
  writeFileSync(join(dirs.user, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const config = join(stateDir, 'config.yaml');
  writeFileSync(config, `bind-addr: ${HOST}:${port}\nauth: none\ncert: false\n`);
  const args = [entry, '--config', config, '--bind-addr', `${HOST}:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (workspace) args.push(workspace);
  // detached: code-server leads its own process group, so that stop() reaches its children too.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({
      XDG_DATA_HOME: dirs['xdg-data'], XDG_CONFIG_HOME: dirs['xdg-config'], XDG_CACHE_HOME: dirs['xdg-cache'],
      EXTENSIONS_GALLERY: '{}', // no marketplace: nothing to look up on a network that tests must not need
      ...env,
    }),
  });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-200_000); };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  child.stdout.on('error', () => {});
  child.stderr.on('error', () => {});
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(); }));
  child.on('error', (err) => { keep(`\nspawn error: ${err.message}\n`); });

  const origin = `http://${HOST}:${port}`;
  let stopping;
  // graceMs > 0: first ask code-server alone to stop (SIGTERM to its main process, which shuts its own
  // children down) and report which processes were still running after graceMs; then, in any case,
  // end the whole process group. Resolves with { survivors: pids alive after the grace period }.
  const stop = ({ graceMs = 0 } = {}) => {
    stopping ??= (async () => {
      // Collect the whole tree first: a child that started its own session (a terminal) leaves the
      // group, and once code-server is gone its children are re-parented and can no longer be found.
      const tree = child.pid ? [child.pid, ...descendantPids(child.pid)] : [];
      const gone = () => tree.every((pid) => !isAlive(pid));
      let survivors = [];
      if (graceMs > 0 && child.pid) {
        killQuietly(child.pid, 'SIGTERM');
        try {
          await waitFor(gone, { timeoutMs: graceMs, intervalMs: 100, describe: () => 'code-server to stop' });
        } catch {
          survivors = tree.filter(isAlive);
        }
      }
      if (child.pid) killQuietly(-child.pid, 'SIGTERM');
      for (const pid of tree) killQuietly(pid, 'SIGTERM');
      try {
        await waitFor(gone, { timeoutMs: 5000, intervalMs: 100, describe: () => 'code-server to stop' });
      } catch {
        if (child.pid) killQuietly(-child.pid, 'SIGKILL');
        for (const pid of tree) killQuietly(pid, 'SIGKILL');
        await waitFor(gone, { timeoutMs: 5000, intervalMs: 100, describe: () => `processes ${tree.filter(isAlive).join(' ')} to die` });
      }
      if (exited === null && child.pid) await Promise.race([exitPromise, sleep(2000)]);
      if (!keepState) rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
      return { survivors };
    })();
    return stopping;
  };

  try {
    await waitFor(async () => {
      if (exited) throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it answered:\n${output.slice(-3000)}`);
      try {
        const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        const body = res.ok ? await res.json() : null;
        return body && typeof body.status === 'string';
      } catch {
        return false;
      }
    }, { timeoutMs: startTimeoutMs, describe: () => `code-server's /healthz on ${origin}; its output:\n${output.slice(-3000)}` });
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    port,
    origin,
    stateDir,
    pid: child.pid,
    output: () => output,
    stop,
    /** Resolves with { code, signal } when code-server's main process exits. */
    exited: exitPromise.then(() => exited),
    /** The workbench URL opening `folder`, with an optional automation payload ([key, value] pairs). */
    workbenchUrl({ folder, payload } = {}) {
      const q = new URLSearchParams();
      if (folder) q.set('folder', folder);
      if (payload) q.set('payload', JSON.stringify(payload));
      return `${origin}/?${q}`;
    },
    /** A vscode-remote URI for a path on this machine, as the payload's paths need. */
    remoteUri(path) {
      return `vscode-remote://${HOST}:${port}${path}`;
    },
  };
}

/**
 * Launches Debian's Chromium with a fresh profile. Returns { context, page, close() }.
 * Options: headless (default true), viewport (default 1400x900).
 */
export async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'lrc-chromium-'));
  const xdg = join(profile, '.xdg');
  let context;
  try {
    context = await chromium.launchPersistentContext(join(profile, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless,
      viewport,
      env: childEnv({ XDG_CONFIG_HOME: join(xdg, 'config'), XDG_CACHE_HOME: join(xdg, 'cache'), XDG_DATA_HOME: join(xdg, 'data') }),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? await context.newPage();
  let closed = false;
  return {
    context,
    page,
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
