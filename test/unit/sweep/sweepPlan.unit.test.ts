// A sweep file becomes its runs: every combination of the axes, teachers once per task, baselines paired,
// paths resolved against the file; and every bad axis, level or field is refused, naming it, before
// anything exists on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { planSweep } from '../../../trainer/sweep/plan';
import { parseSweepFile, readSweepFile } from '../../../trainer/sweep/sweepFile';
import { createSweep, readSweep } from '../../../trainer/sweep/sweepStore';
import { readRun } from '../../../trainer/runs/runStore';
import { tempDir } from '../helpers/tempDir';

const root = join(__dirname, '..', '..', '..');
const TINY = join(root, 'experiments', 'sweeps', 'tiny.sweep.json');

test('the tiny sweep: 2 teachers, 2 tasks x 3 methods x 3 seeds, LRC and MSE of a seed paired, paths from the file', () => {
  const plan = planSweep(readSweepFile(TINY), TINY, 'tiny');
  assert.equal(plan.name, 'tiny');
  assert.deepEqual(plan.teachers.map((t) => t.name), ['tiny A teacher', 'tiny B teacher']);
  assert.equal(plan.runs.length, 18);
  assert.deepEqual(plan.seeds, [42, 7, 13]);
  assert.deepEqual(plan.axes.map((a) => [a.name, a.levels]), [['task', ['A', 'B']], ['method', ['LRC', 'MSE', 'alone']]]);
  const run = plan.runs.find((r) => r.name === 'tiny B MSE seed 7')!;
  assert.deepEqual(run.cell, { task: 'B', method: 'MSE' });
  assert.equal(run.config.kind, 'mse');
  assert.equal(run.config.seed, 7);
  assert.equal(run.teacherKey, 'teacher:task=B');
  assert.equal((run.config.data as { train: string }).train, resolve(root, 'test/fixtures/sweep/b-train.tsv'));
  assert.equal(plan.runs.find((r) => r.key === run.pairKey)?.name, 'tiny B LRC seed 7');
  const alone = plan.runs.find((r) => r.name === 'tiny A alone seed 42')!;
  assert.equal(alone.config.teacher, undefined, 'a student alone learns from no teacher');
  assert.equal(alone.teacherKey, 'teacher:task=A', 'but the report compares it with its task\'s teacher');
  const teacher = plan.teachers[0].config as { kind: string; model: { layers: number }; student?: unknown };
  assert.equal(teacher.kind, 'teacher');
  assert.equal(teacher.model.layers, 2);
  assert.deepEqual(plan.comparisons.map((c) => c.name), ['LRC - MSE', 'LRC - alone']);
});

test('a value axis sets its config field on each run; its level shows as field=value in the names', () => {
  const file = parseSweepFile({ base: { kind: 'student', data: { task: 'demo' } }, axes: { 'stages.epsilon': [0, 0.1], seed: [1, 2] } }, '/x/s.json');
  const plan = planSweep(file, '/x/s.json', 's');
  assert.deepEqual(plan.runs.map((r) => r.name), ['s stages.epsilon=0 seed 1', 's stages.epsilon=0 seed 2', 's stages.epsilon=0.1 seed 1', 's stages.epsilon=0.1 seed 2']);
  assert.deepEqual(plan.runs.map((r) => (r.config.stages as { epsilon: number }).epsilon), [0, 0, 0.1, 0.1]);
});

test('exclude leaves out the cells that match every axis of an entry (a level or a list of levels); seeds stay whole', () => {
  const file = parseSweepFile({
    base: { data: { task: 'demo' } },
    axes: { task: { A: {}, B: {}, C: {} }, method: { LRC: { kind: 'student' }, G: { kind: 'student' } }, seed: [1, 2] },
    exclude: [{ task: ['A', 'C'], method: 'G' }],
  }, '/x/s.json');
  const plan = planSweep(file, '/x/s.json', 's');
  assert.deepEqual([...new Set(plan.runs.map((r) => `${r.cell.task} ${r.cell.method}`))], ['A LRC', 'B LRC', 'B G', 'C LRC']);
  assert.equal(plan.runs.length, 8);
});

