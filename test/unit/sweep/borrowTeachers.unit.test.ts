// A sweep that borrows its teachers from another sweep (`"teacher": { "fromSweep": ... }`): the students
// learn from the other sweep's finished teachers of the same levels, nothing is trained twice, and the
// report reads those teachers as its own. A teacher that is missing, unfinished or trained on other data
// is refused before anything is created, naming teacher.fromSweep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planSweep } from '../../../trainer/sweep/plan';
import { parseSweepFile, readSweepFile } from '../../../trainer/sweep/sweepFile';
import { createSweep } from '../../../trainer/sweep/sweepStore';
import { borrowTeachers } from '../../../trainer/sweep/borrowTeachers';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
const TINY = join(root, 'experiments', 'sweeps', 'tiny.sweep.json');
const TSX = ['--import', pathToFileURL(require.resolve('tsx')).href, join(root, 'trainer', 'cli.ts')];
const cli = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [...TSX, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const fixture = (f: string) => join(root, 'test', 'fixtures', 'sweep', f);
const task = (t: 'a' | 'b') => ({ data: { task: 'file', train: fixture(`${t}-train.tsv`), dev: fixture(`${t}-dev.tsv`), columns: { text: 'sentence', label: 'label' } } });

/** A sweep over two student shapes that learns from the tiny sweep's teachers. */
function shapesFile(dir: string, teacher: Record<string, unknown> = { fromSweep: 'tiny' }, b = task('b')): string {
  const file = join(dir, 'shapes.sweep.json');
  writeFileSync(file, JSON.stringify({
    name: 'tiny-shapes',
    base: { backend: 'wasm', maxLength: 16, builtVocabSize: 200, optim: { epochs: 2, batchSize: 8, learningRate: 0.003 }, stages: { split: 0.5, epsilon: 0.1 }, eval: { everySteps: 12, analysis: false } },
    axes: {
      task: { A: task('a'), B: b },
      shape: { '1x16': { student: { layers: 1, hidden: 16, heads: 2, intermediate: 32 } }, '2x16': { student: { layers: 2, hidden: 16, heads: 2, intermediate: 32 } } },
      method: { LRC: { kind: 'lrc' } },
      seed: [42],
    },
    teacher,
  }, null, 1));
  return file;
}

/** The tiny sweep created in `cwd` (.lrc/runs, .lrc/sweeps), with only its teachers trained. */
function tinyWithTeachers(cwd: string, train = true): { sweepDir: string; teacherIds: string[] } {
  const runsDir = join(cwd, '.lrc', 'runs');
  const plan = planSweep(readSweepFile(TINY), TINY, 'tiny');
  const { dir, record } = createSweep(join(cwd, '.lrc', 'sweeps'), { plan, file: TINY, cwd, runsDir, executor: 'local', slurm: { args: [], setup: [] } });
  const teacherIds = record.teachers.map((t) => t.runId);
  if (train) for (const id of teacherIds) {
    const r = cli(['sweep-task', dir, id, '--plain'], cwd);
    assert.equal(r.code, 0, r.err + r.out);
  }
  return { sweepDir: dir, teacherIds };
}

test('a sweep with teacher.fromSweep trains only its students, from the other sweep\'s teachers, and reports them as its teachers', { timeout: 300_000 }, () => {
  const cwd = tempDir();
  const { teacherIds } = tinyWithTeachers(cwd);
  const metricsBefore = teacherIds.map((id) => readFileSync(join(cwd, '.lrc', 'runs', id, 'metrics.jsonl'), 'utf8'));
  const foldersBefore = readdirSync(join(cwd, '.lrc', 'runs')).length;

  const dry = cli(['sweep', shapesFile(cwd), '--dry-run'], cwd);
  assert.equal(dry.code, 0, dry.err + dry.out);
  assert.match(dry.out, new RegExp(`teacher  tiny-shapes A teacher \\(borrowed: ${teacherIds[0]} of sweep \\S+-tiny-\\S+, not trained here\\)`));

  const run = cli(['sweep', shapesFile(cwd), '--executor', 'local', '--workers', '2'], cwd);
  assert.equal(run.code, 0, run.err + run.out);
  assert.match(run.out, /2 teacher\(s\) \(2 borrowed from sweep \S+\), 4 run\(s\)/);
  assert.match(run.out, /sweep \S+: 4 finished, 0 failed, 0 not started/);
  assert.doesNotMatch(run.out, /start tiny-shapes \w teacher/);
  assert.deepEqual(teacherIds.map((id) => readFileSync(join(cwd, '.lrc', 'runs', id, 'metrics.jsonl'), 'utf8')), metricsBefore, 'the borrowed teachers are not trained again');
  assert.equal(readdirSync(join(cwd, '.lrc', 'runs')).length, foldersBefore + 4, 'four new run folders, no new teacher');

  const status = JSON.parse(cli(['sweep', 'status', 'tiny-shapes', '--json'], cwd).out) as { runs: { runId: string; role: string; state: string; detail: string }[] };
  const teachers = status.runs.filter((r) => r.role === 'teacher');
  assert.deepEqual(teachers.map((t) => t.runId), teacherIds);
  assert.ok(teachers.every((t) => t.state === 'finished' && /borrowed from sweep/.test(t.detail)), JSON.stringify(teachers));
  for (const r of status.runs.filter((x) => x.role === 'run')) {
    const config = JSON.parse(readFileSync(join(cwd, '.lrc', 'runs', r.runId, 'config.json'), 'utf8'));
    assert.ok(teacherIds.includes(config.teacher.runId), `${r.runId} learns from a borrowed teacher`);
  }
  const report = JSON.parse(cli(['sweep', 'report', 'tiny-shapes', '--format', 'json'], cwd).out) as { teachers: { runId: string; value: number }[]; cells: { teacherValue: number }[] };
  assert.deepEqual(report.teachers.map((t) => t.runId).sort(), [...teacherIds].sort());
  assert.ok(report.cells.every((c) => Number.isFinite(c.teacherValue)));
});

test('teacher.fromSweep refused, naming the field: an unknown sweep, unfinished teachers, other data, a config beside it', () => {
  const cwd = tempDir();
  const runsDir = join(cwd, '.lrc', 'runs');
  const sweepsDir = join(cwd, '.lrc', 'sweeps');
  const borrow = (file: string) => borrowTeachers(planSweep(readSweepFile(file), file, 'tiny-shapes'), sweepsDir, runsDir, file);
  assert.throws(() => borrow(shapesFile(cwd)), (e: Error) => /teacher\.fromSweep: no sweep 'tiny'/.test(e.message));
  tinyWithTeachers(cwd, false);
  assert.throws(() => borrow(shapesFile(cwd)), (e: Error) => /teacher\.fromSweep: the task A teacher of sweep \S+ \(\S+\) is queued, not finished: finish it first \(lrc-distill sweep resume tiny\)/.test(e.message));
  assert.throws(() => borrowTeachers(planSweep(readSweepFile(shapesFile(cwd)), 'f', 's'), sweepsDir, join(cwd, 'elsewhere'), 'f'), /keeps its runs in .* not in this runs folder/);
  const other = tempDir();
  tinyWithTeachers(other);
  const otherFile = shapesFile(other, { fromSweep: 'tiny' }, task('a'));
  assert.throws(() => borrowTeachers(planSweep(readSweepFile(otherFile), otherFile, 's'), join(other, '.lrc', 'sweeps'), join(other, '.lrc', 'runs'), otherFile), /teacher\.fromSweep: the task B teacher of sweep \S+ \(\S+\) was trained on other data/);
  assert.throws(() => parseSweepFile({ axes: { seed: [1] }, teacher: { fromSweep: 'tiny', config: { model: { layers: 2 } } } }, 'x.json'), /config.*a teacher borrowed with fromSweep is not trained here: give no config/);
});
