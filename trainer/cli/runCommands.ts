// The CLI commands that train: train-teacher, train-student, distill (--baseline), resume. Each makes
// a run folder in the runs folder (the one the extension shows) and runs it in this process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { selectProcessBackend } from '../backend/processBackend';
import { resolveThreads } from '../backend/threadsSetting';
import { baselineConfigOf, parseRunConfig } from '../config/effective';
import type { RunConfig } from '../config/runConfig';
import { createRun, endUnstarted, findRunDir, readRun, shortRunId, updateRun } from '../runs/runStore';
import type { RunRecord } from '../runs/runRecord';
import { acquireRunLock, type RunLock } from '../runs/runLock';
import { measureAtRunEnd } from '../serving/measureRun';
import { UserError } from '../server';
import { TrainingSession } from '../session/trainingSession';
import { resolveTeacherCache } from '../perf/teacherCacheSetting';
import { resolveTeacherStore } from '../perf/teacherStoreSetting';
import { runPairedAnalysis } from '../session/analysisStep';
import { trainerVersions } from '../versions';
import { listCorpusFiles } from '../general/corpusFiles';
import { checkRunFits } from '../session/memoryCheck';
import { inheritFromTeacherRun, type Inherited } from '../config/inherit';
import { configFromFlags, configOrigin, corpusFromFlags, modelFolderFromFlag, readConfigFile, teacherFromFlag, type Flags } from './options';
import { terminalEvents } from './terminalEvents';

export const EXIT = { ok: 0, runFailed: 1, usage: 2, interrupted: 130 } as const;

export interface CliContext {
  flags: Flags;
  positionals: string[];
  runsDir: string;
}

let interrupted = false;
let current: TrainingSession | undefined;

/** Ctrl-C or SIGTERM (scancel, a preemption, a sweep's pool stopping): a training session checkpoints and
 *  stops after its step; one still setting up (reading the task, building the models) stops at the next
 *  part of its set-up, within seconds, marked stopped; a second signal ends the process at once. */
function onInterrupt(): void {
  if (interrupted) process.exit(EXIT.interrupted);
  interrupted = true;
  const settingUp = !current || current.settingUp;
  console.error(settingUp ? '\nstopping: the run is set up no further and marked stopped; Ctrl-C again to quit at once' : '\nstopping after this step (checkpointing first); Ctrl-C again to quit at once');
  current?.control({ type: 'stop' });
}