test('exclude: a teacher or general run that no planned run learns from is not planned', () => {
  const file = parseSweepFile({
    base: { data: { task: 'demo' }, student: { layers: 1, hidden: 8, heads: 2, intermediate: 16 } },
    axes: { task: { A: {}, B: {} }, method: { LRC: { kind: 'lrc' }, G: { kind: 'lrc', studentInit: '(general)' } }, seed: [1] },
    teacher: { config: { model: { layers: 1, hidden: 8, heads: 2, intermediate: 16 } } },
    general: { per: ['task'], config: { teacher: { path: '/t' }, data: { task: 'corpus', paths: ['/c.txt'] } } },
    exclude: [{ task: 'B' }, { task: 'A', method: 'G' }],
  }, '/x/s.json');
  const plan = planSweep(file, '/x/s.json', 's');
  assert.deepEqual(plan.runs.map((r) => r.name), ['s A LRC seed 1']);
  assert.deepEqual(plan.teachers.map((t) => t.name), ['s A teacher']);
  assert.deepEqual(plan.generals.map((g) => g.name), []);
});

test('a path that starts with ~/ is in the home folder; an absolute one stays; others are beside the sweep file', () => {
  const file = parseSweepFile({ base: { kind: 'student', data: { task: 'demo' } }, axes: { init: ['~/ckpt/m', '/abs/m', 'rel/m'] } }, '/x/s.json');
  const plan = planSweep(file, '/x/s.json', 's');
  assert.deepEqual(plan.runs.map((r) => r.config.init), [join(homedir(), 'ckpt/m'), '/abs/m', '/x/rel/m']);
});

