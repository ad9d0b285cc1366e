// Tests of the test cluster itself (test/slurm/cluster.mjs), run by `node test/slurm/run.mjs`: that it is a
// real Slurm that runs job arrays two at a time on 2 cores, shows pending and running tasks in squeue,
// kills one array task with SIGTERM on scancel, holds an afterok job until the array is done, requeues a
// task whose node goes down and runs it again after `state=resume`. Nothing here is mocked: every
// command is the real sbatch/squeue/scancel/scontrol talking to the real slurmctld and slurmd.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const enabled = process.env.LRC_SLURM_TEST === '1' && !!process.env.SLURM_CONF;
const skip = enabled ? false : 'needs the test cluster: run `node test/slurm/run.mjs`';

interface Result { code: number; stdout: string; stderr: string }
function sh(cmd: string, args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** sbatch --parsable: prints "<jobid>" (or "<jobid>;<cluster>" on a multi-cluster setup). */
async function sbatch(args: string[]): Promise<string> {
  const r = await sh('sbatch', ['--parsable', ...args]);
  assert.equal(r.code, 0, `sbatch ${args.join(' ')} failed: ${r.stderr}`);
  const m = r.stdout.trim().match(/^(\d+)(?:;\S+)?$/);
  assert.ok(m, `sbatch --parsable printed ${JSON.stringify(r.stdout)}`);
  return m[1];
}

interface TaskState { state: string; reason: string }
/**
 * States of every task of the given jobs, keyed "<jobid>_<taskid>" for array tasks (squeue -r expands
 * pending arrays too) and "<jobid>" for plain jobs; finished ones while slurmctld keeps them (MinJobAge).
 * The id list is given twice so that squeue answers an empty list, not an error, once the jobs are purged.
 */
async function states(...jobIds: string[]): Promise<Map<string, TaskState>> {
  const ids = [...jobIds, ...jobIds].join(',');
  const r = await sh('squeue', ['--array', '--noheader', '--states=all', `--jobs=${ids}`, '--format=%i|%T|%r']);
  assert.equal(r.code, 0, `squeue failed: ${r.stderr}`);
  const out = new Map<string, TaskState>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [id, state, ...reason] = line.split('|');
    out.set(id.trim(), { state, reason: reason.join('|') });
  }
  return out;
}
const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}
async function jobField(id: string, field: string): Promise<string | undefined> {
  const r = await sh('scontrol', ['--oneliner', 'show', 'job', id]);
  return r.stdout.match(new RegExp(`\\b${field}=(\\S*)`))?.[1];
}
const nums = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('the one-node Slurm test cluster', { skip }, () => {
  let dir = '';
  let host = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lrc-slurmtest-'));
    const r = await sh('sinfo', ['--noheader', '--format=%n %T %c']);
    assert.equal(r.code, 0, r.stderr);
    const [name, state, cpus] = r.stdout.trim().split(/\s+/);
    host = name;
    assert.equal(state, 'idle', `the node should be idle at the start: ${r.stdout}`);
    assert.equal(Number(cpus), 2, 'run.mjs gives the node 2 CPUs');
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // One array (submitted once) for the first two tests.
  let arrayId = '';
  let depId = '';
  const seen: Map<string, TaskState>[] = [];
  let finished: Promise<void> | undefined;
  function submitArrayOnce() {
    if (finished) return finished;
    finished = (async () => {
      const script = join(dir, 'array.sh');
      writeFileSync(script, [
        '#!/bin/bash',
        'ms() { echo $(( $(date +%s%N) / 1000000 )); }',
        `ms > ${dir}/start_$SLURM_ARRAY_TASK_ID`,
        'sleep 3',
        `ms > ${dir}/end_$SLURM_ARRAY_TASK_ID`,
        '',
      ].join('\n'));
      arrayId = await sbatch(['--array=0-2', '--cpus-per-task=1', `--chdir=${dir}`, `--output=${dir}/array_%A_%a.out`, script]);
      depId = await sbatch([`--dependency=afterok:${arrayId}`, '--cpus-per-task=1', `--chdir=${dir}`, `--output=${dir}/dep.out`,
        `--wrap=echo $(( $(date +%s%N) / 1000000 )) > ${dir}/dep_start`]);
      await waitFor('the array and the afterok job to finish', 40_000, async () => {
        const s = await states(arrayId, depId);
        seen.push(s);
        const all = [`${arrayId}_0`, `${arrayId}_1`, `${arrayId}_2`, depId];
        return all.every((id) => FINISHED.has(s.get(id)?.state ?? '')) && s;
      });
    })();
    return finished;
  }

  test('a 3-task array runs two tasks at once on 2 cores and the third after them; squeue shows them pending and running', async () => {
    await submitArrayOnce();
    const last = seen[seen.length - 1];
    for (const t of [0, 1, 2]) assert.equal(last.get(`${arrayId}_${t}`)?.state, 'COMPLETED', `task ${t}`);
    // Some snapshot had two tasks running and the third pending for want of CPUs.
    const twoRunning = seen.find((s) => {
      const st = [0, 1, 2].map((t) => s.get(`${arrayId}_${t}`));
      return st.filter((x) => x?.state === 'RUNNING').length === 2 && st.some((x) => x?.state === 'PENDING' && x.reason === 'Resources');
    });
    assert.ok(twoRunning, `no snapshot with 2 running + 1 pending (Resources): ${JSON.stringify(seen.map((s) => [...s]))}`);
    assert.ok(seen.some((s) => [0, 1, 2].some((t) => s.get(`${arrayId}_${t}`)?.state === 'PENDING')), 'a pending task was seen');
    // The tasks' own clocks: two overlap, the third starts once one of them has ended.
    const start = [0, 1, 2].map((t) => nums(join(dir, `start_${t}`)));
    const end = [0, 1, 2].map((t) => nums(join(dir, `end_${t}`)));
    const order = [0, 1, 2].sort((a, b) => start[a] - start[b]);
    const [a, b, c] = order;
    assert.ok(start[b] < end[a] && start[a] < end[b], `the first two tasks overlap: starts ${start}, ends ${end}`);
    assert.ok(start[c] >= Math.min(end[a], end[b]) - 50, `the third starts after one of the first two ended: starts ${start}, ends ${end}`);
    assert.equal(await jobField(`${arrayId}_${c}`, 'ExitCode'), '0:0');
  });

  test('an afterok job waits (reason Dependency) until every task of the array has ended', async () => {
    await submitArrayOnce();
    assert.ok(seen.some((s) => s.get(depId)?.state === 'PENDING' && s.get(depId)?.reason === 'Dependency'), 'the dependent job was seen pending on its dependency');
    assert.equal(seen[seen.length - 1].get(depId)?.state, 'COMPLETED');
    const depStart = nums(join(dir, 'dep_start'));
    const lastEnd = Math.max(...[0, 1, 2].map((t) => nums(join(dir, `end_${t}`))));
    assert.ok(depStart >= lastEnd, `the afterok job started at ${depStart}, before the array's last end ${lastEnd}`);
  });

  test('scancel <job>_<task> sends SIGTERM to that running task only, which ends CANCELLED', async () => {
    const script = join(dir, 'cancel.sh');
    writeFileSync(script, [
      '#!/bin/bash',
      `trap 'echo TERM > ${dir}/term_$SLURM_ARRAY_TASK_ID; exit 143' TERM`,
      `echo $$ > ${dir}/running_$SLURM_ARRAY_TASK_ID`,
      // Task 0 ends by itself; task 1 would sleep for a minute. `sleep & wait` lets the trap run at once.
      'if [ "$SLURM_ARRAY_TASK_ID" = 0 ]; then sleep 4 & wait; else sleep 60 & wait; fi',
      `echo done > ${dir}/done_$SLURM_ARRAY_TASK_ID`,
      '',
    ].join('\n'));
    const id = await sbatch(['--array=0-1', '--cpus-per-task=1', `--chdir=${dir}`, `--output=${dir}/cancel_%A_%a.out`, script]);
    await waitFor('both tasks to run', 20_000, async () => existsSync(join(dir, 'running_0')) && existsSync(join(dir, 'running_1')));
    const s = await states(id);
    assert.equal(s.get(`${id}_1`)?.state, 'RUNNING');
    const t0 = Date.now();
    const r = await sh('scancel', [`${id}_1`]);
    assert.equal(r.code, 0, r.stderr);
    const end = await waitFor('both tasks to finish', 20_000, async () => {
      const now = await states(id);
      return [0, 1].every((t) => FINISHED.has(now.get(`${id}_${t}`)?.state ?? '')) && now;
    });
    assert.ok(Date.now() - t0 < 15_000, 'the cancelled task did not sleep its minute');
    assert.equal(end.get(`${id}_1`)?.state, 'CANCELLED');
    assert.equal(end.get(`${id}_0`)?.state, 'COMPLETED');
    assert.equal(readFileSync(join(dir, 'term_1'), 'utf8').trim(), 'TERM', 'the cancelled task trapped SIGTERM');
    assert.ok(!existsSync(join(dir, 'done_1')), 'the cancelled task did not go on');
    assert.ok(!existsSync(join(dir, 'term_0')) && existsSync(join(dir, 'done_0')), 'the other task was not signalled');
    assert.equal(await jobField(`${id}_1`, 'JobState'), 'CANCELLED');
  });

  test('a node set down requeues its running task (SIGTERM first); after state=resume it runs again with SLURM_RESTART_COUNT=1', async () => {
    const script = join(dir, 'requeue.sh');
    writeFileSync(script, [
      '#!/bin/bash',
      `echo "start restart=\${SLURM_RESTART_COUNT:-none}" >> ${dir}/requeue.log`,
      `trap 'echo TERM >> ${dir}/requeue.log; exit 143' TERM`,
      'if [ -z "$SLURM_RESTART_COUNT" ]; then sleep 60 & wait; fi',
      `echo done >> ${dir}/requeue.log`,
      '',
    ].join('\n'));
    const id = await sbatch(['--array=0', '--requeue', '--cpus-per-task=1', `--chdir=${dir}`, `--output=${dir}/requeue_%A_%a.out`, script]);
    const log = () => (existsSync(join(dir, 'requeue.log')) ? readFileSync(join(dir, 'requeue.log'), 'utf8') : '');
    await waitFor('the task to run', 20_000, async () => log().includes('start'));
    try {
      const down = await sh('scontrol', ['update', `nodename=${host}`, 'state=down', 'reason=lost-node-test']);
      assert.equal(down.code, 0, down.stderr);
      // Requeued at once, held until its EligibleTime (cred_expire + 1 s after the requeue).
      await waitFor('the task to be requeued', 10_000, async () => (await states(id)).get(`${id}_0`)?.state === 'PENDING');
      assert.equal(await jobField(`${id}_0`, 'Restarts'), '1');
      const node = await sh('sinfo', ['--noheader', '--format=%T', `--nodes=${host}`]);
      assert.equal(node.stdout.trim(), 'down', 'ReturnToService=1 keeps an admin-downed node down');
    } finally {
      const up = await sh('scontrol', ['update', `nodename=${host}`, 'state=resume']);
      assert.equal(up.code, 0, up.stderr);
    }
    const end = await waitFor('the requeued task to run again and finish', 40_000, async () => {
      const s = (await states(id)).get(`${id}_0`);
      return s && FINISHED.has(s.state) && s;
    });
    assert.equal(end.state, 'COMPLETED');
    assert.equal(log(), 'start restart=none\nTERM\nstart restart=1\ndone\n');
  });

  test('--gres=gpu:1 on this cluster without GPUs is refused by sbatch', async () => {
    const r = await sh('sbatch', ['--parsable', '--gres=gpu:1', `--chdir=${dir}`, '--wrap=true']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Invalid generic resource \(gres\) specification/);
  });
});
