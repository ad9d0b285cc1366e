// `lrc-distill sweep`: many runs from one sweep file, on this machine (a pool of worker processes) or on
// a Slurm cluster (job arrays), and their status, cancellation, resumption and report. `sweep-task` is
// what one worker or one array task runs: one run of the sweep, resumed from its checkpoint if it has one.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { readRun, updateRun } from '../runs/runStore';
import { UserError } from '../server';
import { defaultWorkers, runLocalPool } from '../sweep/localPool';
import { planSweep } from '../sweep/plan';
import { aggregateSweep } from '../sweep/report/aggregate';
import { frontOf } from '../sweep/report/front';
import { parseRule } from '../sweep/report/frontRule';
import { frontSvg, frontSvgName } from '../sweep/report/frontSvg';
import { reportCsv, reportJson, reportMarkdown } from '../sweep/report/render';
import { writeFileAtomic } from '../util/atomicFile';
import { reportInputOf } from '../sweep/reportInput';
import { jobStates, scancel } from '../sweep/slurm/slurmCommands';
import { submitSweep } from '../sweep/slurm/slurmExecutor';
import { readSweepFile } from '../sweep/sweepFile';
import { restartWithoutCheckpoint } from '../sweep/restartAttempt';
import { stepsWithoutCheckpoint } from '../runs/unresumable';
import { borrowTeachers } from '../sweep/borrowTeachers';
import { membersOf, type SweepRecord } from '../sweep/sweepRecord';
import { isAdopted, jobIsLive, poolIsAlive, stateCounts, sweepStatus, type MemberStatus } from '../sweep/sweepStatus';
import { createSweep, defaultSweepsDir, ensureRunFolders, findSweepDir, listSweeps, readSweep, updateSweep } from '../sweep/sweepStore';
import { EXIT, exitCodeOf, runSession, summary, type CliContext } from './runCommands';
import { adoptCommand } from './sweepAdopt';
import { exportRecommendedCommand, sweepMeasureCommand } from './measureCommands';

const sweepsDirOf = (ctx: CliContext) => resolve(ctx.flags.sweeps ?? defaultSweepsDir(ctx.runsDir));
const clock = () => new Date().toISOString().slice(11, 19);

