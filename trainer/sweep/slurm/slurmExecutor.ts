// The slurm executor: one sbatch job array per stage of a sweep, the teachers first and the runs after
// them (`--dependency=afterok:<teachers>`), resources from the sweep file. Array task i runs
// `lrc-distill sweep-task <sweep> <run i>` in the sweep's folder, exec'd so that Slurm's SIGTERM (scancel,
// preemption, a time limit) reaches the trainer, which checkpoints and stops; with --requeue a task on a
// node that fails is run again and goes on from its checkpoint. Nothing of ours stays running: the state
// is in the run folders and in what the scheduler says.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomicFile';
import { cliInvocation } from '../localPool';
import type { Resources } from '../sweepFile';
import type { SweepRecord, Submission } from '../sweepRecord';
import { sweepPaths, updateSweep } from '../sweepStore';
import { jobOfRun } from '../sweepStatus';
import { sbatch } from './slurmCommands';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The job name of a stage: the sweep's id in it keeps two sweeps' jobs apart. */
export const jobName = (sweep: SweepRecord, stage: Submission['stage']) => `lrc-${sweep.id}-${stage}`;

/** The sbatch options of one stage's array, as #SBATCH lines. */
export function sbatchOptions(sweep: SweepRecord, stage: Submission['stage'], tasks: number, logDir: string): string[] {
  const r: Resources = stage === 'teachers' ? sweep.resources.teacher : sweep.resources.student;
  const s = sweep.slurm;
  return [
    `--job-name=${jobName(sweep, stage)}`,
    `--array=0-${tasks - 1}${s.maxParallel ? `%${s.maxParallel}` : ''}`,
    '--ntasks=1',
    `--cpus-per-task=${r.cpus}`,
    `--mem=${r.memory}`,
    // with a time limit, the trainer (the batch shell itself, exec'd) is told a minute before it, and checkpoints
    ...(r.time ? [`--time=${r.time}`, '--signal=B:TERM@60'] : []),
    ...(r.gpus > 0 ? [`--gres=gpu:${r.gpus}`] : []),
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.account ? [`--account=${s.account}`] : []),
    ...(s.qos ? [`--qos=${s.qos}`] : []),
    `--output=${join(logDir, '%A_%a.out')}`,
    '--open-mode=append',
    '--requeue',
    `--chdir=${sweep.cwd}`,
    ...s.args,
  ];
}

export function batchScript(sweep: SweepRecord, sweepDir: string, stage: Submission['stage'], runIds: string[], logDir: string): string {
  return [
    '#!/bin/bash',
    `# LRC Distill sweep ${sweep.name} (${sweep.id}): ${stage}, ${runIds.length} array task(s). Written by lrc-distill; submitted with sbatch.`,
    ...sbatchOptions(sweep, stage, runIds.length, logDir).map((o) => `#SBATCH ${o}`),
    '',
    `RUNS=(${runIds.map(quote).join(' ')})`,
    'RUN="${RUNS[$SLURM_ARRAY_TASK_ID]}"',
    'echo "lrc-distill: array task $SLURM_ARRAY_TASK_ID of job ${SLURM_ARRAY_JOB_ID} (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname): run $RUN"',
    ...sweep.slurm.setup,
    `exec ${(sweep.slurm.node ? [sweep.slurm.node, ...cliInvocation().slice(1)] : cliInvocation()).map(quote).join(' ')} sweep-task ${quote(sweepDir)} "$RUN" --plain`,
    '',
  ].join('\n');
}

/** Writes the stage's script and submits it; the submission is recorded in sweep.json. */
export function submitStage(sweepDir: string, sweep: SweepRecord, stage: Submission['stage'], runIds: string[], dependsOn?: string): { record: SweepRecord; submission: Submission } {
  const n = sweep.submissions.length + 1;
  const dir = sweepPaths(sweepDir).slurm;
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const script = join(dir, `${n}-${stage}.sbatch`);
  writeFileAtomic(script, batchScript(sweep, sweepDir, stage, runIds, logDir));
  const jobId = sbatch(script, dependsOn ? [`--dependency=afterok:${dependsOn}`, '--kill-on-invalid-dep=yes'] : []);
  const submission: Submission = { n, at: new Date().toISOString(), stage, jobId, runIds, ...(dependsOn ? { dependsOn } : {}) };
  const record = updateSweep(sweepDir, (s) => ({ ...s, submissions: [...s.submissions, submission] }));
  return { record, submission };
}

/**
 * Submits what is left to do: the teachers that have not finished (one array), then the runs that have
 * not finished, after the teachers' array when there is one. `live` are the runs whose job still lives
 * (pending or running): they are not submitted twice.
 */
export function submitSweep(sweepDir: string, sweep: SweepRecord, done: Set<string>, live: Set<string>): Submission[] {
  const out: Submission[] = [];
  // the teachers' stage holds the general runs too: neither depends on the other, the runs on both
  const firstStage = [...sweep.teachers, ...sweep.generals];
  const teachers = firstStage.map((t) => t.runId).filter((id) => !done.has(id) && !live.has(id));
  let record = sweep;
  // the runs wait for each teacher still to finish (its array task), whether submitted now or earlier
  const teacherTasks: string[] = [];
  if (teachers.length) {
    const s = submitStage(sweepDir, record, 'teachers', teachers);
    record = s.record;
    out.push(s.submission);
  }
  for (const t of firstStage) if (!done.has(t.runId)) teacherTasks.push(jobOfRun(record, t.runId)!);
  const runs = sweep.runs.map((r) => r.runId).filter((id) => !done.has(id) && !live.has(id));
  if (runs.length) out.push(submitStage(sweepDir, record, 'runs', runs, teacherTasks.length ? teacherTasks.join(':') : undefined).submission);
  return out;
}
