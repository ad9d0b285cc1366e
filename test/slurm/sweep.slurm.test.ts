// Sweeps on a real Slurm cluster (the one-node cluster test/slurm/run.mjs starts; SLURM_CONF names it):
// the tiny sweep of experiments/ finishes through job arrays with the report equal to eval of the
// exported models; an array task killed by scancel shows as failed and `sweep resume` finishes it from its
// checkpoint; a node set DOWN and back loses nothing (Slurm requeues, the run goes on from its
// checkpoint); a bad sweep file submits nothing; two sweeps at once keep their runs apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');
const TINY = join(root, 'experiments', 'sweeps', 'tiny.sweep.json');
assert.ok(process.env.SLURM_CONF, 'run through test/slurm/run.mjs, which starts the cluster');
assert.ok(existsSync(CLI), `${CLI} is missing: build first (node esbuild.mjs)`);

const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = <T>(r: { code: number | null; out: string; err: string }): T => {
  assert.equal(r.code, 0, r.err + r.out);
  return JSON.parse(r.out) as T;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workDir = () => mkdtempSync(join(tmpdir(), 'lrc-sweep-slurm-'));
const squeueCount = () => sh('squeue', ['--noheader', '-r']).stdout.split('\n').filter(Boolean).length;

type Status = { sweep: { id: string }; counts: Record<string, number>; runs: { runId: string; name: string; state: string; detail: string; job?: string; runStatus?: string; step?: number }[] };
const status = (ref: string, cwd: string) => json<Status>(cli(['sweep', 'status', ref, '--json'], cwd));

async function until<T>(what: string, probe: () => T | undefined, ms = 180_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(500);
  }
}

/** A sweep of one task and `seeds`, the student alone, long enough to be caught mid-run. */
function longSweep(dir: string, name: string, seeds: number[], epochs = 150): string {
  const tiny = JSON.parse(readFileSync(TINY, 'utf8'));
  const fixture = (f: string) => join(root, 'test', 'fixtures', 'sweep', f);
  const file = join(dir, `${name}.sweep.json`);
  writeFileSync(file, JSON.stringify({
    name,
    base: { ...tiny.base, optim: { ...tiny.base.optim, epochs }, data: { task: 'file', train: fixture('a-train.tsv'), dev: fixture('a-dev.tsv'), columns: { text: 'sentence', label: 'label' } } },
    axes: { method: { alone: { kind: 'student' } }, seed: seeds },
    resources: { cpus: 1, memory: '1G', time: '00:10:00' },
  }));
  return file;
}