function positiveInt(ctx: CliContext, flag: 'workers' | 'poll'): number | undefined {
  const v = ctx.flags[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--${flag} must be a whole number >= 1, got ${JSON.stringify(v)}`, `--${flag}`);
  return n;
}

function executorOf(ctx: CliContext): SweepRecord['executor'] {
  const e = ctx.flags.executor ?? 'local';
  if (e !== 'local' && e !== 'slurm') throw new UserError(`--executor ${e}: expected local or slurm`, '--executor');
  return e;
}

/** Job states of the sweep's submissions (none for the local executor). */
function statesOf(sweep: SweepRecord): MemberStatus[] {
  const jobs = sweep.executor === 'slurm' ? jobStates([...new Set(sweep.submissions.map((s) => s.jobId))]) : undefined;
  return sweepStatus(sweep, jobs);
}

const countsText = (statuses: MemberStatus[]) => Object.entries(stateCounts(statuses)).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');

/** sweep <file>: plan (every config validated), create the sweep and its run folders, then execute. */
export async function sweepCommand(ctx: CliContext): Promise<number> {
  const [sub, ...rest] = ctx.positionals;
  switch (sub) {
    case 'status':
      return statusCommand(ctx, rest[0]);
    case 'cancel':
      return cancelCommand(ctx, rest[0]);
    case 'resume':
      return resumeSweepCommand(ctx, rest[0]);
    case 'report':
      return reportCommand(ctx, rest[0]);
    case 'list':
      return listCommand(ctx);
    case 'adopt':
      return adoptCommand(ctx, rest[0]);
    case 'measure':
      return sweepMeasureCommand(ctx, rest[0]);
    case 'export-recommended':
      return exportRecommendedCommand(ctx, rest[0]);
    case undefined:
      throw new UserError('sweep needs a sweep file: lrc-distill sweep <file.json> [--executor local|slurm]', 'sweep');
  }
  const file = resolve(sub);
  const executor = executorOf(ctx);
  const spec = readSweepFile(file);
  const plan = planSweep(spec, file, basename(file, extname(file)));
  const workers = positiveInt(ctx, 'workers') ?? spec.local.workers;
  const borrowed = borrowTeachers(plan, sweepsDirOf(ctx), ctx.runsDir, file);
  if (ctx.flags['dry-run']) {
    for (const t of plan.teachers) {
      const b = borrowed.get(t.key);
      console.log(`teacher  ${t.name}${b ? ` (borrowed: ${b.runId} of sweep ${b.sweepId}, not trained here)` : ''}`);
    }
    for (const g of plan.generals) console.log(`general  ${g.name}`);
    for (const r of plan.runs) console.log(`${String(r.config.kind).padEnd(8)} ${r.name}${r.teacherKey ? ` (teacher: ${r.teacherKey.slice(8) || 'the one teacher'})` : ''}${r.generalKey ? ` (from general: ${r.generalKey.slice(8) || 'the one general run'})` : ''}`);
    console.log(`${plan.teachers.length} teacher(s), ${plan.generals.length ? `${plan.generals.length} general run(s), ` : ''}${plan.runs.length} run(s); nothing created (--dry-run)`);
    return EXIT.ok;
  }
  const { dir, record } = createSweep(sweepsDirOf(ctx), { plan, file, cwd: process.cwd(), runsDir: ctx.runsDir, executor, slurm: spec.slurm, workers, borrowed });
  const lent = record.teachers.filter((t) => t.borrowedFrom).length;
  console.log(`sweep ${record.id}: ${record.teachers.length} teacher(s)${lent ? ` (${lent} borrowed from sweep ${record.teachers.find((t) => t.borrowedFrom)!.borrowedFrom})` : ''}, ${record.runs.length} run(s), ${executor} executor; folder ${dir}`);
  return execute(ctx, dir, record);
}

async function execute(ctx: CliContext, dir: string, sweep: SweepRecord): Promise<number> {
  if (sweep.executor === 'local') {
    const workers = positiveInt(ctx, 'workers') ?? sweep.workers ?? defaultWorkers();
    console.log(`${clock()} local pool of ${workers} worker(s); logs in ${join(dir, 'logs')}`);
    const outcome = await runLocalPool(dir, workers, {
      started: (m, log) => console.log(`${clock()} start ${m.name} (${m.runId}); log ${log}`),
      ended: (m, status, detail) => console.log(`${clock()} ${status} ${m.name}${detail ? `: ${detail}` : ''}`),
    });
    console.log(`sweep ${sweep.id}: ${outcome.finished.length} finished, ${outcome.failed.length} failed, ${outcome.notStarted.length} not started${outcome.interrupted ? ' (stopped)' : ''}`);
    if (outcome.interrupted) return EXIT.interrupted;
    return outcome.failed.length || outcome.notStarted.length ? EXIT.runFailed : EXIT.ok;
  }
  const statuses = statesOf(sweep);
  const done = new Set(statuses.filter((s) => s.state === 'finished').map((s) => s.member.runId));
  const live = new Set(statuses.filter((s) => jobIsLive(s.job)).map((s) => s.member.runId));
  ensureRunFolders(sweep);
  const submitted = submitSweep(dir, sweep, done, live);
  for (const s of submitted) console.log(`submitted ${s.stage}: job array ${s.jobId} (${s.runIds.length} task(s))${s.dependsOn ? `, after ${s.dependsOn}` : ''}`);
  if (!submitted.length) console.log('nothing to submit: every run has finished or has a live job');
  if (!ctx.flags.wait) {
    console.log(`follow it with: lrc-distill sweep status ${sweep.id}`);
    return EXIT.ok;
  }
  return waitForSweep(ctx, dir);
}

/** --wait: polls the scheduler and the run folders until no job lives, printing each change of state. */
async function waitForSweep(ctx: CliContext, dir: string): Promise<number> {
  const poll = (positiveInt(ctx, 'poll') ?? 10) * 1000;
  const seen = new Map<string, string>();
  for (;;) {
    const statuses = statesOf(readSweep(dir));
    for (const s of statuses) {
      const text = `${s.state}: ${s.detail}`;
      if (seen.get(s.member.runId) !== text && s.state !== 'running') console.log(`${clock()} ${s.member.name}: ${text}`);
      seen.set(s.member.runId, text);
    }
    if (!statuses.some((s) => s.state === 'pending' || s.state === 'running')) {
      console.log(`${clock()} ${countsText(statuses)}`);
      return statuses.every((s) => s.state === 'finished') ? EXIT.ok : EXIT.runFailed;
    }
    await new Promise((r) => setTimeout(r, poll));
  }
}

function statusCommand(ctx: CliContext, ref: string | undefined): number {
  const dir = findSweepDir(sweepsDirOf(ctx), need(ref, 'status'));
  const sweep = readSweep(dir);
  const statuses = statesOf(sweep);
  if (ctx.flags.json) {
    console.log(JSON.stringify({ sweep: { id: sweep.id, name: sweep.name, executor: sweep.executor, dir, pool: sweep.pool && poolIsAlive(sweep) ? sweep.pool : undefined, cancelledAt: sweep.cancelledAt }, counts: stateCounts(statuses), runs: statuses.map((s) => ({ runId: s.member.runId, name: s.member.name, role: s.member.role, cell: s.member.cell, seed: s.member.seed, state: s.state, detail: s.detail, job: s.job?.job, jobState: s.job?.state, reason: s.job?.reason, runStatus: s.run?.status, step: s.run?.progress.step, totalSteps: s.run?.progress.totalSteps })) }, null, 1));
    return EXIT.ok;
  }
  console.log(`sweep ${sweep.id} (${sweep.executor}): ${countsText(statuses)}`);
  for (const s of statuses) console.log(`  ${s.state.padEnd(8)} ${s.member.name} (${s.member.runId}): ${s.detail}`);
  return EXIT.ok;
}

/** cancel: scancel the sweep's live jobs (slurm) or stop the local pool; every run stops after a checkpoint. */
function cancelCommand(ctx: CliContext, ref: string | undefined): number {
  const dir = findSweepDir(sweepsDirOf(ctx), need(ref, 'cancel'));
  const sweep = updateSweep(dir, (s) => ({ ...s, cancelledAt: new Date().toISOString() }));
  if (sweep.executor === 'slurm') {
    const live = statesOf(sweep).filter((s) => jobIsLive(s.job)).map((s) => s.job!.job);
    scancel(live);
    console.log(live.length ? `cancelled ${live.length} array task(s): ${live.join(' ')}` : 'no live job to cancel');
    return EXIT.ok;
  }
  if (poolIsAlive(sweep)) {
    process.kill(sweep.pool!.pid, 'SIGTERM');
    console.log(`stopping the local pool (pid ${sweep.pool!.pid}); its runs stop after a checkpoint`);
  } else {
    console.log('the local pool is not running: nothing to cancel');
  }
  return EXIT.ok;
}

/** resume: executes again what has not finished; runs go on from their last checkpoints. */
async function resumeSweepCommand(ctx: CliContext, ref: string | undefined): Promise<number> {
  const dir = findSweepDir(sweepsDirOf(ctx), need(ref, 'resume'));
  const sweep = updateSweep(dir, (s) => ({ ...s, cancelledAt: undefined }));
  if (sweep.executor === 'local' && poolIsAlive(sweep)) throw new UserError(`sweep ${sweep.id} is running in process ${sweep.pool!.pid} on ${sweep.pool!.hostname}: it cannot be resumed twice`, 'sweep');
  return execute(ctx, dir, sweep);
}

function reportCommand(ctx: CliContext, ref: string | undefined): number {
  const rule = parseRule(ctx.flags.rule);
  const dir = findSweepDir(sweepsDirOf(ctx), need(ref, 'report'));
  const input = reportInputOf(readSweep(dir));
  const report = { ...aggregateSweep(input), front: frontOf(input, rule) };
  const format = ctx.flags.format ?? 'md';
  if (format !== 'md' && format !== 'csv' && format !== 'json') throw new UserError(`--format ${format}: expected md, csv or json`, '--format');
  // --out a folder: the tables in it and the front of each task as an SVG chart beside them
  const outDir = ctx.flags.out && (format === 'csv' || (existsSync(resolve(ctx.flags.out)) && statSync(resolve(ctx.flags.out)).isDirectory())) ? resolve(ctx.flags.out) : undefined;
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    const charts = report.front.tasks.map((t) => {
      const name = frontSvgName(t.task);
      writeFileAtomic(join(outDir, name), frontSvg(t));
      return name;
    });
    if (format !== 'csv') {
      const name = format === 'json' ? 'report.json' : 'report.md';
      writeFileAtomic(join(outDir, name), format === 'json' ? reportJson(report) : reportMarkdown(report));
      console.log(`wrote ${[name, ...charts].join(', ')} into ${outDir}`);
      return EXIT.ok;
    }
    console.log(`wrote ${charts.join(', ')} into ${outDir}`);
  }
  let text: string;
  if (format === 'md') text = reportMarkdown(report);
  else if (format === 'json') text = reportJson(report);
  else if (format === 'csv') {
    const csv = reportCsv(report);
    if (ctx.flags.out) {
      const out = resolve(ctx.flags.out);
      for (const [table, body] of Object.entries(csv)) writeFileSync(join(out, `${table}.csv`), body);
      console.log(`wrote ${Object.keys(csv).map((t) => `${t}.csv`).join(', ')} into ${out}`);
      return EXIT.ok;
    }
    text = Object.entries(csv).map(([table, body]) => `# ${table}\n${body}`).join('\n');
  } else throw new UserError(`--format ${format}: expected md, csv or json`, '--format');
  if (ctx.flags.out) {
    writeFileSync(resolve(ctx.flags.out), text);
    console.log(`wrote ${resolve(ctx.flags.out)}`);
  } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}

