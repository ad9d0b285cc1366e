#!/usr/bin/env node
// The `slurm` test tier: installs Slurm when it is missing, starts a real one-node cluster in a fresh
// temporary folder, runs every test/slurm/**/*.slurm.test.ts with node:test against it (env SLURM_CONF
// and LRC_SLURM_TEST=1), stops the cluster (also on SIGINT/SIGTERM) and exits with the tests' code.
// The folder is removed when the tests pass and kept (its path printed) when they fail.
// See docs/slurm-testing.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSlurmInstalled, startCluster, stopCluster, clusterStatus } from './cluster.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const PREFIX = 'lrc-slurm-';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.slurm.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

// Is the run.mjs that made this folder still running? (Another run at the same time keeps its cluster.)
function ownerAlive(dir) {
  let pid;
  try { pid = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')).pid; } catch { return true; } // unknown: leave it
  try { process.kill(pid, 0); } catch (e) { if (e.code === 'ESRCH') return false; }
  let cmdline = '';
  try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return false; }
  return cmdline.includes('run.mjs');
}

// Clusters of earlier runs that died before their finally (SIGKILL, a crash): stop their daemons. Their
// files are kept for a look; a cluster whose run.mjs still lives is left alone.
async function stopLeftovers() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    if (ownerAlive(dir)) continue;
    const s = clusterStatus(dir);
    if (s.slurmctld || s.slurmd || s.munged) {
      console.error(`slurm: stopping a cluster left running in ${dir}`);
      await stopCluster(dir, { cancelJobs: false });
    }
  }
}

const files = findTests(here);
if (files.length === 0) {
  console.error('slurm: no test/slurm/**/*.slurm.test.ts files');
  process.exit(1);
}
const tsx = join(root, 'node_modules', '.bin', 'tsx');
if (!existsSync(tsx)) {
  console.error(`slurm: ${tsx} is missing: run npm ci first`);
  process.exit(1);
}

let cluster;
let child;
let stopping;
async function shutdown() {
  stopping ??= (async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    if (cluster) await cluster.stop().catch((e) => console.error(`slurm: stopping the cluster: ${e.message}`));
  })();
  return stopping;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`slurm: ${sig}: stopping the cluster`);
    shutdown().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

let code = 1;
let dir;
try {
  await ensureSlurmInstalled();
  await stopLeftovers();
  dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, 'owner.json'), JSON.stringify({ pid: process.pid }) + '\n');
  // The tests are written for a 2-CPU node (two array tasks at once): on a bigger machine the node gets 2.
  cluster = await startCluster({ dir, cpus: Math.min(2, cpus().length), log: (m) => console.error(m) });
  const env = { ...process.env, ...cluster.env, LRC_SLURM_TEST: '1' };
  code = await new Promise((resolve, reject) => {
    child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  code = 1;
} finally {
  await shutdown();
  if (dir && code === 0) rmSync(dir, { recursive: true, force: true });
  else if (dir) console.error(`slurm: the cluster's folder (logs, slurm.conf, jobcomp.txt) is kept: ${dir}`);
}
process.exit(code);
