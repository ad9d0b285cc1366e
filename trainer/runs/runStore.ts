// The run store: one folder per run under a runs folder (default `.lrc/runs/` in the workspace).
// Folders are created whole (a temporary folder renamed into place) and run.json is rewritten
// atomically, so a reader never sees half a run. Reading a live run whose process has vanished marks
// it crashed, so that it can be resumed from its last checkpoint.
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeJsonAtomic } from '../util/atomicFile';
import { describeZodError, InputError, parseJsonFile, UserError } from '../errors';
import { ownerIsGone, processExists } from './liveness';
import { appendMetrics } from './metricsLog';
import { runPaths } from './runFolder';
import { LIVE_STATUSES, RUN_FORMAT_VERSION, RunRecordSchema, type RunKind, type RunRecord } from './runRecord';

export interface NewRun {
  kind: RunKind;
  name?: string;
  preset?: string;
  config: Record<string, unknown>;
  totalSteps?: number;
  teacher?: RunRecord['teacher'];
  pairedRunId?: string;
  inherited?: RunRecord['inherited'];
  sweep?: RunRecord['sweep'];
  /** The run's id when it was chosen beforehand (a sweep names its runs before it creates them). */
  id?: string;
}

/** A run folder that could not be read, with the reason: listed, never hidden. */
export interface BrokenRun {
  id: string;
  dir: string;
  error: string;
}