const bad: [string, unknown, RegExp][] = [
  ['an exclude on no axis', { axes: { seed: [1] }, base: { kind: 'student', data: { task: 'demo' } }, exclude: [{ method: 'G' }] }, /s\.json: exclude\.0\.method: no axis 'method' to exclude on/],
  ['an exclude of an unknown level', { axes: { method: { LRC: { kind: 'student' } } }, base: { data: { task: 'demo' } }, exclude: [{ method: ['LRC', 'G'] }] }, /exclude\.0\.method: axis 'method' has no level 'G' \(levels: LRC\)/],
  ['unknown sweep field', { axes: { seed: [1] }, base: { kind: 'student', data: { task: 'demo' } }, teachers: {} }, /s\.json: \(message\): Unrecognized key\(s\) in object: 'teachers'/],
  ['no axis', { axes: {}, base: { kind: 'student', data: { task: 'demo' } } }, /axes: a sweep needs at least one axis/],
  ['a value axis naming no config field', { axes: { 'stages.epsilonn': [0, 0.1] }, base: { kind: 'student', data: { task: 'demo' } } }, /s\.json: run stages\.epsilonn=0: stages: Unrecognized key\(s\) in object: 'epsilonn'/],
  ['a value out of range', { axes: { 'stages.split': [0.5, 2] }, base: { kind: 'student', data: { task: 'demo' } } }, /run stages\.split=2: stages\.split: Number must be less than or equal to 1/],
  ['a level with a bad field', { axes: { method: { LRC: { kind: 'lrc', presett: 'no-soft' } } }, base: { data: { task: 'demo' }, teacher: { path: '/t' } } }, /run method=LRC: \(message\): Unrecognized key\(s\) in object: 'presett'/],
  ['an empty axis', { axes: { seed: [] }, base: { kind: 'student', data: { task: 'demo' } } }, /axes\.seed: an axis needs at least one value/],
  ['seeds that are not whole numbers', { axes: { seed: [1, 2.5] }, base: { kind: 'student', data: { task: 'demo' } } }, /axes\.seed: seeds must be whole numbers/],
  ['a value given twice', { axes: { seed: [1, 1] }, base: { kind: 'student', data: { task: 'demo' } } }, /axes\.seed: the value 1 is given twice/],
  ['no kind', { axes: { seed: [1] }, base: { data: { task: 'demo' } } }, /run  seed=1: no "kind"/],
  ['a comparison on no axis', { axes: { seed: [1] }, base: { kind: 'student', data: { task: 'demo' } }, compare: [{ axis: 'method', a: 'LRC', b: 'MSE' }] }, /compare\.0\.axis: no axis 'method' to compare on/],
  ['a comparison of an unknown level', { axes: { method: { LRC: { kind: 'student' } } }, base: { data: { task: 'demo' } }, compare: [{ axis: 'method', a: 'LRC', b: 'MSE' }] }, /compare\.0\.b: axis 'method' has no level 'MSE' \(levels: LRC\)/],
  ['a teacher per an unknown axis', { axes: { seed: [1] }, base: { kind: 'student', data: { task: 'demo' } }, teacher: { per: ['task'], config: { model: { layers: 1, hidden: 8, heads: 2, intermediate: 16 } } } }, /teacher\.per\.0: no axis 'task'/],
  ['a teacher without a shape', { axes: { method: { LRC: { kind: 'lrc' } } }, base: { data: { task: 'demo' } }, teacher: {} }, /teacher \(one for all runs\): model: a teacher run needs the shape/],
  ['a trained teacher and another named', { axes: { method: { LRC: { kind: 'lrc' } } }, base: { data: { task: 'demo' }, teacher: { path: '/t' } }, teacher: { config: { model: { layers: 1, hidden: 8, heads: 2, intermediate: 16 } } } }, /teacher: the sweep trains its teachers/],
  ['heads not dividing hidden', { axes: { 'student.heads': [4, 3] }, base: { kind: 'student', data: { task: 'demo' }, student: { layers: 1, hidden: 32, heads: 4, intermediate: 64 } } }, /run student\.heads=3: student\.hidden: hidden 32 is not a multiple of heads 3/],
  ['a bad Slurm time', { axes: { seed: [1] }, base: { kind: 'student', data: { task: 'demo' } }, resources: { time: '2 hours' } }, /resources\.time: expected minutes, HH:MM:SS or D-HH:MM:SS/],
];
for (const [what, json, message] of bad) {
  test(`refused before anything is created: ${what}`, () => {
    const dir = tempDir();
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify(json));
    assert.throws(() => planSweep(readSweepFile(file), file, 's'), message);
    assert.deepEqual(readdirSync(dir), ['s.json']);
  });
}

test('a sweep folder holds every run id; its run folders are created and tagged with the sweep', () => {
  const dir = tempDir();
  const runsDir = join(dir, 'runs');
  const plan = planSweep(readSweepFile(TINY), TINY, 'tiny');
  const { dir: sweepDir, record } = createSweep(join(dir, 'sweeps'), { plan, file: TINY, cwd: dir, runsDir, executor: 'local', slurm: { args: [], setup: [] } });
  assert.deepEqual(readSweep(sweepDir), JSON.parse(JSON.stringify(record)));
  assert.equal(readdirSync(runsDir).length, 20);
  const lrc = record.runs.find((r) => r.name === 'tiny A LRC seed 13')!;
  const run = readRun(join(runsDir, lrc.runId));
  assert.equal(run.status, 'queued');
  assert.deepEqual(run.sweep, { id: record.id, cell: { task: 'A', method: 'LRC' }, seed: 13 });
  assert.deepEqual(run.teacher, { runId: record.teachers[0].runId });
  const mse = record.runs.find((r) => r.runId === run.pairedRunId)!;
  assert.equal(mse.name, 'tiny A MSE seed 13');
  assert.equal(mse.pairedRunId, lrc.runId);
  assert.ok(existsSync(join(sweepDir, 'sweep-file.json')));
});
