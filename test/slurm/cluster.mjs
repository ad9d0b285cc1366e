#!/usr/bin/env node
// A real one-node Slurm cluster (Debian's Slurm 22.05) in a folder of its own, for the `slurm` test tier.
//
//   import { ensureSlurmInstalled, startCluster, stopCluster } from './cluster.mjs';
//   await ensureSlurmInstalled();
//   const cluster = await startCluster({ dir });   // { env: { SLURM_CONF }, host, conf, dir, stop() }
//   ... spawn sbatch/squeue/scancel with { env: { ...process.env, ...cluster.env } } ...
//   await cluster.stop();
//
// As a command:  node test/slurm/cluster.mjs start <dir>   (prints `export SLURM_CONF=...`)
//                node test/slurm/cluster.mjs stop <dir>
//                node test/slurm/cluster.mjs status <dir>
//
// Everything lives in <dir>: its own munge key and munged (own socket, so a system munged is never
// touched), slurm.conf, state, spool, pid files, logs and jobcomp.txt. The daemons listen on free ports
// picked at start, on 127.0.0.1. Starting on a folder that still has a cluster (a crashed run, or start
// twice) first stops what its pid files name. stop() stops only the daemons that this folder's pid files
// name (checked against /proc, so a reused pid is never hit) and removes nothing unless asked.
// See docs/slurm-testing.md.
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, openSync, closeSync, readdirSync, rmSync, chmodSync, accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { cpus as osCpus, totalmem, hostname } from 'node:os';
import { join, resolve, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SBIN_PATH = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

function which(cmd) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_PATH];
  for (const d of dirs) {
    const p = join(d, cmd);
    try { accessSync(p, constants.X_OK); return p; } catch { /* next */ }
  }
  return null;
}

/** Runs a command; resolves { code, stdout, stderr } (never rejects unless the command cannot start). */
function run(cmd, args, { env, timeoutMs = 30_000, input } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(cmd, args, { env: env ?? process.env, timeout: timeoutMs, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code === 'string') return reject(err); // ENOENT and friends
      resolvePromise({ code: err ? (err.code ?? (err.killed ? 'timeout' : 1)) : 0, stdout, stderr, killed: !!err?.killed });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

const DAEMONS = ['slurmctld', 'slurmd', 'munged'];
const REQUIRED = ['slurmctld', 'slurmd', 'munged', 'munge', 'unmunge', 'sbatch', 'squeue', 'sinfo', 'scontrol', 'scancel'];

/**
 * Installs Debian's slurm-wlm and munge with apt-get when any of the programs this cluster needs is
 * missing. Resolves with { installed: boolean, ms }. Throws with the apt-get output's tail on failure.
 */
export async function ensureSlurmInstalled({ log = (m) => console.error(m) } = {}) {
  const t0 = Date.now();
  const missing = REQUIRED.filter((c) => !which(c));
  if (missing.length === 0) return { installed: false, ms: 0 };
  if (!which('apt-get')) throw new Error(`Slurm is not installed (missing: ${missing.join(', ')}) and there is no apt-get to install it with: install slurm-wlm and munge.`);
  if (process.getuid && process.getuid() !== 0) throw new Error(`Slurm is not installed (missing: ${missing.join(', ')}); installing it needs root: sudo apt-get install -y slurm-wlm munge`);
  log(`slurm: installing slurm-wlm and munge with apt-get (missing: ${missing.join(', ')}) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const steps = [
    ['apt-get', [...lock, 'update']],
    ['apt-get', [...lock, 'install', '-y', '--no-install-recommends', 'slurm-wlm', 'munge']],
  ];
  for (const [cmd, args] of steps) {
    const r = await run(cmd, args, { env, timeoutMs: 20 * 60_000 });
    if (r.code !== 0) {
      const tail = (r.stdout + r.stderr).split('\n').slice(-25).join('\n');
      throw new Error(`slurm: \`${cmd} ${args.join(' ')}\` failed (exit ${r.code}):\n${tail}`);
    }
  }
  const still = REQUIRED.filter((c) => !which(c));
  if (still.length) throw new Error(`slurm: apt-get installed slurm-wlm and munge but these are still missing: ${still.join(', ')}`);
  const ms = Date.now() - t0;
  log(`slurm: installed in ${(ms / 1000).toFixed(1)} s`);
  return { installed: true, ms };
}