export function newRunId(kind: RunKind, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${kind}-${randomBytes(3).toString('hex')}`;
}

/** "lrc-589f24" for the run "20261125-132844-lrc-589f24" (or a path ending in it): the tag the CLI and the logs print. */
export function shortRunId(id: string): string {
  const name = id.split(/[\\/]/).pop() ?? id;
  return name.split('-').slice(2).join('-') || name;
}

/** Creates a run folder with its run.json, metrics.jsonl and subfolders, all at once. */
export function createRun(runsDir: string, spec: NewRun, now = new Date()): RunRecord {
  mkdirSync(runsDir, { recursive: true });
  const id = spec.id ?? newRunId(spec.kind, now);
  if (existsSync(join(runsDir, id))) throw new UserError(`${join(runsDir, id)} already exists`, id);
  const record: RunRecord = RunRecordSchema.parse({
    formatVersion: RUN_FORMAT_VERSION,
    id,
    name: spec.name ?? `${spec.kind}${spec.preset ? ` (${spec.preset})` : ''}`,
    kind: spec.kind,
    preset: spec.preset,
    status: 'queued',
    createdAt: now.toISOString(),
    teacher: spec.teacher,
    pairedRunId: spec.pairedRunId,
    inherited: spec.inherited,
    sweep: spec.sweep,
    progress: { step: 0, totalSteps: spec.totalSteps ?? 0, epoch: 0, stage: 1 },
    config: spec.config,
  });
  const tmp = join(runsDir, `.${id}.creating`);
  const p = runPaths(tmp);
  try {
    for (const d of [p.dir, p.checkpoints, p.analysis]) mkdirSync(d, { recursive: true });
    writeJsonAtomic(p.record, record);
    writeJsonAtomic(join(p.dir, 'config.json'), spec.config);
    renameSync(tmp, join(runsDir, id));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return record;
}

/** Reads and validates a run.json. Throws a UserError that names the file. */
export function readRunRecord(dir: string): RunRecord {
  const file = runPaths(dir).record;
  if (!existsSync(file)) throw new InputError({ file, expected: 'the run.json of a run folder', found: 'no file at this path: not a run folder' });
  const raw = parseJsonFile(readFileSync(file, 'utf8'), file, 'a run record (JSON)');
  const parsed = RunRecordSchema.safeParse(raw);
  if (!parsed.success) throw new InputError({ file, expected: 'a valid run record', found: describeZodError(parsed.error, raw) });
  return parsed.data;
}

/** Reads a run, marking it crashed first when it claims to be live but its process is gone (judged again
 *  under the record's lock, so that a run claimed meanwhile by a new process is left alone). */
export function readRun(dir: string, now = Date.now()): RunRecord {
  const record = readRunRecord(dir);
  if (LIVE_STATUSES.includes(record.status) && ownerIsGone(record, now)) {
    return updateRun(dir, (r) => {
      if (!LIVE_STATUSES.includes(r.status) || !ownerIsGone(r, now)) return r;
      return {
        ...r,
        status: 'crashed',
        endedAt: new Date(now).toISOString(),
        error: { message: `the trainer process (pid ${r.owner?.pid ?? '?'}) vanished while the run was ${r.status}; resume it from its last checkpoint` },
      };
    });
  }
  return record;
}

/** Every run under `runsDir`, newest first, and the folders that could not be read. */
export function listRuns(runsDir: string): { runs: RunRecord[]; broken: BrokenRun[] } {
  const runs: RunRecord[] = [];
  const broken: BrokenRun[] = [];
  if (!existsSync(runsDir)) return { runs, broken };
  for (const entry of readdirSync(runsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = join(runsDir, entry.name);
    try {
      runs.push(readRun(dir));
    } catch (e) {
      broken.push({ id: entry.name, dir, error: (e as Error).message });
    }
  }
  runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return { runs, broken };
}

/**
 * Read-modify-write of run.json, atomically and under the record's lock (`run.json.lock`, created with
 * 'wx' and removed at once): the owner's progress, another process marking the run crashed, the paired
 * run's end and the extension's changes never write over each other's (each used to read, change and
 * rename on its own, and the last rename won). A change that returns the record unchanged writes nothing.
 */
export function updateRun(dir: string, change: (r: RunRecord) => RunRecord): RunRecord {
  return withRecordLock(dir, () => {
    const current = readRunRecord(dir);
    const changed = change(current);
    if (changed === current) return current;
    const next = RunRecordSchema.parse(changed);
    writeJsonAtomic(runPaths(dir).record, next);
    return next;
  });
}

/** A read-modify-write takes milliseconds: a record lock older than this was left by a process that died in one. */
const RECORD_LOCK_STALE_MS = 10_000;
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withRecordLock<T>(dir: string, fn: () => T): T {
  const file = join(dir, 'run.json.lock');
  const deadline = Date.now() + 2 * RECORD_LOCK_STALE_MS;
  // unique to this acquisition: the release removes this lock only, never one another process took over
  const mine = `${process.pid} ${hostname()} ${new Date().toISOString()} ${randomBytes(6).toString('hex')}\n`;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let age = 0;
    let text = '';
    try {
      age = Date.now() - statSync(file).mtimeMs;
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // released in between
    }
    // a holder on this host whose process is gone (killed with SIGKILL within a read-modify-write) is stale at once
    const [pid, host] = text.split(' ');
    const deadHolder = host === hostname() && Number(pid) > 0 && !processExists(Number(pid));
    if (deadHolder || age > RECORD_LOCK_STALE_MS) {
      // its holder died within a read-modify-write: moved aside and taken, unless what moved is not what
      // was judged stale (another process took it over meanwhile: its lock is put back)
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
        if (readFileSync(aside, 'utf8') !== text) linkSync(aside, file);
      } catch {
        // gone, or another lock is there again: try again either way
      }
      rmSync(aside, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new UserError(`${file}: run.json has been locked for ${Math.round(age / 1000)} s by another process; try again`, 'run');
    pause(5);
  }
  try {
    return fn();
  } finally {
    try {
      if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  }
}

/**
 * Ends a run that is still queued without starting it, because the run it waits on did not finish (the
 * paired MSE run of an LRC run that failed): its run.json and metrics.jsonl say so with `message`,
 * instead of "queued" for ever. A run that is no longer queued is left alone. The run can still be
 * started later with resume (it has no steps). Returns the record, or undefined when left alone.
 */
export function endUnstarted(dir: string, status: 'failed' | 'stopped', message: string, now = new Date()): RunRecord | undefined {
  if (readRunRecord(dir).status !== 'queued') return undefined;
  let ended = false;
  const record = updateRun(dir, (r) => (r.status === 'queued' ? ((ended = true), { ...r, status, endedAt: now.toISOString(), error: { message } }) : r));
  if (!ended) return undefined;
  appendMetrics(runPaths(dir).metrics, { type: 'status', step: 0, time: now.toISOString(), status, error: message });
  return record;
}

/** Marks this process as the owner of a run, with a fresh heartbeat. */
export function claimRun(dir: string, status: 'running' | 'paused' = 'running', now = new Date()): RunRecord {
  return updateRun(dir, (r) => ({
    ...r,
    status,
    startedAt: r.startedAt ?? now.toISOString(),
    endedAt: undefined,
    error: undefined,
    owner: { pid: process.pid, hostname: hostname(), heartbeatAt: now.toISOString() },
  }));
}

/** Finds a run folder by id or unique id prefix. */
export function findRunDir(runsDir: string, idOrPrefix: string): string {
  const exact = join(runsDir, idOrPrefix);
  if (existsSync(runPaths(exact).record)) return exact;
  const matches = existsSync(runsDir) ? readdirSync(runsDir).filter((n) => !n.startsWith('.') && n.startsWith(idOrPrefix)) : [];
  if (matches.length === 1) return join(runsDir, matches[0]);
  if (matches.length === 0) throw new UserError(`no run '${idOrPrefix}' in ${runsDir}`, 'run');
  throw new UserError(`'${idOrPrefix}' matches ${matches.length} runs in ${runsDir}: ${matches.join(', ')}`, 'run');
}
