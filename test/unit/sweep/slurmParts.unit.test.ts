// The Slurm executor's pure parts: what it asks sbatch for (resources, GPUs, the partition, the exec'd
// task command), how it reads squeue / scontrol / sacct output (pending arrays unexpanded or expanded),
// and how a run folder and its job state make a sweep state. The real cluster is in test/slurm/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { batchScript, sbatchOptions } from '../../../trainer/sweep/slurm/slurmExecutor';
import { expandTaskIds, parseSacct, parseScontrol, parseSqueue } from '../../../trainer/sweep/slurm/slurmCommands';
import { planSweep } from '../../../trainer/sweep/plan';
import { readSweepFile } from '../../../trainer/sweep/sweepFile';
import { createSweep } from '../../../trainer/sweep/sweepStore';
import { sweepStatus } from '../../../trainer/sweep/sweepStatus';
import { claimRun, updateRun } from '../../../trainer/runs/runStore';
import type { SweepRecord } from '../../../trainer/sweep/sweepRecord';
import { tempDir } from '../helpers/tempDir';

const TINY = join(__dirname, '..', '..', '..', 'experiments', 'sweeps', 'tiny.sweep.json');

function tinySweep(executor: SweepRecord['executor'] = 'slurm') {
  const dir = tempDir();
  const plan = planSweep(readSweepFile(TINY), TINY, 'tiny');
  return createSweep(join(dir, 'sweeps'), { plan, file: TINY, cwd: dir, runsDir: join(dir, 'runs'), executor, slurm: { partition: 'gpu', account: 'nlp', args: ['--constraint=avx2'], setup: [] } });
}

