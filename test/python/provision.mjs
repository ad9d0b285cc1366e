#!/usr/bin/env node
// The Python references of the unit tests, installed when missing (docs/python-references.md):
//   - Debian's python3-torch (torch 1.13) for /usr/bin/python3, with apt-get: the PyTorch cross-checks
//     (test/fixtures/bert-reference, test/unit/checkpoint/exportTorch and torchFixture);
//   - Hugging Face transformers, pinned in pyref-requirements.txt, from PyPI into a virtualenv made with
//     --system-site-packages on /usr/bin/python3 (so that it runs on Debian's torch), cached outside the
//     repository in ~/.cache/lrc-distill/pyref (LRC_PYREF_DIR, else $XDG_CACHE_HOME/lrc-distill/pyref).
// Both are idempotent and quick when present: a torch import (about 1 s), and for the virtualenv a
// comparison of its stamp with the requirements file (no Python started). A failure throws one message
// that says what is missing and how to install it by hand.
//
//   import { ensureDebianTorch, ensurePyref } from './provision.mjs';
//   node test/python/provision.mjs [torch|pyref|all]      (scripts/test-all.mjs runs `all` before the unit tier)
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEBIAN_PYTHON = '/usr/bin/python3';
export const REQUIREMENTS = fileURLToPath(new URL('./pyref-requirements.txt', import.meta.url));
const STAMP = 'lrc-pyref.json';

/** The cached virtualenv's folder. */
export function pyrefDir(env = process.env) {
  if (env.LRC_PYREF_DIR) return env.LRC_PYREF_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lrc-distill', 'pyref');
}

/** The virtualenv's interpreter (use it as `<python> -m pip`, `<python> script.py`: the folder may have been renamed into place). */
export function pyrefPython(env = process.env) {
  return join(pyrefDir(env), 'bin', 'python');
}

/** Runs a command; resolves { code, stdout, stderr } (rejects only when it cannot start). */
function run(cmd, args, { env, timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { env: env ?? process.env, timeout: timeoutMs, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code === 'string') return reject(err);
      resolvePromise({ code: err ? (err.code ?? (err.killed ? 'timeout' : 1)) : 0, stdout, stderr });
    });
  });
}

async function must(what, cmd, args, options) {
  const r = await run(cmd, args, options);
  if (r.code !== 0) {
    const tail = (r.stdout + r.stderr).trim().split('\n').slice(-25).join('\n');
    throw new Error(`${what}: \`${cmd} ${args.join(' ')}\` failed (exit ${r.code}):\n${tail}`);
  }
  return r;
}

async function canImport(python, modules) {
  if (!existsSync(python)) return false;
  const r = await run(python, ['-c', `import ${modules}`]).catch(() => ({ code: 1 }));
  return r.code === 0;
}