export async function runSession(ctx: CliContext, runDir: string, resume: boolean, lock?: RunLock): Promise<RunRecord> {
  // a signal is heard from the moment a run is taken on (the backend's start and the set-up included)
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    // every run this process trains holds its folder's claim lock until it ends (a resume takes it earlier)
    const claim = lock ?? acquireRunLock(runDir, (m) => console.error(m));
    try {
      return await trainHolding(ctx, runDir, resume);
    } finally {
      if (!lock) claim.release();
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

async function trainHolding(ctx: CliContext, runDir: string, resume: boolean): Promise<RunRecord> {
  const record = readRun(runDir);
  const config = parseRunConfig(record.config, `${runDir}/run.json (config)`);
  // a resumed run may move to another backend (--backend): its checkpoint is plain float32 tensors
  const backend = await selectProcessBackend(resume ? resumeBackend(ctx.flags.backend, config.backend) : config.backend, ctx.flags.threads);
  const teacherCache = resolveTeacherCache(ctx.flags['teacher-cache']);
  const teacherStore = resolveTeacherStore(ctx.flags['teacher-store'], ctx.flags['teacher-store-dtype'], process.env, ctx.flags['teacher-store-max']);
  const events = terminalEvents(shortRunId(record.id), { plain: ctx.flags.plain });
  // the backend, and why each better one was not used (e.g. the native one not built: setup-native)
  const passedOver = backend.rejected.map((r) => `${r.name}: ${r.reason}`).join('; ');
  console.log(`${record.kind} run ${record.id} on ${backend.backend} (${backend.device})${passedOver ? `; not used: ${passedOver}` : ''}`);
  // the serving cost of its export (issue 23), a few seconds, before the run is marked finished
  const afterExport = () => measureAtRunEnd(runDir, backend);
  const session = new TrainingSession(runDir, { resume, backend, versions: trainerVersions(), events, teacherCache, teacherStore, afterExport });
  current = session;
  if (interrupted) session.control({ type: 'stop' }); // a signal while the backend started: stop at the first set-up point
  try {
    const done = await session.run();
    events.close();
    return done;
  } finally {
    events.close();
    current = undefined;
  }
}

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

/** The backend a resumed run continues on: --backend when given, else the run's own setting. */
export function resumeBackend(flag: string | undefined, configured: RunConfig['backend']): RunConfig['backend'] {
  if (flag === undefined) return configured;
  const found = BACKENDS.find((b) => b === flag);
  if (!found) throw new UserError(`--backend ${flag}: expected one of ${BACKENDS.join(', ')}`, '--backend');
  return found;
}

/** A bad --threads, --teacher-cache or --teacher-store(-dtype) (or their variables) fails before a run folder is made. */
export function checkPerfFlags(flags: Flags): void {
  resolveThreads(flags.threads);
  resolveTeacherCache(flags['teacher-cache']);
  resolveTeacherStore(flags['teacher-store'], flags['teacher-store-dtype'], process.env, flags['teacher-store-max']);
}

export function exitCodeOf(record: RunRecord): number {
  if (record.status === 'finished') return EXIT.ok;
  if (record.status === 'stopped') return EXIT.interrupted;
  return EXIT.runFailed;
}

export function summary(record: RunRecord, runDir: string): string {
  const best = record.best ? `best ${record.best.metric} ${record.best.value.toFixed(4)} at step ${record.best.step}` : 'no evaluation';
  return `${record.kind} run ${record.id}: ${record.status}, ${best}; ${existsSync(join(runDir, 'export')) ? `model in ${join(runDir, 'export')}` : 'no exported model'}`;
}

export function createRunFromConfig(ctx: CliContext, raw: Record<string, unknown>, source: string, inherited?: Inherited): { config: RunConfig; dir: string; record: RunRecord } {
  const config = parseRunConfig(raw, source, configOrigin(ctx.flags));
  // before anything exists: a run far beyond the machine is one line, and no run folder
  checkRunFits(config, ctx.runsDir, `the ${config.kind} run`, config.backend, resolveTeacherCache(ctx.flags['teacher-cache']));
  const record = createRun(ctx.runsDir, { kind: config.kind, name: config.name, preset: config.preset, config: raw, teacher: config.teacher, pairedRunId: config.pairedRunId, inherited });
  return { config, dir: join(ctx.runsDir, record.id), record };
}

export async function trainCommand(kind: 'teacher' | 'student' | 'pretrain', ctx: CliContext): Promise<number> {
  checkPerfFlags(ctx.flags);
  const init = modelFolderFromFlag('--init', ctx.flags.init, (id) => findRunDir(ctx.runsDir, id));
  const { dir } = createRunFromConfig(ctx, configFromFlags(kind, ctx.flags, init ? { init } : {}), 'command line');
  const record = await runSession(ctx, dir, false);
  console.log(summary(record, dir));
  return exitCodeOf(record);
}

/** distill-general: a general run, COS-NCE on a corpus from a pre-trained teacher; its export is a --student-init. */
export async function generalCommand(ctx: CliContext): Promise<number> {
  const { flags } = ctx;
  checkPerfFlags(flags);
  if (flags.task) throw new UserError('distill-general reads a corpus (--corpus), not a task (--task)', '--task');
  const base = readConfigFile(flags);
  const teacher = teacherFromFlag(flags.teacher, (id) => findRunDir(ctx.runsDir, id));
  if (!teacher && !base.teacher) throw new UserError('distill-general needs --teacher <pre-trained BERT folder or run>', '--teacher');
  const data = corpusFromFlags(flags, ctx.positionals, base.data as Record<string, unknown> | undefined);
  if (Array.isArray(data.paths)) listCorpusFiles(data.paths as string[]); // a path that gives no corpus file fails before a run folder is made
  const { dir } = createRunFromConfig(ctx, configFromFlags('general', flags, { data, ...(teacher ? { teacher } : {}) }), 'command line');
  const record = await runSession(ctx, dir, false);
  console.log(summary(record, dir));
  return exitCodeOf(record);
}

/** distill: an lrc run (or --loss mse), and with --baseline its paired MSE run on the same config. */
export async function distillCommand(ctx: CliContext): Promise<number> {
  const { flags } = ctx;
  const kind = flags.loss === undefined || flags.loss === 'lrc' || flags.loss === 'cosnce' ? 'lrc' : flags.loss === 'mse' ? 'mse' : undefined;
  if (!kind) throw new UserError(`--loss ${flags.loss}: expected lrc or mse`, '--loss');
  checkPerfFlags(flags);
  const teacher = teacherFromFlag(flags.teacher, (id) => findRunDir(ctx.runsDir, id));
  const studentInit = modelFolderFromFlag('--student-init', flags['student-init'], (id) => findRunDir(ctx.runsDir, id));
  // a teacher run gives its task, data settings and max length to a distillation that does not give them
  const fromFile = readConfigFile(flags);
  const teacherRun = teacher?.runId ?? (fromFile.teacher as { runId?: unknown } | undefined)?.runId;
  const inheritance = typeof teacherRun === 'string' && !teacher?.path
    ? inheritFromTeacherRun(findRunDir(ctx.runsDir, teacherRun), { data: !!flags.task || fromFile.data !== undefined, maxLength: flags['max-length'] !== undefined || fromFile.maxLength !== undefined })
    : undefined;
  const raw = configFromFlags(kind, flags, { ...(teacher ? { teacher } : {}), ...(studentInit ? { studentInit } : {}) }, inheritance?.base);
  const main = createRunFromConfig(ctx, raw, 'command line', inheritance?.inherited);
  let baseline: { dir: string; record: RunRecord } | undefined;
  if (flags.baseline) {
    const mseConfig = { ...baselineConfigOf(main.config), pairedRunId: main.record.id };
    const mseRaw = { ...raw, kind: 'mse', pairedRunId: main.record.id, name: mseConfig.name };
    delete (mseRaw as Record<string, unknown>).preset;
    baseline = createRunFromConfig(ctx, mseRaw, 'baseline config', inheritance?.inherited);
    updateRun(main.dir, (r) => ({ ...r, pairedRunId: baseline!.record.id }));
  }
  // the baseline waits on the LRC run: if that one does not finish, the baseline is ended with the
  // reason (not left "queued" for ever in `runs`, the explorer and a sweep's status)
  const partnerEnded = (status: string, reason: string | undefined) => {
    if (!baseline) return;
    const message = `not started: its paired LRC run ${main.record.id} ${status}${reason ? ` (${reason})` : ''}; lrc-distill resume ${baseline.record.id} trains it on its own`;
    if (endUnstarted(baseline.dir, status === 'stopped' ? 'stopped' : 'failed', message)) console.error(`${mseTag(baseline.record.id)} ${message}`);
  };
  let first: RunRecord;
  try {
    first = await runSession(ctx, main.dir, false);
  } catch (e) {
    partnerEnded('failed', e instanceof Error ? e.message : String(e));
    throw e;
  }
  console.log(summary(first, main.dir));
  if (baseline && first.status !== 'finished') partnerEnded(first.status, first.error?.message);
  if (!baseline || first.status !== 'finished') return exitCodeOf(first);
  const second = await runSession(ctx, baseline.dir, false);
  console.log(summary(second, baseline.dir));
  if (second.status === 'finished' && main.config.eval.analysis) await runPairedAnalysis(main.dir, baseline.dir, (m) => console.log(m));
  return Math.max(exitCodeOf(first), exitCodeOf(second));
}

const mseTag = (id: string) => `[${shortRunId(id)}]`;

/** analyze <lrc run>: the paired analysis of an LRC run and its MSE baseline (both finished). */
export async function analyzeCommand(ctx: CliContext): Promise<number> {
  const id = ctx.positionals[0];
  if (!id) throw new UserError('analyze needs an LRC run: lrc-distill analyze <run>', 'run');
  const dir = findRunDir(ctx.runsDir, id);
  const record = readRun(dir);
  const lrcDir = record.kind === 'mse' && record.pairedRunId ? findRunDir(ctx.runsDir, record.pairedRunId) : dir;
  const lrc = readRun(lrcDir);
  if (lrc.kind !== 'lrc') throw new UserError(`run ${lrc.id} is a ${lrc.kind} run: the analysis compares an LRC run with its MSE baseline`, 'run');
  if (!lrc.pairedRunId) throw new UserError(`run ${lrc.id} has no paired MSE baseline (distill --baseline makes one)`, 'run');
  const mseDir = findRunDir(ctx.runsDir, lrc.pairedRunId);
  for (const r of [lrc, readRun(mseDir)]) {
    if (r.status !== 'finished' && r.status !== 'stopped') throw new UserError(`run ${r.id} is ${r.status}: both runs must have trained (finished or stopped)`, 'run');
  }
  const config = parseRunConfig(lrc.config, `${lrcDir}/run.json (config)`);
  await selectProcessBackend(config.backend, ctx.flags.threads);
  await runPairedAnalysis(lrcDir, mseDir, (m) => console.log(m));
  return EXIT.ok;
}

export async function resumeCommand(ctx: CliContext): Promise<number> {
  const id = ctx.positionals[0];
  if (!id) throw new UserError('resume needs a run id: lrc-distill resume <run>', 'run');
  const dir = findRunDir(ctx.runsDir, id);
  // the claim lock before the status check: of two resumes started at once, one claims the run and the
  // other is told who holds it (trainer/runs/runLock.ts)
  const lock = acquireRunLock(dir, (m) => console.error(m));
  try {
    const record = readRun(dir);
    if (record.status === 'running' || record.status === 'paused') throw new UserError(`run ${record.id} is ${record.status} in process ${record.owner?.pid}: it cannot be resumed twice`, 'run');
    if (record.status === 'finished') throw new UserError(`run ${record.id} has finished: nothing to resume`, 'run');
    const done = await runSession(ctx, dir, true, lock);
    console.log(summary(done, dir));
    return exitCodeOf(done);
  } finally {
    lock.release();
  }
}