// ---- paths of one cluster folder ----

function layout(dir) {
  dir = resolve(dir);
  return {
    dir,
    conf: join(dir, 'slurm.conf'),
    info: join(dir, 'cluster.json'),
    mungeDir: join(dir, 'munge'),
    mungeKey: join(dir, 'munge', 'munge.key'),
    mungeSocket: join(dir, 'munge', 'munge.socket'),
    mungePid: join(dir, 'munge', 'munged.pid'),
    mungeLog: join(dir, 'munge', 'munged.log'),
    mungeSeed: join(dir, 'munge', 'munged.seed'),
    state: join(dir, 'state'),
    spool: join(dir, 'spool'),
    ctldPid: join(dir, 'slurmctld.pid'),
    slurmdPid: join(dir, 'slurmd.pid'),
    ctldLog: join(dir, 'slurmctld.log'),
    slurmdLog: join(dir, 'slurmd.log'),
    jobcomp: join(dir, 'jobcomp.txt'),
    launchLog: join(dir, 'launch.log'),
  };
}

// ---- processes ----

function readProc(pid, what) {
  try { return readFileSync(`/proc/${pid}/${what}`, 'utf8'); } catch { return null; }
}
function alive(pid) {
  try { process.kill(pid, 0); } catch (e) { if (e.code !== 'EPERM') return false; }
  // A zombie (killed, not yet reaped by init) counts as gone.
  const stat = readProc(pid, 'stat');
  if (stat === null) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
/** The pid in a pid file, if the process lives and is the daemon that we expect (so a reused pid is never hit). */
function daemonFromPidFile(file, name, mustMention) {
  let pid;
  try { pid = Number(readFileSync(file, 'utf8').trim()); } catch { return null; }
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return null;
  const cmdline = (readProc(pid, 'cmdline') ?? '').split('\0').join(' ');
  const comm = (readProc(pid, 'comm') ?? '').trim();
  if (comm !== name && !cmdline.includes(name)) return null;
  if (mustMention && !cmdline.includes(mustMention)) return null;
  return pid;
}
/** Every live process of this folder's daemons, from /proc (for daemons whose pid file is gone or stale). */
function strays(L) {
  const out = [];
  let pids = [];
  try { pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number); } catch { return out; }
  for (const pid of pids) {
    if (pid === process.pid) continue;
    const comm = (readProc(pid, 'comm') ?? '').trim();
    if (!['slurmctld', 'slurmd', 'munged', 'slurmstepd'].includes(comm)) continue;
    const cmdline = (readProc(pid, 'cmdline') ?? '').split('\0').join(' ');
    const environ = (readProc(pid, 'environ') ?? '').split('\0');
    if (cmdline.includes(L.conf) || cmdline.includes(L.mungeSocket) || environ.includes(`SLURM_CONF=${L.conf}`)) out.push({ pid, comm });
  }
  return out;
}
/** Processes of jobs that ran on this folder's cluster and outlived their slurmstepd. */
function jobLeftovers(L) {
  const out = [];
  const mine = new Set([process.pid, process.ppid]);
  let pids = [];
  try { pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number); } catch { return out; }
  for (const pid of pids) {
    if (mine.has(pid)) continue;
    const environ = (readProc(pid, 'environ') ?? '').split('\0');
    if (environ.includes(`SLURM_CONF=${L.conf}`) && environ.some((e) => e.startsWith('SLURM_JOB_ID='))) out.push(pid);
  }
  return out;
}
async function terminate(pid, { graceMs = 5000 } = {}) {
  if (!pid || !alive(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let waited = 0; waited < graceMs; waited += 100) {
    if (!alive(pid)) return;
    await sleep(100);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (let waited = 0; waited < 2000 && alive(pid); waited += 100) await sleep(100);
}

/** Starts a daemon that forks into the background; its own stdout/stderr go to launch.log. */
function launch(L, cmd, args, env) {
  return new Promise((resolvePromise, reject) => {
    const fd = openSync(L.launchLog, 'a');
    writeFileSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { env, stdio: ['ignore', fd, fd], detached: true });
    child.on('error', (e) => { closeSync(fd); reject(e); });
    // 'exit', not 'close': the daemon it forks may keep the inherited descriptors.
    child.on('exit', (code, signal) => { closeSync(fd); resolvePromise({ code, signal }); });
  });
}

function tail(file, lines = 30) {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no file)'; }
}
function freePort() {
  return new Promise((resolvePromise, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolvePromise(port)); });
  });
}
async function twoFreePorts() {
  for (;;) {
    const a = await freePort();
    const b = await freePort();
    if (a !== b) return [a, b];
  }
}
function shortHostname() {
  return hostname().split('.')[0];
}

