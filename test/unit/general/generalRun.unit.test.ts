// A general-distillation run end to end: through the session (stopped and resumed from checkpoints/last
// with the same weights, bit for bit, as a run that never stopped; a BertModel export; evaluations of the
// mapped layers; heatmap grids without cases), then through the real CLI, `distill-general`, then
// `distill --student-init <that run>`, whose student starts from its export with a fresh classifier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { cli } from '../errors/cliRun';
import { createRun, readRun } from '../../../trainer/runs/runStore';
import { readMetrics } from '../../../trainer/runs/metricsLog';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { readSafetensors } from '../../../trainer/checkpoint/safetensors';
import { modelToHfArrays } from '../../../trainer/checkpoint/hfWeights';
import { readTrainingCheckpoint } from '../../../trainer/checkpoint/trainingCheckpoint';
import { listAnalysisFiles, readAnalysisFile } from '../../../trainer/analysis';
import { buildModels } from '../../../trainer/session/models';
import { parseRunConfig } from '../../../trainer/config/effective';
import { loadTokenizer } from '../../../trainer/tokenizer/loadTokenizer';
import { quietEvents, tinyConfig, TINY_STUDENT, TINY_TEACHER, writeTinyTask } from '../session/tinyTask';

/** A teacher trained on the tiny task (its export has the task's built vocabulary), and a corpus of its texts. */
async function setup(dir: string) {
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', model: TINY_TEACHER, optim: { batchSize: 8, maxSteps: 12 } }) });
  await new TrainingSession(join(runs, t.id), { events: quietEvents() }).run();
  const texts = readFileSync(files.train, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]);
  // documents of 4 sentences each (cut into windows), and the rest as JSON lines
  const docs = texts.slice(0, 48).reduce<string[]>((acc, s, i) => (i % 4 === 0 ? [...acc, s] : [...acc.slice(0, -1), `${acc[acc.length - 1]} ${s}`]), []);
  const txt = join(dir, 'corpus.txt');
  writeFileSync(txt, docs.join('\n\n') + '\n');
  const jsonl = join(dir, 'more.jsonl');
  writeFileSync(jsonl, texts.slice(48).map((s, i) => JSON.stringify({ id: i, body: s })).join('\n') + '\n');
  return { files, runs, teacherId: t.id, txt, jsonl };
}

const generalConfig = (s: Awaited<ReturnType<typeof setup>>, extra: Record<string, unknown> = {}) => ({
  kind: 'general',
  teacher: { runId: s.teacherId },
  data: { task: 'corpus', paths: [s.txt, s.jsonl], text: 'documents', field: 'body', devPassages: 8, chunkBytes: 256 },
  student: TINY_STUDENT,
  maxLength: 16,
  backend: 'wasm',
  seed: 3,
  optim: { batchSize: 6, maxSteps: 10, learningRate: 3e-3 },
  eval: { everySteps: 4, batchSize: 8 },
  logEverySteps: 2,
  ...extra,
});