test('sbatch options: resources of the stage, GPUs as --gres, the site\'s partition and account, requeue, the sweep\'s id in the job name', () => {
  const { record } = tinySweep();
  const sweep: SweepRecord = { ...record, resources: { ...record.resources, teacher: { cpus: 4, memory: '16G', time: '1-00:00:00', gpus: 2 } }, slurm: { ...record.slurm, maxParallel: 3 } };
  const teachers = sbatchOptions(sweep, 'teachers', 2, '/logs');
  assert.deepEqual(teachers, [
    `--job-name=lrc-${record.id}-teachers`, '--array=0-1%3', '--ntasks=1', '--cpus-per-task=4', '--mem=16G', '--time=1-00:00:00', '--signal=B:TERM@60', '--gres=gpu:2',
    '--partition=gpu', '--account=nlp', '--output=/logs/%A_%a.out', '--open-mode=append', '--requeue', `--chdir=${record.cwd}`, '--constraint=avx2',
  ]);
  const runs = sbatchOptions(sweep, 'runs', 18, '/logs');
  assert.ok(runs.includes('--cpus-per-task=1') && runs.includes('--mem=2G') && runs.includes('--time=00:20:00') && !runs.some((o) => o.startsWith('--gres')));
  const script = batchScript(sweep, '/sw/it\'s', 'runs', record.runs.slice(0, 2).map((r) => r.runId), '/logs');
  assert.doesNotMatch(script, /module load/);
  const site = batchScript({ ...sweep, slurm: { ...sweep.slurm, setup: ['module load nodejs/20'], node: 'node' } }, '/sw', 'runs', [record.runs[0].runId], '/logs');
  assert.match(site, /\nmodule load nodejs\/20\nexec 'node' ('[^']+' )+sweep-task '\/sw' "\$RUN" --plain\n$/);
  assert.match(script, /^#!\/bin\/bash\n/);
  assert.match(script, new RegExp(`RUNS=\\('${record.runs[0].runId}' '${record.runs[1].runId}'\\)`));
  assert.match(script, /\nexec '.+' sweep-task '\/sw\/it'\\''s' "\$RUN" --plain\n$/, 'exec: Slurm\'s SIGTERM reaches the trainer; paths quoted');
});

test('squeue, scontrol and sacct output: array tasks by "job_task", pending ranges expanded, job steps left out', () => {
  assert.deepEqual(expandTaskIds('0-2,5%2'), [0, 1, 2, 5]);
  assert.deepEqual(parseSqueue('12_0|RUNNING|None\n12_[1-3%2]|PENDING|JobArrayTaskLimit\n'), [
    { job: '12_0', state: 'RUNNING', reason: 'None' },
    { job: '12_1', state: 'PENDING', reason: 'JobArrayTaskLimit' },
    { job: '12_2', state: 'PENDING', reason: 'JobArrayTaskLimit' },
    { job: '12_3', state: 'PENDING', reason: 'JobArrayTaskLimit' },
  ]);
  const sc = 'JobId=14 JobName=x ArrayJobId=12 ArrayTaskId=1 JobState=CANCELLED Reason=None Dependency=(null)\nJobId=13 ArrayJobId=12 ArrayTaskId=0 JobState=NODE_FAIL Reason=NodeDown\n';
  assert.deepEqual(parseScontrol(sc), [{ job: '12_1', state: 'CANCELLED', reason: 'None' }, { job: '12_0', state: 'NODE_FAIL', reason: 'NodeDown' }]);
  assert.deepEqual(parseSacct('12_0|COMPLETED\n12_0.batch|COMPLETED\n12_1|CANCELLED by 0\n'), [{ job: '12_0', state: 'COMPLETED' }, { job: '12_1', state: 'CANCELLED' }]);
});

test('a sweep state from the run folder and the job: pending with the reason, running, lost when the job ended mid-run, failed before it started', () => {
  const { record } = tinySweep();
  const [t0, t1] = record.teachers;
  const [r0, r1, r2] = record.runs;
  const sweep: SweepRecord = { ...record, submissions: [{ n: 1, at: '', stage: 'teachers', jobId: '40', runIds: [t0.runId, t1.runId] }, { n: 2, at: '', stage: 'runs', jobId: '41', runIds: [r0.runId, r1.runId, r2.runId] }] };
  const runDir = (id: string) => join(record.runsDir, id);
  claimRun(runDir(t0.runId));
  updateRun(runDir(t1.runId), (r) => ({ ...r, status: 'finished', best: { metric: 'accuracy', value: 0.875, step: 40 } }));
  claimRun(runDir(r1.runId));
  updateRun(runDir(r1.runId), (r) => ({ ...r, progress: { ...r.progress, step: 30, totalSteps: 72 } }));
  const jobs = new Map([
    ['40_0', { job: '40_0', state: 'RUNNING' }],
    ['41_0', { job: '41_0', state: 'PENDING', reason: 'Dependency' }],
    ['41_1', { job: '41_1', state: 'NODE_FAIL', reason: 'NodeDown' }],
    ['41_2', { job: '41_2', state: 'CANCELLED', reason: 'DependencyNeverSatisfied' }],
  ]);
  const byId = new Map(sweepStatus(sweep, jobs).map((s) => [s.member.runId, s]));
  assert.equal(byId.get(t0.runId)!.state, 'running');
  assert.deepEqual([byId.get(t1.runId)!.state, byId.get(t1.runId)!.detail], ['finished', 'accuracy 0.8750']);
  assert.deepEqual([byId.get(r0.runId)!.state, byId.get(r0.runId)!.detail], ['pending', 'pending (Dependency)']);
  assert.deepEqual([byId.get(r1.runId)!.state, byId.get(r1.runId)!.detail], ['failed', 'lost at step 30/72: job 41_1 NODE_FAIL (NodeDown)']);
  assert.deepEqual([byId.get(r2.runId)!.state, byId.get(r2.runId)!.detail], ['failed', 'job 41_2 CANCELLED (DependencyNeverSatisfied) before the run started']);
  assert.equal(byId.get(record.runs[3].runId)!.state, 'waiting', 'never submitted');
});
