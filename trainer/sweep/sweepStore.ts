// The sweep store: one folder per sweep under a sweeps folder (default `.lrc/sweeps/`, beside the runs
// folder), holding sweep.json, a copy of the sweep file, and the executor's scripts and logs. A sweep's
// runs are ordinary run folders in the runs folder, tagged with the sweep's id. The sweep folder is
// created whole (a temporary folder renamed into place) with every run's id and config in it; the run
// folders are created from it afterwards, and any that a crash left uncreated are made on the next use.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { RunRecordSchema, type RunKind } from '../runs/runRecord';
import { createRun, newRunId } from '../runs/runStore';
import { describeZodError, UserError } from '../server';
import { writeJsonAtomic } from '../util/atomicFile';
import type { BorrowedTeacher } from './borrowTeachers';
import type { SweepPlan } from './plan';
import { isAdopted } from './sweepStatus';
import { membersOf, SWEEP_FORMAT_VERSION, SweepRecordSchema, type SweepMember, type SweepRecord } from './sweepRecord';

/** `.lrc/sweeps` for the runs folder `.lrc/runs`. */
export const defaultSweepsDir = (runsDir: string) => join(dirname(runsDir), 'sweeps');

export const sweepPaths = (dir: string) => ({
  dir,
  record: join(dir, 'sweep.json'),
  file: join(dir, 'sweep-file.json'),
  slurm: join(dir, 'slurm'),
  logs: join(dir, 'logs'),
});