const checkpointStep = (dir: string, runId: string) => {
  const f = join(dir, '.lrc', 'runs', runId, 'checkpoints', 'last', 'state.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { state: { step: number } }).state.step : 0;
};
const starts = (dir: string, runId: string) =>
  readFileSync(join(dir, '.lrc', 'runs', runId, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"start"')).map((l) => JSON.parse(l) as { step: number; resumed: boolean });

test('the tiny sweep (2 tasks x LRC/MSE/alone x 3 seeds) through sbatch job arrays: teachers first, every run finished, the report equal to eval', { timeout: 600_000 }, () => {
  const dir = workDir();
  const r = cli(['sweep', TINY, '--executor', 'slurm', '--wait', '--poll', '2'], dir);
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, /submitted teachers: job array (\d+) \(2 task\(s\)\)/);
  const teachersJob = /submitted teachers: job array (\d+)/.exec(r.out)![1];
  assert.match(r.out, new RegExp(`submitted runs: job array \\d+ \\(18 task\\(s\\)\\), after ${teachersJob}_0:${teachersJob}_1`));
  const s = status('tiny', dir);
  assert.equal(s.counts.finished, 20, JSON.stringify(s.runs));
  // the dependency held: no student started before its teacher ended
  const record = (id: string) => JSON.parse(readFileSync(join(dir, '.lrc', 'runs', id, 'run.json'), 'utf8')) as { kind: string; startedAt: string; endedAt: string; teacher?: { runId: string } };
  for (const run of s.runs.map((x) => record(x.runId)).filter((x) => x.teacher)) assert.ok(run.startedAt >= record(run.teacher!.runId).endedAt);

  type Report = { cells: { cell: Record<string, string>; seeds: { seed: number; runId: string; value: number }[] }[]; teachers: { runId: string; value: number }[] };
  const report = json<Report>(cli(['sweep', 'report', 'tiny', '--format', 'json'], dir));
  const evalScore = (id: string) => json<{ score: number }>(cli(['eval', id, '--json'], dir)).score;
  for (const t of report.teachers) assert.equal(t.value, evalScore(t.runId));
  for (const cell of report.cells) {
    const seed7 = cell.seeds.find((x) => x.seed === 7)!;
    assert.equal(seed7.value, evalScore(seed7.runId), JSON.stringify(cell.cell));
  }
});

test('scancel of a running array task: the run shows as failed; sweep resume finishes it from its checkpoint', { timeout: 600_000 }, async () => {
  const dir = workDir();
  const sub = cli(['sweep', longSweep(dir, 'cancel-me', [1, 2]), '--executor', 'slurm'], dir);
  assert.equal(sub.code, 0, sub.err + sub.out);
  const victim = await until('a task past its first checkpoint', () => status('cancel-me', dir).runs.find((r) => r.state === 'running' && checkpointStep(dir, r.runId) > 0));
  assert.equal(sh('scancel', [victim.job!]).status, 0);
  const failed = await until('the cancelled run to show as failed', () => status('cancel-me', dir).runs.find((r) => r.runId === victim.runId && r.state === 'failed'));
  assert.match(failed.detail, /CANCELLED|its job has ended/);
  assert.equal(failed.runStatus, 'stopped', 'SIGTERM made the trainer checkpoint and stop');
  const stoppedAt = checkpointStep(dir, victim.runId);

  const resumed = cli(['sweep', 'resume', 'cancel-me', '--wait', '--poll', '1'], dir);
  assert.equal(resumed.code, 0, resumed.err + resumed.out);
  assert.match(resumed.out, /submitted runs: job array \d+ \(1 task\(s\)\)/, 'only the cancelled run is submitted again');
  assert.equal(status('cancel-me', dir).counts.finished, 2);
  const s = starts(dir, victim.runId);
  assert.deepEqual(s.map((x) => x.resumed), [false, true]);
  assert.equal(s[1].step, stoppedAt, 'resumed from the checkpoint written at the stop, not from step 0');
});

test('a node set DOWN and back: its jobs are requeued and their runs go on from their checkpoints; nothing is lost', { timeout: 600_000 }, async () => {
  const dir = workDir();
  const host = sh('sinfo', ['--noheader', '-o', '%N']).stdout.trim();
  const sub = cli(['sweep', longSweep(dir, 'node-down', [1, 2]), '--executor', 'slurm'], dir);
  assert.equal(sub.code, 0, sub.err + sub.out);
  await until('both runs past a checkpoint', () => {
    const runs = status('node-down', dir).runs;
    return runs.every((r) => r.state === 'running' && checkpointStep(dir, r.runId) > 0) || undefined;
  });
  try {
    assert.equal(sh('scontrol', ['update', `nodename=${host}`, 'state=down', 'reason=lrc-test']).status, 0);
    await until('the jobs to be requeued', () => status('node-down', dir).runs.every((r) => r.state === 'pending') || undefined, 60_000);
  } finally {
    sh('scontrol', ['update', `nodename=${host}`, 'state=resume']);
  }
  await until('both runs to finish', () => status('node-down', dir).counts.finished === 2 || undefined, 400_000);
  for (const r of status('node-down', dir).runs) {
    const s = starts(dir, r.runId);
    assert.equal(s.length, 2, `${r.name}: started twice (the second time after the requeue)`);
    assert.ok(s[1].resumed && s[1].step > 0, `${r.name}: resumed at step ${s[1].step}`);
    assert.ok(existsSync(join(dir, '.lrc', 'runs', r.runId, 'export', 'model.safetensors')));
  }
});

test('a sweep file with a bad axis is refused before anything is submitted or created', async () => {
  // the jobs of the tests before may still be leaving the queue (completing): wait for them, so that the
  // count below compares this test's submissions only
  await until('the jobs of earlier tests to leave the queue', () => squeueCount() === 0 || undefined, 120_000);
  const dir = workDir();
  const file = join(dir, 'bad.sweep.json');
  const tiny = JSON.parse(readFileSync(TINY, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...tiny, axes: { ...tiny.axes, 'optim.learningRatee': [0.001, 0.003] } }));
  const before = squeueCount();
  const r = cli(['sweep', file, '--executor', 'slurm'], dir);
  assert.equal(r.code, 2, r.err + r.out);
  assert.match(r.err, /bad\.sweep\.json: teacher task=A: optim: Unrecognized key\(s\) in object: 'learningRatee'|bad\.sweep\.json: run .*optim: Unrecognized key\(s\) in object: 'learningRatee'/);
  assert.equal(r.err.trim().split('\n').length, 1, 'one line, no stack trace');
  assert.equal(squeueCount(), before);
  assert.deepEqual(readdirSync(dir), ['bad.sweep.json']);
});

test('two sweeps at once: their jobs, run folders and statuses stay apart', { timeout: 600_000 }, async () => {
  const dir = workDir();
  for (const name of ['left', 'right']) assert.equal(cli(['sweep', longSweep(dir, name, [3, 4], 20), '--executor', 'slurm'], dir).code, 0);
  await until('both sweeps to finish', () => ['left', 'right'].every((n) => status(n, dir).counts.finished === 2) || undefined);
  const left = status('left', dir);
  const right = status('right', dir);
  assert.notEqual(left.sweep.id, right.sweep.id);
  const ids = [...left.runs, ...right.runs].map((r) => r.runId);
  assert.equal(new Set(ids).size, 4);
  for (const [s, other] of [[left, right], [right, left]] as const) {
    for (const r of s.runs) {
      const run = JSON.parse(readFileSync(join(dir, '.lrc', 'runs', r.runId, 'run.json'), 'utf8')) as { sweep: { id: string } };
      assert.equal(run.sweep.id, s.sweep.id);
      assert.ok(!other.runs.some((o) => o.runId === r.runId));
    }
  }
  const scripts = (id: string) => readdirSync(join(dir, '.lrc', 'sweeps', id, 'slurm')).filter((f) => f.endsWith('.sbatch')).map((f) => readFileSync(join(dir, '.lrc', 'sweeps', id, 'slurm', f), 'utf8'));
  assert.ok(scripts(left.sweep.id).every((t) => t.includes(`--job-name=lrc-${left.sweep.id}-runs`) && !t.includes(right.sweep.id)));
});
