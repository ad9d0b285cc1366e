#!/usr/bin/env node
// Makes sure that the tools of the vscode and e2e test tiers are on this machine, installing what is
// missing: Debian's Chromium, ripgrep and the libraries that code-server's native modules build
// against (apt, as root only), and code-server itself (npm, in a cached tool folder that is no part
// of the extension's dependencies). Fast and silent when everything is already there.
//
// Tool folder: $LRC_TOOLS_DIR, else $XDG_CACHE_HOME/lrc-distill, else ~/.cache/lrc-distill; code-server
// goes to <tools>/code-server-<version>/. It lives outside the work tree so that a fresh clone (CI)
// on the same machine reuses it; delete the folder to force a fresh install.
//
//   node scripts/provision-vscode.mjs          provision, print the paths
//   import { provisionVscode } from './provision-vscode.mjs'   same, from a runner
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // = VS Code 1.100.3, the newest whose engine is Node 20
export const CHROMIUM_PATH = '/usr/bin/chromium';
const RIPGREP_PATH = '/usr/bin/rg';
const BUILD_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];
const APT_PACKAGES = ['chromium', 'ripgrep', ...BUILD_PACKAGES];
// @vscode/ripgrep's install step downloads rg from GitHub unless its cache holds the archive; these are
// the cache names of the @vscode/ripgrep release that code-server 4.100.3 depends on.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
// Native modules that code-server or its VS Code server load; each must load under this Node.
// [folder inside the code-server package to resolve from, module name]
const NATIVE_MODULES = [
  ['.', 'argon2'],
  ['lib/vscode', 'node-pty'],
  ['lib/vscode', '@vscode/spdlog'],
  ['lib/vscode', '@parcel/watcher'],
  ['lib/vscode', 'native-watchdog'],
  ['lib/vscode', 'kerberos'],
];

export function toolsDir() {
  if (process.env.LRC_TOOLS_DIR) return process.env.LRC_TOOLS_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lrc-distill');
}

export function codeServerDir() {
  return join(toolsDir(), `code-server-${CODE_SERVER_VERSION}`);
}

/** The folder of the code-server package and its entry script (run it with this Node). */
export function codeServerPaths() {
  const pkg = join(codeServerDir(), 'node_modules', 'code-server');
  return { pkg, entry: join(pkg, 'out', 'node', 'entry.js') };
}

const log = (msg) => console.error(`provision: ${msg}`);

function missingAptPackages() {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\n', ...APT_PACKAGES], { encoding: 'utf8' });
  const installed = new Set((r.stdout ?? '').split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]));
  const missing = APT_PACKAGES.filter((p) => !installed.has(p));
  if (!existsSync(CHROMIUM_PATH) && !missing.includes('chromium')) missing.push('chromium');
  if (!existsSync(RIPGREP_PATH) && !missing.includes('ripgrep')) missing.push('ripgrep');
  return missing;
}

function ensureAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; install them as root: ` +
      `apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const still = missingAptPackages();
  if (still.length) throw new Error(`apt-get install finished but these are still missing: ${still.join(' ')}`);
}

function stampPath() {
  return join(codeServerDir(), '.provisioned.json');
}

// The stamp records the Node ABI the native modules were built for: another Node needs a rebuild.
function wantedStamp() {
  return { codeServer: CODE_SERVER_VERSION, nodeModules: process.versions.modules };
}

function isProvisioned() {
  const { entry } = codeServerPaths();
  if (!existsSync(stampPath()) || !existsSync(entry)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampPath(), 'utf8'));
    const want = wantedStamp();
    return stamp.codeServer === want.codeServer && stamp.nodeModules === want.nodeModules;
  } catch {
    return false;
  }
}

function installCodeServer() {
  const dir = codeServerDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A private TMPDIR whose ripgrep cache holds Debian's rg, so that @vscode/ripgrep needs no download.
  const tmp = mkdtempSync(join(tmpdir(), 'lrc-provision-'));
  try {
    const cache = join(tmp, RIPGREP_CACHE_DIR);
    const pack = join(tmp, 'rgpack');
    mkdirSync(cache, { recursive: true });
    mkdirSync(pack);
    cpSync(RIPGREP_PATH, join(pack, 'rg'));
    execFileSync('tar', ['czf', join(cache, RIPGREP_ARCHIVE), '-C', pack, 'rg']);
    log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (a few minutes, once)`);
    const env = {
      ...process.env,
      TMPDIR: tmp,
      npm_config_yes: 'true', // node-pty's install runs `npx node-gyp`, which would stop at a prompt
      npm_config_unsafe_perm: 'true', // code-server's install step refuses root otherwise
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      npm_config_update_notifier: 'false',
    };
    const r = spawnSync('npm', ['install', '--prefix', dir, '--foreground-scripts',
      `code-server@${CODE_SERVER_VERSION}`], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 256 << 20 });
    writeFileSync(join(dir, 'install.log'), `${r.stdout}\n${r.stderr}`);
    if (r.status !== 0) {
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); ` +
        `its output is in ${join(dir, 'install.log')}:\n${(r.stderr || '').split('\n').slice(-30).join('\n')}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// npm 11's install-script policy can skip a dependency's build step while the install still succeeds:
// load each native module to be sure that it was really built.
function checkNativeModules() {
  const { pkg } = codeServerPaths();
  const bad = [];
  for (const [from, name] of NATIVE_MODULES) {
    const code = `require(require.resolve(${JSON.stringify(name)}, { paths: [${JSON.stringify(join(pkg, from))}] }))`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30000 });
    if (r.status !== 0) bad.push(`${name}: ${(r.stderr || '').trim().split('\n').slice(0, 3).join(' | ')}`);
  }
  const rg = join(pkg, 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
  if (!existsSync(rg)) bad.push(`@vscode/ripgrep: ${rg} is missing`);
  if (bad.length) {
    throw new Error(`code-server's native modules did not build:\n  ${bad.join('\n  ')}\n` +
      `see ${join(codeServerDir(), 'install.log')}; remove ${codeServerDir()} and run again`);
  }
}

async function checkStarts() {
  const { startCodeServer } = await import('./vscode-server.mjs');
  const server = await startCodeServer({ provision: false });
  await server.stop();
}

/**
 * Provisions everything and returns where it is. Throws an Error with a clear message when something
 * cannot be provisioned (not root, apt or npm failure, native modules that did not build).
 */
export async function provisionVscode() {
  ensureAptPackages();
  if (!isProvisioned()) {
    const t0 = Date.now();
    installCodeServer();
    checkNativeModules();
    await checkStarts();
    writeFileSync(stampPath(), JSON.stringify({ ...wantedStamp(), installedAt: new Date().toISOString() }, null, 2));
    log(`code-server@${CODE_SERVER_VERSION} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return { chromium: CHROMIUM_PATH, codeServerDir: codeServerDir(), ...codeServerPaths() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  provisionVscode().then(
    (paths) => console.log(JSON.stringify(paths, null, 2)),
    (err) => { console.error(`provision: ${err.message}`); process.exit(1); });
}