/** apt-get install of Debian packages (root; waits up to 10 min for another apt's lock). */
async function aptInstall(packages, why, log) {
  const by = `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (!existsSync('/usr/bin/apt-get')) throw new Error(`${why}, and there is no apt-get to install it with: ${by} on a Debian machine`);
  if (process.getuid && process.getuid() !== 0) throw new Error(`${why}; installing it needs root: ${by}`);
  log(`python refs: ${why}: installing ${packages.join(' ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  await must('python refs', 'apt-get', [...lock, 'update'], { env, timeoutMs: 20 * 60_000 });
  await must('python refs', 'apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...packages], { env, timeoutMs: 30 * 60_000 });
}

/**
 * /usr/bin/python3 with Debian's torch: installs python3-torch with apt-get when `import torch` fails.
 * Resolves { installed, ms, version }.
 */
export async function ensureDebianTorch({ log = (m) => console.error(m) } = {}) {
  const t0 = Date.now();
  const version = async () => {
    if (!existsSync(DEBIAN_PYTHON)) return undefined;
    const r = await run(DEBIAN_PYTHON, ['-c', 'import torch; print(torch.__version__)']).catch(() => ({ code: 1 }));
    return r.code === 0 ? r.stdout.trim() : undefined;
  };
  const present = await version();
  if (present) return { installed: false, ms: Date.now() - t0, version: present };
  await aptInstall(existsSync(DEBIAN_PYTHON) ? ['python3-torch'] : ['python3', 'python3-torch'], `${DEBIAN_PYTHON} cannot import torch`, log);
  const installed = await version();
  if (!installed) throw new Error(`python refs: apt-get installed python3-torch but \`${DEBIAN_PYTHON} -c "import torch"\` still fails`);
  const ms = Date.now() - t0;
  log(`python refs: torch ${installed} installed in ${(ms / 1000).toFixed(1)} s`);
  return { installed: true, ms, version: installed };
}

function requirementsHash() {
  return createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
}

function readStamp(dir) {
  try { return JSON.parse(readFileSync(join(dir, STAMP), 'utf8')); } catch { return undefined; }
}

/**
 * The transformers virtualenv: nothing to do when its stamp names the current requirements file;
 * otherwise built in a temporary folder beside it and renamed into place (a failure leaves no
 * half-made virtualenv). Needs Debian's torch first (ensureDebianTorch). Resolves { installed, ms, dir, python, versions }.
 */
export async function ensurePyref({ log = (m) => console.error(m) } = {}) {
  const t0 = Date.now();
  const dir = pyrefDir();
  const python = pyrefPython();
  const hash = requirementsHash();
  const stamp = readStamp(dir);
  if (stamp?.requirements === hash && existsSync(python)) return { installed: false, ms: Date.now() - t0, dir, python, versions: stamp.versions };

  if (!(await canImport(DEBIAN_PYTHON, 'venv, ensurepip'))) await aptInstall(['python3-venv'], `${DEBIAN_PYTHON} cannot make a virtualenv (no venv/ensurepip)`, log);
  log(`python refs: ${stamp ? 'the requirements changed: rebuilding' : 'making'} the transformers virtualenv in ${dir} ...`);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await must('python refs', DEBIAN_PYTHON, ['-m', 'venv', '--system-site-packages', tmp]);
    const tmpPython = join(tmp, 'bin', 'python');
    await must('python refs: pip install from PyPI', tmpPython, ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '--no-input', '--quiet', '-r', REQUIREMENTS], { timeoutMs: 20 * 60_000 });
    // torch and numpy must be Debian's (the virtualenv installs neither), transformers the pinned one.
    const probe = 'import json, numpy, torch, transformers, tokenizers; print(json.dumps({"torch": torch.__version__, "torchFile": torch.__file__, "numpy": numpy.__version__, "transformers": transformers.__version__, "tokenizers": tokenizers.__version__}))';
    const r = await must('python refs: the new virtualenv', tmpPython, ['-c', probe]);
    const versions = JSON.parse(r.stdout.trim().split('\n').pop());
    const pinned = /^transformers==(\S+)/m.exec(readFileSync(REQUIREMENTS, 'utf8'))?.[1];
    if (versions.transformers !== pinned) throw new Error(`python refs: the new virtualenv has transformers ${versions.transformers}, not the pinned ${pinned}`);
    if (!versions.torchFile.startsWith('/usr/lib/python3/')) throw new Error(`python refs: the new virtualenv imports torch from ${versions.torchFile}, not Debian's python3-torch`);
    writeFileSync(join(tmp, STAMP), JSON.stringify({ requirements: hash, versions, created: new Date().toISOString() }, null, 2) + '\n');
    if (existsSync(dir)) {
      const old = `${dir}.old-${process.pid}`;
      renameSync(dir, old);
      rmSync(old, { recursive: true, force: true });
    }
    renameSync(tmp, dir);
    const ms = Date.now() - t0;
    log(`python refs: transformers ${versions.transformers} (tokenizers ${versions.tokenizers}) on torch ${versions.torch} ready in ${(ms / 1000).toFixed(1)} s`);
    return { installed: true, ms, dir, python, versions };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process may have put an up-to-date one in place meanwhile (two test runs at once).
    if (readStamp(dir)?.requirements === hash && existsSync(python)) return { installed: false, ms: Date.now() - t0, dir, python, versions: readStamp(dir).versions };
    throw e;
  }
}

async function main(what) {
  if (!['torch', 'pyref', 'all'].includes(what)) {
    console.error('usage: node test/python/provision.mjs [torch|pyref|all]');
    return 2;
  }
  try {
    const t = await ensureDebianTorch();
    console.log(`python refs: ${DEBIAN_PYTHON} torch ${t.version} (${t.installed ? `installed, ${(t.ms / 1000).toFixed(1)} s` : 'present'})`);
    if (what !== 'torch') {
      const p = await ensurePyref();
      console.log(`python refs: ${p.python} transformers ${p.versions?.transformers} (${p.installed ? `installed, ${(p.ms / 1000).toFixed(1)} s` : `cached, ${p.ms} ms`})`);
    }
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv[2] ?? 'all').then((code) => process.exit(code));
}
