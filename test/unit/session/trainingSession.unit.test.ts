// A run through the session loop on a tiny task: teacher, LRC student with stages and perturbation,
// controls from control.jsonl, stop and resume, bad configs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { createRun, readRun } from '../../../trainer/runs/runStore';
import { readMetrics } from '../../../trainer/runs/metricsLog';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { loadHfModel } from '../../../trainer/checkpoint/hfFolder';
import { listAnalysisFiles, readAnalysisFile } from '../../../trainer/analysis';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from './tinyTask';

const quiet = quietEvents;

async function trainedTeacher(dir: string) {
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER }) });
  const record = await new TrainingSession(join(runs, t.id), { events: quiet() }).run();
  return { files, runs, teacher: record };
}

test('a teacher run trains, evaluates, checkpoints and exports a Hugging Face folder', async () => {
  await useBackend('wasm');
  const { runs, teacher } = await trainedTeacher(tempDir());
  const dir = join(runs, teacher.id);
  assert.equal(teacher.status, 'finished');
  assert.equal(teacher.progress.step, teacher.progress.totalSteps);
  assert.ok(teacher.best && teacher.best.value >= 0.9, `teacher accuracy ${teacher.best?.value}`);
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt']) assert.ok(existsSync(join(dir, 'export', f)), `export/${f}`);
  assert.ok(existsSync(join(dir, 'checkpoints', 'last', 'state.json')));
  const types = new Set(readMetrics(join(dir, 'metrics.jsonl')).map((m) => m.type));
  for (const t of ['start', 'progress', 'eval', 'checkpoint', 'status', 'finished']) assert.ok(types.has(t), `metrics has ${t}`);
  const { model } = loadHfModel(join(dir, 'export'), { trainable: false });
  assert.equal(model.config.num_labels, 2);
  assert.deepEqual(model.config.id2label, { 0: 'neg', 1: 'pos' });
  model.dispose();
});

test('an LRC run switches stages at the split, logs clean and perturbed losses, and leaks no tensors', async () => {
  await useBackend('wasm');
  const { files, runs, teacher } = await trainedTeacher(tempDir());
  const before = tf.memory().numTensors;
  const config = tinyConfig(files, { kind: 'lrc', teacher: { runId: teacher.id }, student: TINY_STUDENT, stages: { split: 0.5 } });
  const r = createRun(runs, { kind: 'lrc', config });
  const done = await new TrainingSession(join(runs, r.id), { events: quiet() }).run();
  assert.equal(done.status, 'finished');
  assert.equal(tf.memory().numTensors, before, 'every tensor of the run is freed');
  const progress = readMetrics(join(runs, r.id, 'metrics.jsonl')).filter((m) => m.type === 'progress') as unknown as { step: number; stage: number; clean: { soft?: number; hard?: number; mid?: number }; perturbed?: { total: number } }[];
  const split = Math.round(0.5 * done.progress.totalSteps);
  for (const p of progress) {
    assert.equal(p.stage, p.step <= split ? 1 : 2, `stage of step ${p.step}`);
    assert.ok(p.clean.mid !== undefined, 'L_mid in both stages');
    assert.equal(p.clean.soft !== undefined, p.stage === 2, `L_soft only in stage 2 (step ${p.step})`);
    assert.equal(p.clean.hard !== undefined, p.stage === 2, `L_hard only in stage 2 (step ${p.step})`);
    assert.ok(p.perturbed && Number.isFinite(p.perturbed.total), 'the perturbed loss is logged');
  }
  // evaluations of stage 1 (untrained classifier) are logged but cannot be the best model
  const evalRecords = readMetrics(join(runs, r.id, 'metrics.jsonl')).filter((m) => m.type === 'eval') as unknown as { step: number; candidate: boolean; best: boolean }[];
  assert.ok(evalRecords.some((e) => e.step <= split), 'the test has an evaluation in stage 1');
  for (const e of evalRecords) assert.equal(e.candidate, e.step > split, `candidate at step ${e.step}`);
  assert.ok(done.best && done.best.step > split, `best step ${done.best?.step} after the split ${split}`);
  // an analysis file per evaluation, with the run's own student
  const analyses = listAnalysisFiles(join(runs, r.id));
  const evals = readMetrics(join(runs, r.id, 'metrics.jsonl')).filter((m) => m.type === 'eval').map((m) => m.step);
  assert.deepEqual(analyses.map((f) => f.step), evals);
  const last = readAnalysisFile(analyses[analyses.length - 1].path);
  assert.equal(last.run, 'lrc');
  assert.equal(last.counts.cases, 32);
  const grid = last.students.lrc!.grid.angular;
  assert.equal(grid.length, TINY_STUDENT.layers + 1);
  assert.equal(grid[0]!.length, TINY_TEACHER.layers + 1);
});