function slurmConf(L, { host, ctldPort, slurmdPort, cpus, realMemory, killWait, minJobAge, returnToService, credExpire, schedInterval, extraConf }) {
  return [
    '# Written by test/slurm/cluster.mjs: a one-node test cluster; everything lives in this folder.',
    'ClusterName=lrctest',
    `SlurmctldHost=${host}(127.0.0.1)`,
    'SlurmUser=root',
    'SlurmdUser=root',
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${slurmdPort}`,
    'AuthType=auth/munge',
    'CredType=cred/munge',
    // cred_expire also sets how long a requeued job waits before it may start again (default 120 s).
    `AuthInfo=socket=${L.mungeSocket},cred_expire=${credExpire}`,
    `StateSaveLocation=${L.state}`,
    `SlurmdSpoolDir=${L.spool}`,
    `SlurmctldPidFile=${L.ctldPid}`,
    `SlurmdPidFile=${L.slurmdPid}`,
    `SlurmctldLogFile=${L.ctldLog}`,
    `SlurmdLogFile=${L.slurmdLog}`,
    'SlurmctldDebug=info',
    'SlurmdDebug=info',
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'SchedulerType=sched/backfill',
    // The main scheduling loop's period (default 60 s): how soon a requeued job is started once eligible.
    `SchedulerParameters=sched_interval=${schedInterval}`,
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/filetxt',
    `JobCompLoc=${L.jobcomp}`,
    'MpiDefault=none',
    'MailProg=/bin/true',
    `ReturnToService=${returnToService}`,
    'JobRequeue=1',
    `KillWait=${killWait}`,
    `MinJobAge=${minJobAge}`,
    ...extraConf,
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${realMemory} State=UNKNOWN`,
    `PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n');
}

/**
 * Stops the cluster in `dir`: cancels its jobs (while slurmctld still answers), then stops slurmd,
 * slurmctld and munged by their pid files, then any of this folder's daemons or job processes that are
 * still alive. Safe to call on a folder with no cluster, or twice. Removes the folder only with
 * { remove: true }.
 */
export async function stopCluster(dir, { remove = false, cancelJobs = true } = {}) {
  const L = layout(dir);
  const env = { ...process.env, SLURM_CONF: L.conf };
  const ctld = daemonFromPidFile(L.ctldPid, 'slurmctld', L.conf);
  const slurmd = daemonFromPidFile(L.slurmdPid, 'slurmd', L.conf);
  if (cancelJobs && ctld && slurmd && existsSync(L.conf)) {
    // Let the jobs' steps end the normal way (SIGTERM, then SIGKILL after KillWait).
    const r = await run('scancel', ['--partition=main'], { env, timeoutMs: 10_000 }).catch(() => null);
    if (r && r.code === 0) {
      for (let i = 0; i < 150; i++) {
        const q = await run('squeue', ['--noheader', '--format=%i'], { env, timeoutMs: 5000 }).catch(() => null);
        if (!q || q.code !== 0 || q.stdout.trim() === '') break;
        await sleep(100);
      }
    }
  }
  await Promise.all([terminate(slurmd), terminate(ctld)]);
  // What is left of jobs (slurmstepd ignores SIGTERM) and daemons whose pid file was lost.
  const left = strays(L);
  for (const { pid } of left.filter((p) => p.comm === 'slurmstepd')) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  for (const pid of jobLeftovers(L)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  await Promise.all([
    ...left.filter((p) => p.comm === 'slurmctld' || p.comm === 'slurmd').map((p) => terminate(p.pid, { graceMs: 3000 })),
    terminate(daemonFromPidFile(L.mungePid, 'munged', L.mungeSocket)),
  ]);
  await Promise.all(strays(L).map((p) => terminate(p.pid, { graceMs: 2000 })));
  if (remove) rmSync(L.dir, { recursive: true, force: true });
}

/**
 * Starts a one-node cluster in `dir` (created if missing) and waits until `sinfo` shows the node idle.
 * Options (see docs/slurm-testing.md for why these defaults): cpus (the node's CPUs, default nproc; fewer
 * than the machine has is fine), killWait (s between SIGTERM and SIGKILL,
 * default 5; Slurm's is 30), minJobAge (s a finished job stays in squeue/scontrol, default 300),
 * returnToService (default 1: a node set down with scontrol stays down until state=resume; with 2 it
 * comes back at once), credExpire (s, default 10; Slurm's 120: a requeued job waits this + 1 s),
 * schedInterval (s, default 2; Slurm's 60), extraConf (lines added to slurm.conf), timeoutMs (60 s). Resolves { env, host, conf, dir, jobcomp, logs, startMs, stop(opts) }.
 */
export async function startCluster({ dir, cpus: cpusOpt, killWait = 5, minJobAge = 300, returnToService = 1, credExpire = 10, schedInterval = 2, extraConf = [], timeoutMs = 60_000, log = () => {} } = {}) {
  if (!dir) throw new Error('startCluster: dir is required');
  const t0 = Date.now();
  const L = layout(dir);
  if (L.mungeSocket.length > 100) throw new Error(`startCluster: the folder's path is too long for a Unix socket (${L.mungeSocket}); use a shorter one`);
  for (const c of REQUIRED) if (!which(c)) throw new Error(`startCluster: ${c} is not installed; call ensureSlurmInstalled() first`);

  // A cluster left in this folder (a crashed run, or start called twice) is stopped first.
  await stopCluster(L.dir, { cancelJobs: false });

  mkdirSync(L.dir, { recursive: true });
  for (const d of [L.mungeDir, L.state, L.spool]) { rmSync(d, { recursive: true, force: true }); mkdirSync(d, { recursive: true, mode: 0o700 }); }
  for (const f of [L.ctldPid, L.slurmdPid, L.launchLog]) rmSync(f, { force: true });
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLURM|SBATCH|SQUEUE|SALLOC|SRUN|SINFO|SCANCEL)_/.test(k)));
  const env = { ...baseEnv, SLURM_CONF: L.conf, PATH: [process.env.PATH, ...SBIN_PATH].filter(Boolean).join(delimiter) };

  // munged of our own: own key, own socket, own pid file.
  writeFileSync(L.mungeKey, randomBytes(1024), { mode: 0o400 });
  chmodSync(L.mungeKey, 0o400);
  const mungedArgs = ['--force', `--key-file=${L.mungeKey}`, `--socket=${L.mungeSocket}`, `--pid-file=${L.mungePid}`, `--log-file=${L.mungeLog}`, `--seed-file=${L.mungeSeed}`];
  const m = await launch(L, which('munged'), mungedArgs, env);
  if (m.code !== 0) throw new Error(`startCluster: munged failed to start (exit ${m.code ?? m.signal}):\n${tail(L.launchLog)}\n--- munged.log ---\n${tail(L.mungeLog)}`);
  let mungeOk = false;
  for (let i = 0; i < 50 && !mungeOk; i++) {
    const cred = await run('munge', ['-n', '-S', L.mungeSocket], { env, timeoutMs: 5000 });
    if (cred.code === 0) mungeOk = (await run('unmunge', ['-S', L.mungeSocket], { env, input: cred.stdout, timeoutMs: 5000 })).stdout.includes('Success (0)');
    if (!mungeOk) await sleep(100);
  }
  if (!mungeOk) throw new Error(`startCluster: munge -n | unmunge does not succeed on ${L.mungeSocket}:\n${tail(L.mungeLog)}`);

  // slurm.conf: this host as controller and only node, on free ports.
  const host = shortHostname();
  const [ctldPort, slurmdPort] = await twoFreePorts();
  const cpus = cpusOpt ?? osCpus().length;
  const realMemory = Math.max(256, Math.floor((totalmem() / 2 ** 20) * 0.9));
  const settings = { killWait, minJobAge, returnToService, credExpire, schedInterval };
  writeFileSync(L.conf, slurmConf(L, { host, ctldPort, slurmdPort, cpus, realMemory, ...settings, extraConf }));
  writeFileSync(L.info, JSON.stringify({ host, conf: L.conf, ctldPort, slurmdPort, cpus, realMemory, ...settings, started: new Date().toISOString() }, null, 2) + '\n');

  const failure = (what) => new Error(`startCluster: ${what}\n--- slurmctld.log (${L.ctldLog}) ---\n${tail(L.ctldLog)}\n--- slurmd.log (${L.slurmdLog}) ---\n${tail(L.slurmdLog)}\n--- launch.log ---\n${tail(L.launchLog, 15)}`);
  const c = await launch(L, which('slurmctld'), ['-c', '-f', L.conf], env);
  if (c.code !== 0) throw failure(`slurmctld exited with ${c.code ?? c.signal} at start`);
  // slurmctld answers before slurmd is started, so slurmd registers at once.
  for (let ok = false, i = 0; !ok; i++) {
    ok = (await run('scontrol', ['ping'], { env, timeoutMs: 5000 })).stdout.includes('UP');
    if (!ok && Date.now() - t0 > timeoutMs) { await stopCluster(L.dir, { cancelJobs: false }); throw failure(`slurmctld does not answer scontrol ping after ${timeoutMs} ms`); }
    if (!ok) await sleep(100);
  }
  const d = await launch(L, which('slurmd'), ['-c', '-f', L.conf], env);
  if (d.code !== 0) { await stopCluster(L.dir, { cancelJobs: false }); throw failure(`slurmd exited with ${d.code ?? d.signal} at start`); }

  let last = '';
  for (;;) {
    const r = await run('sinfo', ['--noheader', '--format=%T', `--nodes=${host}`], { env, timeoutMs: 5000 });
    last = (r.stdout + r.stderr).trim();
    if (r.code === 0 && last === 'idle') break;
    if (Date.now() - t0 > timeoutMs) { await stopCluster(L.dir, { cancelJobs: false }); throw failure(`node ${host} is not idle after ${timeoutMs} ms (sinfo says: ${last || '(nothing)'})`); }
    await sleep(200);
  }
  const startMs = Date.now() - t0;
  log(`slurm: cluster up in ${(startMs / 1000).toFixed(1)} s (${L.conf})`);
  return {
    env: { SLURM_CONF: L.conf },
    host,
    conf: L.conf,
    dir: L.dir,
    jobcomp: L.jobcomp,
    logs: { slurmctld: L.ctldLog, slurmd: L.slurmdLog, munged: L.mungeLog },
    startMs,
    stop: (opts) => stopCluster(L.dir, opts),
  };
}

/** What runs in the folder: { slurmctld, slurmd, munged } pids (or null). */
export function clusterStatus(dir) {
  const L = layout(dir);
  return {
    slurmctld: daemonFromPidFile(L.ctldPid, 'slurmctld', L.conf),
    slurmd: daemonFromPidFile(L.slurmdPid, 'slurmd', L.conf),
    munged: daemonFromPidFile(L.mungePid, 'munged', L.mungeSocket),
  };
}

// ---- command line ----
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, dir] = process.argv.slice(2);
  const usage = 'usage: node test/slurm/cluster.mjs start|stop|status <dir>';
  try {
    if (!dir || !['start', 'stop', 'status'].includes(cmd)) { console.error(usage); process.exit(2); }
    if (cmd === 'start') {
      await ensureSlurmInstalled();
      const c = await startCluster({ dir, log: (m) => console.error(m) });
      console.log(`export SLURM_CONF=${c.conf}`);
    } else if (cmd === 'stop') {
      await stopCluster(dir);
      console.error(`slurm: stopped the cluster in ${resolve(dir)}`);
    } else {
      const s = clusterStatus(dir);
      console.log(JSON.stringify(s));
      process.exit(DAEMONS.every((n) => s[n]) ? 0 : 1);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
