// The claim lock of a run folder: `run.lock`, created atomically (open with O_CREAT|O_EXCL, 'wx') by the
// process that is about to resume the run, before it looks at the run's status, and held while the run
// trains. Two resumes started at the same instant cannot both claim a run: the second finds the lock
// and is told who holds it. Our own code rather than a library: proper-lockfile (mkdir + mtime) would do
// the exclusion, but the holder's pid and host, which the message and the stale test need, would have to
// live beside it anyway, and it judges staleness by mtime alone, which cannot tell a dead pid on this host
// at once.
//
// The lock holds {pid, hostname, startedAt, renewedAt}. A holder renews renewedAt every minute (its
// lease). A lock is stale, and is taken over, when its pid is gone on this host (kill -9), or, for
// another host (a Slurm task on a shared filesystem), when its lease has not been renewed for
// STALE_HEARTBEAT_MS. A takeover renames the stale file aside and checks that what it moved is what it
// judged stale: if another process took the lock over in between, its lock is put back (link, which
// fails rather than overwrite) and this one gives way.
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { holdLease } from '../util/lease';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors';
import { writeFileAtomic } from '../util/atomicFile';
import { processExists, STALE_HEARTBEAT_MS } from './liveness';

export const LOCK_FILE = 'run.lock';
/** How often a holder renews its lease. */
export const LOCK_RENEW_MS = 60_000;

export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  renewedAt: string;
}

export interface RunLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still this process's. Idempotent. */
  release(): void;
}

/** The holder in a lock file's text; undefined for a file that is not one (cut short, empty). */
function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid === 'number' && typeof v.hostname === 'string' && typeof v.startedAt === 'string' && typeof v.renewedAt === 'string') return v as LockHolder;
  } catch {
    // not JSON
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Why a lock is stale, or undefined when its holder may still be alive. */
export function staleReason(holder: LockHolder | undefined, now = Date.now(), host = hostname()): string | undefined {
  if (!holder) return 'not a lock written whole';
  if (holder.hostname === host && !processExists(holder.pid)) return `process ${holder.pid} on ${host} is gone`;
  const renewed = Date.parse(holder.renewedAt);
  if (!Number.isFinite(renewed) || now - renewed > STALE_HEARTBEAT_MS) return `its lease was last renewed at ${holder.renewedAt}`;
  return undefined;
}

const sameHolder = (a: LockHolder | undefined, b: LockHolder) => !!a && a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;

/**
 * Takes the claim lock of `runDir`, taking over a stale one (`onTakeover` says whose), or throws a
 * one-line UserError naming the holder. The lease is renewed every minute until release; the lock is
 * also removed when the process exits.
 */
export function acquireRunLock(runDir: string, onTakeover: (message: string) => void = () => {}): RunLock {
  const file = join(runDir, LOCK_FILE);
  const now = new Date().toISOString();
  const mine: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: now, renewedAt: now };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, JSON.stringify(mine) + '\n');
      } finally {
        closeSync(fd);
      }
      return held(file, mine);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const text = readText(file);
    if (text === undefined) continue; // released in between: try again
    const holder = parseHolder(text);
    // a lock being written this instant is not yet whole: give its writer a moment
    if (!holder && attempt < 2) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      continue;
    }
    const reason = staleReason(holder);
    if (!reason) {
      throw new UserError(`run ${basename(runDir)} is claimed by process ${holder!.pid} on ${holder!.hostname} (since ${holder!.startedAt}; ${file}): it cannot be resumed twice`, 'run');
    }
    // take it over: move it aside, and check that what moved is what was judged stale
    const aside = `${file}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
    try {
      renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const moved = readText(aside);
    if (moved !== text) {
      // another process took it over first: put its lock back (link fails if a third one is there)
      try {
        linkSync(aside, file);
      } catch {
        // the lock file is someone's again either way
      }
      rmSync(aside, { force: true });
      continue;
    }
    rmSync(aside, { force: true });
    onTakeover(`took over the stale lock ${file} (${reason})`);
  }
  throw new UserError(`run ${basename(runDir)}: could not take its lock ${file} (other processes keep taking it)`, 'run');
}

function held(file: string, mine: LockHolder): RunLock {
  const renew = () => {
    const current = parseHolder(readText(file) ?? '');
    if (!sameHolder(current, mine)) return; // taken over (judged stale): not ours to renew
    writeFileAtomic(file, JSON.stringify({ ...mine, renewedAt: new Date().toISOString() }) + '\n');
  };
  const release = holdLease(LOCK_RENEW_MS, renew, () => {
    try {
      if (sameHolder(parseHolder(readText(file) ?? ''), mine)) rmSync(file, { force: true });
    } catch {
      // the folder is gone or unreadable: nothing to release
    }
  });
  return { file, holder: mine, release };
}