test('control.jsonl requests reach the loop: next stage, weights, pause/resume, stop; resume finishes the run', async () => {
  await useBackend('wasm');
  const { files, runs, teacher } = await trainedTeacher(tempDir());
  const config = tinyConfig(files, { kind: 'lrc', teacher: { runId: teacher.id }, student: TINY_STUDENT, logEverySteps: 1 });
  const r = createRun(runs, { kind: 'lrc', config });
  const dir = join(runs, r.id);
  const control = (req: object) => appendFileSync(join(dir, 'control.jsonl'), JSON.stringify(req) + '\n');
  let paused = false;
  const session = new TrainingSession(dir, {
    events: quiet((step) => {
      if (step === 3) {
        control({ type: 'nextStage' });
        control({ type: 'setWeights', alpha: 2, gamma: 5, epsilon: 0.5 });
        control({ type: 'pause' });
        paused = true;
      }
      if (step === 7) control({ type: 'stop' });
    }),
  });
  const running = session.run();
  // while paused, run.json says so; then resume from outside
  while (!paused) await new Promise((res) => setTimeout(res, 20));
  for (let i = 0; i < 100 && readRun(dir).status !== 'paused'; i++) await new Promise((res) => setTimeout(res, 20));
  assert.equal(readRun(dir).status, 'paused');
  control({ type: 'resume' });
  const stopped = await running;
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.progress.step, 7);
  const metrics = readMetrics(join(dir, 'metrics.jsonl'));
  const controls = metrics.filter((m) => m.type === 'control').map((m) => (m.request as { type: string }).type);
  assert.deepEqual(controls, ['nextStage', 'setWeights', 'pause', 'resume', 'stop']);
  const after = metrics.filter((m) => m.type === 'progress' && m.step > 3) as unknown as { stage: number; weights: { alpha: number; gamma: number; epsilon: number } }[];
  assert.ok(after.length > 0);
  for (const p of after) {
    assert.equal(p.stage, 2);
    assert.deepEqual([p.weights.alpha, p.weights.gamma, p.weights.epsilon], [2, 5, 0.5]);
  }
  // resume goes on from the checkpoint at step 7 and finishes
  const resumed = await new TrainingSession(dir, { resume: true, events: quiet() }).run();
  assert.equal(resumed.status, 'finished');
  assert.equal(resumed.progress.step, resumed.progress.totalSteps);
  const firstProgressAfterResume = readMetrics(join(dir, 'metrics.jsonl')).filter((m) => m.type === 'start').pop()!;
  assert.equal(firstProgressAfterResume.step, 7);
  assert.equal(firstProgressAfterResume.resumed, true);
});

test('the same seed gives the same losses', async () => {
  await useBackend('wasm');
  const { files, runs, teacher } = await trainedTeacher(tempDir());
  const losses = async () => {
    const r = createRun(runs, { kind: 'lrc', config: tinyConfig(files, { kind: 'lrc', teacher: { runId: teacher.id }, student: TINY_STUDENT, optim: { batchSize: 8, maxSteps: 6 } }) });
    await new TrainingSession(join(runs, r.id), { events: quiet() }).run();
    return readMetrics(join(runs, r.id, 'metrics.jsonl')).filter((m) => m.type === 'progress').map((m) => (m.clean as { total: number }).total);
  };
  const a = await losses();
  assert.ok(a.length > 0);
  assert.deepEqual(await losses(), a);
});

test('bad configs and data fail clearly and leave the run folder readable', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const bad = createRun(runs, { kind: 'lrc', config: tinyConfig(files, { kind: 'lrc', student: TINY_STUDENT }) });
  await assert.rejects(new TrainingSession(join(runs, bad.id), { events: quiet() }).run(), /teacher: a lrc run needs a teacher/);
  appendFileSync(files.train, 'only one column\n');
  const broken = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER }) });
  await assert.rejects(new TrainingSession(join(runs, broken.id), { events: quiet() }).run(), /train\.tsv:98/);
  const record = readRun(join(runs, broken.id));
  assert.equal(record.status, 'failed');
  assert.match(record.error!.message, /train\.tsv:98/);
  assert.deepEqual(readdirSync(runs).filter((n) => n.startsWith('.')), [], 'no temporary folders left');
});

test('the serving cost is measured after the export and before the run is finished; a stop that came during the export skips it', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const run = async (stopDuringExport: boolean) => {
    const r = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER }) });
    const runDir = join(runs, r.id);
    const seen: string[] = [];
    let session: TrainingSession | undefined = undefined;
    const events = { ...quiet(), log: (_level: string, message: string) => {
      if (stopDuringExport && message.startsWith('exported the')) session!.control({ type: 'stop' });
      if (message.startsWith('a stop came at the end')) seen.push('skipped');
    } };
    session = new TrainingSession(runDir, { events, afterExport: async () => {
      seen.push(`measured: export ${existsSync(join(runDir, 'export', 'config.json')) ? 'there' : 'missing'}, run ${readRun(runDir).status}`);
    } });
    const done = await session.run();
    return { done, seen };
  };
  const plain = await run(false);
  assert.equal(plain.done.status, 'finished');
  assert.deepEqual(plain.seen, ['measured: export there, run running']);
  const stopped = await run(true);
  assert.equal(stopped.done.status, 'finished', 'the run has everything it trained: finished, its export kept');
  assert.deepEqual(stopped.seen, ['skipped']);
});

