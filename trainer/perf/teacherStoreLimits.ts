// Limits of the teacher-output store (trainer/perf/teacherOutputStore.ts): a total size
// (--teacher-store-max / LRC_TEACHER_STORE_MAX / lrcDistill.teacherStoreMax) and an age, with the
// oldest stores pruned first and never one in use.
//
// In use: a run that opens a store puts a marker in its folder, `.inuse-<host>-<pid>-<n>` holding its
// pid, host and run, renewed every minute and removed when the store is closed (or the process exits).
// A marker is live when its pid is there on this host, or, written by another host (a Slurm task on a
// shared filesystem), when it was renewed within the last 10 minutes. Age: a store's last use is its
// folder's modification time, which every marker's coming and going and every shard written renews.
// A store is pruned by renaming it aside and then, if no marker appeared in it meanwhile, deleting it: a
// run reads a whole store or none, and a store can only ever slow a run down, never fail it.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { holdLease } from '../util/lease';
import { join } from 'node:path';
import { InputError, shown } from '../errors';
import { processExists, STALE_HEARTBEAT_MS } from '../runs/liveness';
import { writeFileAtomic } from '../util/atomicFile';

const MARKER = /^\.inuse-/;
const RENEW_MS = 60_000;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40 };

export type StoreMaxField = '--teacher-store-max' | 'LRC_TEACHER_STORE_MAX' | '--max';

/** "10G", "500MiB", "1.5 T", "1048576": bytes (K, M, G, T are powers of 1024). */
export function parseSize(value: string, field: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || !(Number(m[1]) > 0)) {
    throw new InputError({ field, expected: 'a size above 0: bytes, or a number with K, M, G or T (powers of 1024), e.g. 10G or 500M', found: shown(value) });
  }
  return Math.floor(Number(m[1]) * unit);
}

/** --teacher-store-max when given, else LRC_TEACHER_STORE_MAX when set and not empty, else no limit. */
export function resolveTeacherStoreMax(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { bytes: number; source: StoreMaxField } | undefined {
  if (flag !== undefined) return { bytes: parseSize(flag, '--teacher-store-max'), source: '--teacher-store-max' };
  const v = env.LRC_TEACHER_STORE_MAX;
  if (v !== undefined && v.trim() !== '' && v.trim() !== 'off') return { bytes: parseSize(v, 'LRC_TEACHER_STORE_MAX'), source: 'LRC_TEACHER_STORE_MAX' };
  return undefined;
}

/** --older-than <days>: a number of days above 0. */
export function parseDays(value: string, field: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InputError({ field, expected: 'a number of days above 0 (e.g. 30 or 0.5)', found: shown(value) });
  return n;
}

interface Marker {
  pid: number;
  hostname: string;
  run?: string;
  renewedAt: string;
}

let markers = 0;

/** Marks the store folder `dir` in use by this process (for `run`) until the returned release is called. */
export function markStoreInUse(dir: string, run: string | undefined): () => void {
  const file = join(dir, `.inuse-${hostname()}-${process.pid}-${markers++}`);
  const write = () => writeFileAtomic(file, JSON.stringify({ pid: process.pid, hostname: hostname(), run, renewedAt: new Date().toISOString() } satisfies Marker) + '\n');
  try {
    write();
  } catch {
    return () => {}; // a store that cannot be marked is a store that cannot be written either: the run goes on
  }
  return holdLease(RENEW_MS, write, () => rmSync(file, { force: true }));
}

/** Who uses the store folder `dir` now (a live marker), or undefined. */
export function storeUser(dir: string, now = Date.now(), host = hostname()): Marker | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => MARKER.test(n));
  } catch {
    return undefined;
  }
  for (const name of names) {
    let m: Partial<Marker>;
    try {
      m = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Partial<Marker>;
    } catch {
      continue; // being written: a whole one is renamed in
    }
    if (typeof m.pid !== 'number' || typeof m.hostname !== 'string') continue;
    if (m.hostname === host ? processExists(m.pid) : now - Date.parse(m.renewedAt ?? '') < STALE_HEARTBEAT_MS) return m as Marker;
  }
  return undefined;
}

export interface StoreOnDisk {
  id: string;
  dir: string;
  bytes: number;
  /** Last use: the folder's modification time (ms). */
  usedAt: number;
  user?: Marker;
}

/** The stores under `root` (folders with a store.json), with their size on disk, last use and user. */
export function storesOnDisk(root: string, now = Date.now()): StoreOnDisk[] {
  if (!existsSync(root)) return [];
  const out: StoreOnDisk[] = [];
  for (const id of readdirSync(root)) {
    const dir = join(root, id);
    if (id.startsWith('.') || !existsSync(join(dir, 'store.json'))) continue;
    let bytes = 0;
    try {
      for (const name of readdirSync(dir)) bytes += statSync(join(dir, name)).size;
      out.push({ id, dir, bytes, usedAt: statSync(dir).mtimeMs, user: storeUser(dir, now) });
    } catch {
      // removed meanwhile
    }
  }
  return out;
}

export interface PruneLimits {
  /** The stores together at most this many bytes (`keep` counted, never pruned). */
  maxBytes?: number;
  /** Stores not used for this long are pruned. */
  olderThanMs?: number;
  /** Store ids never pruned (the one a run is opening). */
  keep?: readonly string[];
}

export interface PruneOutcome {
  removed: (StoreOnDisk & { why: string })[];
  /** Stores that the limits would have pruned but are in use. */
  inUse: StoreOnDisk[];
  /** Bytes of the stores left. */
  bytesLeft: number;
}

/** Prunes the stores under `root` to the limits, oldest first, never one in use or kept. */
export function pruneStores(root: string, limits: PruneLimits, now = Date.now()): PruneOutcome {
  const stores = storesOnDisk(root, now).sort((a, b) => a.usedAt - b.usedAt);
  let total = stores.reduce((a, s) => a + s.bytes, 0);
  const outcome: PruneOutcome = { removed: [], inUse: [], bytesLeft: total };
  for (const s of stores) {
    const old = limits.olderThanMs !== undefined && now - s.usedAt > limits.olderThanMs;
    const over = limits.maxBytes !== undefined && total > limits.maxBytes;
    if (!old && !over) continue;
    if (limits.keep?.includes(s.id)) continue;
    if (s.user) {
      outcome.inUse.push(s);
      continue;
    }
    if (!removeStore(root, s)) {
      outcome.inUse.push({ ...s, user: storeUser(s.dir, now) });
      continue;
    }
    total -= s.bytes;
    const days = (now - s.usedAt) / 86_400_000;
    outcome.removed.push({ ...s, why: old ? `not used for ${days.toFixed(1)} days` : `the stores were over ${limits.maxBytes} bytes` });
  }
  outcome.bytesLeft = total;
  return outcome;
}

/** Renames the store aside, then deletes it unless a run marked it in use meanwhile (then it is put back). */
function removeStore(root: string, s: StoreOnDisk): boolean {
  const aside = join(root, `.${s.id}.removing-${process.pid}`);
  try {
    renameSync(s.dir, aside);
  } catch {
    return false; // gone or busy: left alone
  }
  if (storeUser(aside)) {
    try {
      renameSync(aside, s.dir);
    } catch {
      // another run made a new store of this teacher meanwhile: this one is not missed
      rmSync(aside, { recursive: true, force: true });
      return true;
    }
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  return true;
}
