// The local executor for real: `lrc-distill sweep experiments/sweeps/tiny.sweep.json` runs 2 teachers and
// 18 students (2 tasks x LRC, MSE, alone x 3 seeds) in a pool of 2 worker processes, and the report's
// numbers are those of the exported models evaluated again by `eval`. A cancelled sweep stops its runs
// after a checkpoint, and `sweep resume` finishes them from there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
const TSX = ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts')];

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [...TSX, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const json = <T>(r: { code: number | null; out: string; err: string }): T => {
  assert.equal(r.code, 0, r.err + r.out);
  return JSON.parse(r.out) as T;
};

type Status = { sweep: { id: string }; counts: Record<string, number>; runs: { runId: string; name: string; state: string; runStatus: string; role: string }[] };
type Report = {
  cells: { cell: Record<string, string>; seeds: { seed: number; runId: string; value: number }[]; value: { mean: number; sd: number; n: number }; teacherValue: number; keptOfTeacher: number }[];
  teachers: { runId: string; value: number }[];
  comparisons: { name: string; groups: { cell: Record<string, string>; seeds: { seed: number; difference: number }[]; difference: { mean: number } }[] }[];
};

test('a sweep of 2 tasks x 3 seeds x (LRC, MSE, alone) on the local pool: every run finished, the report equal to eval of each run', { timeout: 600_000 }, () => {
  const dir = tempDir();
  const run = cli(['sweep', join(root, 'experiments', 'sweeps', 'tiny.sweep.json'), '--executor', 'local', '--workers', '2'], dir);
  assert.equal(run.code, 0, run.err + run.out);
  assert.match(run.out, /sweep \S+: 20 finished, 0 failed, 0 not started/);

  const status = json<Status>(cli(['sweep', 'status', 'tiny', '--json'], dir));
  assert.equal(status.counts.finished, 20);
  assert.ok(status.runs.every((r) => r.state === 'finished' && r.runStatus === 'finished'));
  assert.equal(readdirSync(join(dir, '.lrc', 'runs')).length, 20, 'one run folder per teacher and run, nothing else');

  // The runs of a teacher share its outputs through the teacher-output store: one folder per teacher, and
  // the runs that start after the first ones read what those wrote (the report check below shows the
  // numbers are those of each run's own model either way).
  const stores = readdirSync(join(dir, '.lrc', 'teacher-outputs'));
  assert.equal(stores.length, 2, `one store per teacher: ${stores.join(', ')}`);
  let read = 0;
  for (const r of status.runs.filter((x) => /-(lrc|mse)-/.test(x.runId))) {
    const records = readFileSync(join(dir, '.lrc', 'runs', r.runId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    read += records.find((m) => m.type === 'teacherCache' && m.event === 'end')?.storeHits ?? 0;
  }
  assert.ok(read > 0, 'later runs read the teacher outputs the first ones wrote');

  const report = json<Report>(cli(['sweep', 'report', 'tiny', '--format', 'json'], dir));
  assert.equal(report.cells.length, 6);
  const evalScore = (id: string) => json<{ score: number }>(cli(['eval', id, '--json'], dir)).score;
  for (const t of report.teachers) assert.equal(t.value, evalScore(t.runId), `teacher ${t.runId}`);
  for (const cell of report.cells) {
    // every run's value is its exported model's score (checked again by eval on one seed of each cell)
    const seed13 = cell.seeds.find((s) => s.seed === 13)!;
    assert.equal(seed13.value, evalScore(seed13.runId), `${JSON.stringify(cell.cell)} seed 13`);
    const values = cell.seeds.map((s) => s.value);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    assert.equal(cell.value.n, 3);
    assert.ok(Math.abs(cell.value.mean - mean) < 1e-12 && Math.abs(cell.value.sd - sd) < 1e-12);
    assert.ok(Math.abs(cell.keptOfTeacher - (100 * mean) / cell.teacherValue) < 1e-9);
  }
  const lrcMse = report.comparisons.find((c) => c.name === 'LRC - MSE')!;
  for (const g of lrcMse.groups) {
    const of = (method: string, seed: number) => report.cells.find((c) => c.cell.task === g.cell.task && c.cell.method === method)!.seeds.find((s) => s.seed === seed)!.value;
    for (const s of g.seeds) assert.ok(Math.abs(s.difference - 100 * (of('LRC', s.seed) - of('MSE', s.seed))) < 1e-9);
  }
  const md = cli(['sweep', 'report', 'tiny'], dir);
  assert.match(md.out, /\| A \| LRC \| accuracy \| 3 of 3 \|/);
});

test('sweep cancel stops the pool after a checkpoint; sweep resume finishes the runs from their checkpoints', { timeout: 600_000 }, async () => {
  const dir = tempDir();
  const file = join(dir, 'long.sweep.json');
  const tiny = JSON.parse(readFileSync(join(root, 'experiments', 'sweeps', 'tiny.sweep.json'), 'utf8'));
  const fixture = (name: string) => join(root, 'test', 'fixtures', 'sweep', name);
  writeFileSync(file, JSON.stringify({
    name: 'long',
    base: { ...tiny.base, optim: { ...tiny.base.optim, epochs: 60 }, data: { task: 'file', train: fixture('a-train.tsv'), dev: fixture('a-dev.tsv'), columns: { text: 'sentence', label: 'label' } } },
    axes: { method: { alone: { kind: 'student' } }, seed: [1, 2] },
  }));
  const pool = spawn(process.execPath, [...TSX, 'sweep', file, '--workers', '2'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  pool.stdout.on('data', (d) => (out += d));
  pool.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => pool.on('exit', (code) => r(code)));
  const runsDir = join(dir, '.lrc', 'runs');
  const checkpointed = () => existsSync(runsDir) && readdirSync(runsDir).filter((id) => existsSync(join(runsDir, id, 'checkpoints', 'last', 'state.json'))).length === 2;
  const deadline = Date.now() + 120_000;
  while (!checkpointed()) {
    assert.ok(Date.now() < deadline, `no checkpoint in time: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const cancel = cli(['sweep', 'cancel', 'long'], dir);
  assert.equal(cancel.code, 0, cancel.err);
  assert.match(cancel.out, /stopping the local pool/);
  assert.equal(await exited, 130, out);

  const stopped = json<Status>(cli(['sweep', 'status', 'long', '--json'], dir));
  assert.deepEqual(stopped.runs.map((r) => r.runStatus), ['stopped', 'stopped'], out);
  assert.equal(stopped.counts.failed, 2);
  const stepsAtStop = stopped.runs.map((r) => JSON.parse(readFileSync(join(runsDir, r.runId, 'run.json'), 'utf8')).progress.step as number);

  const resumed = cli(['sweep', 'resume', 'long'], dir);
  assert.equal(resumed.code, 0, resumed.err + resumed.out);
  stopped.runs.forEach((r, i) => {
    const starts = readFileSync(join(runsDir, r.runId, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"start"')).map((l) => JSON.parse(l));
    assert.equal(starts.length, 2);
    assert.equal(starts[1].resumed, true);
    assert.ok(starts[1].step > 0 && starts[1].step === stepsAtStop[i], `resumed at step ${starts[1].step}, stopped at ${stepsAtStop[i]}`);
  });
  assert.equal(json<Status>(cli(['sweep', 'status', 'long', '--json'], dir)).counts.finished, 2);
});