test('a general run streams its corpus, resumes to the same weights bit for bit, and exports a BertModel folder', async () => {
  await useBackend('wasm');
  const dir = tempDir('lrc-general-');
  const s = await setup(dir);
  const before = tf.memory().numTensors;
  const whole = createRun(s.runs, { kind: 'general', config: generalConfig(s) });
  const done = await new TrainingSession(join(s.runs, whole.id), { events: quietEvents() }).run();
  assert.equal(done.status, 'finished');
  assert.equal(tf.memory().numTensors, before, 'every tensor of the run is freed');

  // stopped after step 5 (mid-pass, mid-document), then resumed
  const parted = createRun(s.runs, { kind: 'general', config: generalConfig(s) });
  const partedDir = join(s.runs, parted.id);
  let session!: TrainingSession;
  session = new TrainingSession(partedDir, { events: quietEvents((step) => step === 6 && session.control({ type: 'stop' })) });
  const stopped = await session.run();
  assert.equal(stopped.status, 'stopped');
  assert.ok(stopped.progress.step > 0 && stopped.progress.step < 10, `stopped at step ${stopped.progress.step}`);
  const feed = readTrainingCheckpoint(join(partedDir, 'checkpoints', 'last')).extra?.feed as { step: number; position: { epoch: number } };
  assert.equal(feed.step, stopped.progress.step);
  const resumed = await new TrainingSession(partedDir, { resume: true, events: quietEvents() }).run();
  assert.equal(resumed.status, 'finished');
  const a = readTrainingCheckpoint(join(s.runs, whole.id, 'checkpoints', 'last'));
  const b = readTrainingCheckpoint(join(partedDir, 'checkpoints', 'last'));
  for (const [name, t] of a.student) assert.deepEqual(Buffer.from((b.student.get(name)!.values as Float32Array).buffer), Buffer.from((t.values as Float32Array).buffer), name);
  for (const [name, t] of a.projections) assert.deepEqual(b.projections.get(name)!.values, t.values, name);
  const lossesOf = (id: string) => readMetrics(join(s.runs, id, 'metrics.jsonl')).filter((m) => m.type === 'progress').map((m) => [m.step, (m.clean as { total: number }).total, (m.perturbed as { total: number }).total]);
  assert.deepEqual(lossesOf(parted.id).filter(([step]) => (step as number) > stopped.progress.step), lossesOf(whole.id).filter(([step]) => (step as number) > stopped.progress.step));

  // what the run wrote: no labels, one stage, evaluations of the mapped layers, grids without cases
  const metrics = readMetrics(join(s.runs, whole.id, 'metrics.jsonl'));
  const start = metrics.find((m) => m.type === 'start')!;
  // a pass: each document's windows of maxLength - 2 word pieces, a passage per JSON line, less the 8 held out
  const tokenizer = await loadTokenizer(join(s.runs, s.teacherId, 'export'));
  const docs = readFileSync(s.txt, 'utf8').trim().split('\n\n');
  const windows = (await tokenizer.tokenizeBatch(docs)).reduce((n, ids) => n + Math.ceil(ids.length / 14), 0);
  const lines = readFileSync(s.jsonl, 'utf8').trim().split('\n').length;
  assert.equal(start.trainExamples, windows + lines - 8);
  for (const p of metrics.filter((m) => m.type === 'progress')) {
    const clean = p.clean as Record<string, unknown>;
    assert.equal(p.stage, 1);
    assert.ok(typeof clean.mid === 'number' && clean.soft === undefined && clean.hard === undefined, 'COS-NCE alone');
  }
  const evals = metrics.filter((m) => m.type === 'eval');
  assert.equal(evals.length, 3); // steps 4, 8, 10
  for (const e of evals) {
    assert.equal(e.primary, 'cosine');
    const m = e.metrics as Record<string, number>;
    assert.ok(Math.abs(m.cosine - (1 - m.angular_distance)) < 1e-9 && Number.isFinite(m.cos_nce));
    assert.ok(e.candidate, 'a general run has no prediction layer to wait for');
  }
  assert.ok(done.best && done.best.metric === 'cosine');
  const analyses = listAnalysisFiles(join(s.runs, whole.id));
  assert.equal(analyses.length, 3);
  const grid = readAnalysisFile(analyses[0].path);
  assert.equal(grid.cases.length, 0);
  assert.equal(grid.counts.examples, 8);
  assert.equal(grid.students.lrc!.grid.angular.length, TINY_STUDENT.layers + 1);

  const exported = join(s.runs, whole.id, 'export');
  const config = JSON.parse(readFileSync(join(exported, 'config.json'), 'utf8'));
  assert.deepEqual(config.architectures, ['BertModel']);
  const names = [...readSafetensors(join(exported, 'model.safetensors')).tensors.keys()];
  assert.ok(names.includes('embeddings.word_embeddings.weight') && names.includes('encoder.layer.0.output.dense.weight') && names.includes('pooler.dense.weight'));
  assert.ok(!names.some((n) => n.startsWith('bert.') || n.startsWith('classifier.')), names.join(', '));
  assert.ok(existsSync(join(exported, 'vocab.txt')));

  // a task distillation starting from it: the encoder is the export's, the classifier fresh
  const lrc = parseRunConfig(tinyConfig(s.files, { kind: 'lrc', teacher: { runId: s.teacherId }, studentInit: exported, student: { ...TINY_STUDENT, layers: 3 } }));
  const models = buildModels(lrc, { vocabSize: config.vocab_size, labelNames: ['neg', 'pos'], kind: 'classification', maxLength: 16 }, join(s.runs, s.teacherId, 'export'));
  const weights = readSafetensors(join(exported, 'model.safetensors')).tensors;
  const student = modelToHfArrays(models.trained);
  assert.equal(models.trained.config.num_hidden_layers, TINY_STUDENT.layers, 'the shape is the folder\'s');
  for (const [name, t] of weights) assert.deepEqual(student.get(`bert.${name}`)!.values, t.values, name);
  assert.ok(models.notes.some((n) => n.includes('student started from')));
  assert.ok(student.has('classifier.weight'));
  models.trained.dispose();
  models.teacher!.dispose();
});