export function newSweepId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}-${randomBytes(3).toString('hex')}`;
}

export interface NewSweep {
  plan: SweepPlan;
  file: string;
  cwd: string;
  runsDir: string;
  executor: SweepRecord['executor'];
  slurm: SweepRecord['slurm'];
  workers?: number;
  /** Teachers borrowed from another sweep, by planned teacher key (trainer/sweep/borrowTeachers.ts). */
  borrowed?: Map<string, BorrowedTeacher>;
}

/** The sweep.json of a plan: `idOf` names each teacher and run (a new id, or an adopted run's own). */
export function sweepRecordOf(spec: NewSweep, idOf: (key: string, kind: RunKind) => string, now = new Date(), extra: Partial<SweepRecord> = {}): SweepRecord {
  const { plan } = spec;
  const borrowed = spec.borrowed ?? new Map<string, BorrowedTeacher>();
  const teacherIds = new Map(plan.teachers.map((t) => [t.key, borrowed.get(t.key)?.runId ?? idOf(t.key, 'teacher')]));
  const generalIds = new Map(plan.generals.map((g) => [g.key, idOf(g.key, 'general')]));
  const runIds = new Map(plan.runs.map((r) => [r.key, idOf(r.key, r.config.kind as RunKind)]));
  return SweepRecordSchema.parse({
    formatVersion: SWEEP_FORMAT_VERSION,
    id: newSweepId(plan.name, now),
    name: plan.name,
    file: spec.file,
    cwd: spec.cwd,
    runsDir: spec.runsDir,
    createdAt: now.toISOString(),
    executor: spec.executor,
    axes: plan.axes.map((a) => ({ name: a.name, type: a.type, levels: a.levels })),
    seeds: plan.seeds,
    comparisons: plan.comparisons,
    resources: plan.resources,
    slurm: spec.slurm,
    workers: spec.workers,
    teachers: plan.teachers.map((t) => {
      const b = borrowed.get(t.key);
      return { key: t.key, runId: teacherIds.get(t.key)!, name: t.name, cell: t.cell, config: b?.config ?? t.config, ...(b ? { borrowedFrom: b.sweepId } : {}) };
    }),
    generals: plan.generals.map((g) => ({ key: g.key, runId: generalIds.get(g.key)!, name: g.name, cell: g.cell, config: g.config })),
    runs: plan.runs.map((r) => {
      const teacherRunId = r.teacherKey ? teacherIds.get(r.teacherKey) : undefined;
      const pairedRunId = r.pairKey ? runIds.get(r.pairKey) : undefined;
      const generalRunId = r.generalKey ? generalIds.get(r.generalKey) : undefined;
      const config = {
        ...r.config,
        ...(teacherRunId && r.config.teacher ? { teacher: { runId: teacherRunId } } : {}),
        ...(generalRunId ? { studentInit: join(spec.runsDir, generalRunId, 'export') } : {}),
        ...(pairedRunId ? { pairedRunId } : {}),
      };
      return { key: r.key, runId: runIds.get(r.key)!, name: r.name, cell: r.cell, seed: r.seed, config, teacherRunId, generalRunId, pairedRunId };
    }),
    submissions: [],
    ...extra,
  });
}

/** Writes a sweep folder whole: sweep.json and a copy of the sweep file, in a temporary folder renamed into place. */
export function writeSweepFolder(sweepsDir: string, record: SweepRecord, file: string): string {
  mkdirSync(sweepsDir, { recursive: true });
  const dir = join(sweepsDir, record.id);
  const tmp = join(sweepsDir, `.${record.id}.creating`);
  try {
    mkdirSync(join(tmp, 'logs'), { recursive: true });
    copyFileSync(file, sweepPaths(tmp).file);
    writeJsonAtomic(sweepPaths(tmp).record, record);
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

/** Creates the sweep folder (ids chosen for every teacher and run), then the run folders. */
export function createSweep(sweepsDir: string, spec: NewSweep, now = new Date()): { dir: string; record: SweepRecord } {
  const record = sweepRecordOf(spec, (_key, kind) => newRunId(kind, now), now);
  const dir = writeSweepFolder(sweepsDir, record, spec.file);
  ensureRunFolders(record);
  return { dir, record };
}

/** Creates the run folder of each teacher and run that has none yet (an adopted run keeps only its record). */
export function ensureRunFolders(sweep: SweepRecord): void {
  for (const m of membersOf(sweep)) if (!existsSync(join(sweep.runsDir, m.runId, 'run.json')) && !isAdopted(sweep, m.runId)) createMemberRun(sweep, m);
}

/** A member's run folder, fresh from its config in the sweep record. */
export function createMemberRun(sweep: SweepRecord, m: SweepMember): void {
  const kind = RunRecordSchema.shape.kind.parse(m.config.kind);
  const teacher = m.config.teacher as { runId?: string; path?: string } | undefined;
  createRun(sweep.runsDir, {
    id: m.runId,
    kind,
    name: m.name,
    preset: typeof m.config.preset === 'string' ? m.config.preset : undefined,
    config: m.config,
    teacher,
    pairedRunId: typeof m.config.pairedRunId === 'string' ? m.config.pairedRunId : undefined,
    sweep: { id: sweep.id, cell: m.cell, seed: m.seed },
  });
}

/** Reads and validates a sweep.json; the error names the file. */
export function readSweep(dir: string): SweepRecord {
  const file = sweepPaths(dir).record;
  if (!existsSync(file)) throw new UserError(`${file} does not exist: not a sweep folder`, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`, file);
  }
  const parsed = SweepRecordSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${file} is not a valid sweep record: ${describeZodError(parsed.error)}`, file);
  return parsed.data;
}

/** Read-modify-write of sweep.json, atomically. */
export function updateSweep(dir: string, change: (s: SweepRecord) => SweepRecord): SweepRecord {
  const next = SweepRecordSchema.parse(change(readSweep(dir)));
  writeJsonAtomic(sweepPaths(dir).record, next);
  return next;
}

/** Every sweep under `sweepsDir`, newest first, and the folders that could not be read. */
export function listSweeps(sweepsDir: string): { sweeps: { dir: string; record: SweepRecord }[]; broken: { id: string; dir: string; error: string }[] } {
  const sweeps: { dir: string; record: SweepRecord }[] = [];
  const broken: { id: string; dir: string; error: string }[] = [];
  if (!existsSync(sweepsDir)) return { sweeps, broken };
  for (const entry of readdirSync(sweepsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = join(sweepsDir, entry.name);
    try {
      sweeps.push({ dir, record: readSweep(dir) });
    } catch (e) {
      broken.push({ id: entry.name, dir, error: (e as Error).message });
    }
  }
  sweeps.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.record.id.localeCompare(a.record.id));
  return { sweeps, broken };
}

/** A sweep folder by id, unique id prefix, unique name (the newest sweep of that name), or path. */
export function findSweepDir(sweepsDir: string, ref: string): string {
  if (existsSync(sweepPaths(ref).record)) return ref;
  const exact = join(sweepsDir, ref);
  if (existsSync(sweepPaths(exact).record)) return exact;
  const names = existsSync(sweepsDir) ? readdirSync(sweepsDir).filter((n) => !n.startsWith('.')) : [];
  const byPrefix = names.filter((n) => n.startsWith(ref));
  if (byPrefix.length === 1) return join(sweepsDir, byPrefix[0]);
  const byName = listSweeps(sweepsDir).sweeps.filter((s) => s.record.name === ref);
  if (byName.length) return byName[0].dir;
  if (byPrefix.length > 1) throw new UserError(`'${ref}' matches ${byPrefix.length} sweeps in ${sweepsDir}: ${byPrefix.join(', ')}`, 'sweep');
  throw new UserError(`no sweep '${ref}' in ${sweepsDir}`, 'sweep');
}