function listCommand(ctx: CliContext): number {
  const { sweeps, broken } = listSweeps(sweepsDirOf(ctx));
  if (ctx.flags.json) {
    console.log(JSON.stringify({ sweeps: sweeps.map((s) => ({ id: s.record.id, name: s.record.name, executor: s.record.executor, dir: s.dir, runs: s.record.runs.length, teachers: s.record.teachers.length })), broken }, null, 1));
    return EXIT.ok;
  }
  for (const s of sweeps) console.log(`${s.record.id}  ${s.record.executor.padEnd(5)} ${s.record.teachers.length} teacher(s), ${s.record.runs.length} run(s)`);
  for (const b of broken) console.log(`${b.id}  unreadable: ${b.error}`);
  if (!sweeps.length && !broken.length) console.log(`no sweeps in ${sweepsDirOf(ctx)}`);
  return EXIT.ok;
}

const need = (ref: string | undefined, sub: string) => {
  if (!ref) throw new UserError(`sweep ${sub} needs a sweep: lrc-distill sweep ${sub} <sweep id, name or folder>`, 'sweep');
  return ref;
};

/** sweep-task <sweep folder> <run>: one run of the sweep, from its checkpoint if it has one. */
export async function sweepTaskCommand(ctx: CliContext): Promise<number> {
  const [sweepDir, runId] = ctx.positionals;
  if (!sweepDir || !runId) throw new UserError('sweep-task needs a sweep folder and a run id', 'sweep-task');
  const sweep = readSweep(resolve(sweepDir));
  const member = membersOf(sweep).find((m) => m.runId === runId);
  if (!member) throw new UserError(`run ${runId} is not part of sweep ${sweep.id}`, 'run');
  if (isAdopted(sweep, runId)) {
    console.log(`${member.name} (${runId}) was adopted from its record: nothing to run`);
    return EXIT.ok;
  }
  if (member.borrowedFrom) throw new UserError(`${member.name} (${runId}) is borrowed from sweep ${member.borrowedFrom}: this sweep does not train it`, 'run');
  ensureRunFolders(sweep);
  const runsCtx = { ...ctx, runsDir: sweep.runsDir };
  const dir = join(sweep.runsDir, runId);
  if (member.teacherRunId) {
    if (isAdopted(sweep, member.teacherRunId)) throw new UserError(`the teacher of ${member.name} (${member.teacherRunId}) is known only from its record in ${sweep.records!.dir}: its model is not here to learn from`, 'teacher');
    const teacher = readRun(join(sweep.runsDir, member.teacherRunId));
    if (teacher.status !== 'finished') throw new UserError(`the teacher of ${member.name} (${teacher.id}) is ${teacher.status}, not finished`, 'teacher');
  }
  if (member.generalRunId) {
    if (isAdopted(sweep, member.generalRunId)) throw new UserError(`the general run of ${member.name} (${member.generalRunId}) is known only from its record in ${sweep.records!.dir}: its student is not here to start from`, 'studentInit');
    const general = readRun(join(sweep.runsDir, member.generalRunId));
    if (general.status !== 'finished') throw new UserError(`the general run of ${member.name} (${general.id}) is ${general.status}, not finished`, 'studentInit');
  }
  let record = readRun(dir);
  if (record.status === 'finished') {
    console.log(summary(record, dir));
    return EXIT.ok;
  }
  if (record.status === 'running' || record.status === 'paused') {
    // Slurm runs one instance of an array task at a time: a restarted task takes its run over.
    if (!process.env.SLURM_JOB_ID) throw new UserError(`run ${runId} is ${record.status} in process ${record.owner?.pid} on ${record.owner?.hostname}`, 'run');
    record = updateRun(dir, (r) => ({ ...r, status: 'crashed', error: { message: `its Slurm job was restarted (job ${process.env.SLURM_JOB_ID}, restart ${process.env.SLURM_RESTART_COUNT ?? '?'}) on ${hostname()}` } }));
  }
  if (!existsSync(dir)) throw new UserError(`${dir}: run folder missing`, dir);
  const lost = stepsWithoutCheckpoint(dir, record);
  if (lost > 0) {
    const kept = restartWithoutCheckpoint(sweep, member);
    console.log(`${member.name} (${runId}) had trained ${lost} steps with no checkpoint to go on from: that attempt is kept, as it was, in ${kept}; the run starts again from step 0`);
  }
  const done = await runSession(runsCtx, dir, true);
  console.log(summary(done, dir));
  return exitCodeOf(done);
}