test('the CLI: distill-general, then distill --student-init from that run', async () => {
  await useBackend('wasm');
  const dir = tempDir('lrc-general-cli-');
  const s = await setup(dir);
  const common = ['--runs', s.runs, '--backend', 'wasm', '--plain', '--max-length', '16', '--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32', '--batch-size', '6', '--eval-every', '3', '--threads', '1'];
  const general = cli(['distill-general', '--teacher', s.teacherId, '--corpus', s.txt, s.jsonl, '--corpus-text', 'documents', '--corpus-field', 'body', '--corpus-dev-passages', '8', '--max-steps', '4', ...common], dir);
  assert.equal(general.code, 0, general.stderr);
  const id = /general run (\S+): finished/.exec(general.stdout)?.[1];
  assert.ok(id, general.stdout);
  assert.equal(readRun(join(s.runs, id!)).kind, 'general');
  const task = cli(['distill', '--teacher', s.teacherId, '--student-init', id!, '--task', 'file', '--train', s.files.train, '--dev', s.files.dev, '--text-column', 'sentence', '--max-steps', '4', ...common], dir);
  assert.equal(task.code, 0, task.stderr);
  const lrcId = /lrc run (\S+): finished/.exec(task.stdout)?.[1]!;
  const lrc = readRun(join(s.runs, lrcId));
  assert.equal((lrc.config as { studentInit: string }).studentInit, join(s.runs, id!, 'export'));
  assert.match(task.stdout, /student started from .*export \(1 layers x 16, 2 heads, FFN 32\); its projections start fresh/);
  // train-student --init takes the general run as well: the student alone on the task, from the general student
  const alone = cli(['train-student', '--init', id!, '--task', 'file', '--train', s.files.train, '--dev', s.files.dev, '--text-column', 'sentence', '--max-steps', '3', ...common], dir);
  assert.equal(alone.code, 0, alone.stderr);
  assert.match(alone.stdout, /student run (\S+): finished/);
  assert.match(alone.stdout, /has no bert\.pooler\.dense\.weight|has no classifier\.weight/);
  // export writes the student as a BertModel folder again (float16 here); eval says what a general run has instead
  const out = join(dir, 'student-f16');
  const exp = cli(['export', id!, '--out', out, '--dtype', 'f16', '--runs', s.runs], dir);
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures, ['BertModel']);
  assert.deepEqual([...readSafetensors(join(out, 'model.safetensors')).tensors.keys()].sort(), [...readSafetensors(join(s.runs, id!, 'export', 'model.safetensors')).tensors.keys()].sort());
  const ev = cli(['eval', id!, '--runs', s.runs], dir);
  assert.equal(ev.code, 2);
  assert.match(ev.stderr, /is a general run: it has no task to evaluate on; .* distill --student-init/);
  // bad inputs: one line, exit 2
  const noCorpus = cli(['distill-general', '--teacher', s.teacherId, ...common], dir);
  assert.equal(noCorpus.code, 2);
  assert.match(noCorpus.stderr.trim(), /^lrc-distill: distill-general needs --corpus <file or folder>/);
  const badJson = join(dir, 'bad.jsonl');
  writeFileSync(badJson, '{"body":"the movie"}\n{"text":"no body"}\n');
  const bad = cli(['distill-general', '--teacher', s.teacherId, '--corpus', badJson, '--corpus-field', 'body', ...common], dir);
  assert.equal(bad.code, 2, bad.stderr);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /bad\.jsonl:2: field "body": expected a string, found no such field \(the fields: "text"\)/);
});