test('a stop during an evaluation ends it at the next batch: the run stops at that step, and the evaluation it owes is made first on resume', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir, 96, 32);
  const runs = join(dir, 'runs');
  // 32 dev examples in batches of 1: the evaluation at step 4 takes 32 batches, and the stop comes before the first
  const r = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, logEverySteps: 1, eval: { everySteps: 4, batchSize: 1, analysis: false }, optim: { batchSize: 16, epochs: 2 } }) });
  const runDir = join(runs, r.id);
  const logs: string[] = [];
  let session: TrainingSession | undefined = undefined;
  const events = { ...quiet(), log: (_l: string, m: string) => logs.push(m), progress: (p: { step: number }) => { if (p.step === 4) session!.control({ type: 'stop' }); } };
  session = new TrainingSession(runDir, { events });
  const stopped = await session.run();
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.progress.step, 4);
  const evalsBefore = readMetrics(join(runDir, 'metrics.jsonl')).filter((m) => m.type === 'eval');
  assert.equal(evalsBefore.length, 0, 'the evaluation of step 4 was cut short, not finished through 32 batches');
  assert.ok(logs.some((m) => m.startsWith('a stop came during the evaluation at step 4')), logs.join('\n'));

  const resumed = await new TrainingSession(runDir, { resume: true, events: quiet() }).run();
  assert.equal(resumed.status, 'finished');
  const evalSteps = readMetrics(join(runDir, 'metrics.jsonl')).filter((m) => m.type === 'eval').map((m) => m.step);
  assert.equal(evalSteps[0], 4, 'the owed evaluation first');
  assert.ok(evalSteps.slice(1).every((s) => s % 4 === 0 || s === resumed.progress.totalSteps) && evalSteps.slice(1)[0] === 8, `then the run goes on: ${evalSteps}`);
  assert.equal(evalSteps[evalSteps.length - 1], resumed.progress.totalSteps);
});

test('a stop during the last evaluation: the run stops at its last step and, resumed, makes that evaluation and finishes', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir, 32, 32);
  const runs = join(dir, 'runs');
  const r = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, logEverySteps: 1, eval: { everySteps: 100, batchSize: 1, analysis: false }, optim: { batchSize: 16, epochs: 2 } }) });
  const runDir = join(runs, r.id);
  let session: TrainingSession | undefined = undefined;
  const events = { ...quiet(), progress: (p: { step: number; totalSteps: number }) => { if (p.step === p.totalSteps) session!.control({ type: 'stop' }); } };
  session = new TrainingSession(runDir, { events });
  const stopped = await session.run();
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.progress.step, stopped.progress.totalSteps);
  assert.equal(readMetrics(join(runDir, 'metrics.jsonl')).filter((m) => m.type === 'eval').length, 0);
  assert.ok(!existsSync(join(runDir, 'export')), 'nothing exported before the evaluation that chooses it');
  const resumed = await new TrainingSession(runDir, { resume: true, events: quiet() }).run();
  assert.equal(resumed.status, 'finished');
  assert.deepEqual(readMetrics(join(runDir, 'metrics.jsonl')).filter((m) => m.type === 'eval').map((m) => m.step), [resumed.progress.totalSteps]);
  assert.ok(existsSync(join(runDir, 'export', 'model.safetensors')));
});

test('a stop during the layer analysis ends it at the next batch: no analysis file for that step, the run stopped', async () => {
  await useBackend('wasm');
  const { files, runs, teacher } = await trainedTeacher(tempDir());
  const r = createRun(runs, { kind: 'lrc', config: tinyConfig(files, { kind: 'lrc', teacher: { runId: teacher.id }, student: TINY_STUDENT, eval: { everySteps: 4, batchSize: 1, analysis: true }, optim: { batchSize: 16, epochs: 3 } }) });
  const runDir = join(runs, r.id);
  const logs: string[] = [];
  let session: TrainingSession | undefined = undefined;
  const events = { ...quiet(), log: (_l: string, m: string) => logs.push(m), evaluation: (e: { step: number }) => { if (e.step === 4) session!.control({ type: 'stop' }); } };
  session = new TrainingSession(runDir, { events });
  const stopped = await session.run();
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.progress.step, 4);
  assert.ok(logs.some((m) => m.startsWith('a stop came during the analysis at step 4')), logs.join('\n'));
  assert.deepEqual(listAnalysisFiles(runDir), [], 'the analysis of step 4 was cut short');
});
