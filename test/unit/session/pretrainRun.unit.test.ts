// A pretrain run through the session loop on the tiny task: masked-LM steps and evaluations, the
// BertForMaskedLM export, stop + resume giving the same weights as an uninterrupted run, and a teacher
// fine-tuned from the export with a fresh task head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { createRun } from '../../../trainer/runs/runStore';
import { readMetrics } from '../../../trainer/runs/metricsLog';
import { readSafetensors } from '../../../trainer/checkpoint/safetensors';
import { TrainingSession } from '../../../trainer/session/trainingSession';
import { quietEvents, tinyConfig, TINY_TEACHER, writeTinyTask } from './tinyTask';

const PRETRAIN = { kind: 'pretrain', model: TINY_TEACHER, optim: { batchSize: 8, epochs: 3, learningRate: 3e-3, warmupShare: 0.1 }, eval: { everySteps: 12, batchSize: 16 } };

test('a pretrain run learns the masked tokens, exports BertForMaskedLM, and resumes to the same weights', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const whole = createRun(runs, { kind: 'pretrain', config: tinyConfig(files, PRETRAIN) });
  const done = await new TrainingSession(join(runs, whole.id), { events: quietEvents() }).run();
  assert.equal(done.status, 'finished');
  assert.equal(done.best?.metric, 'mlm_accuracy');
  const metrics = readMetrics(join(runs, whole.id, 'metrics.jsonl'));
  const evals = metrics.filter((m) => m.type === 'eval') as unknown as { metrics: Record<string, number> }[];
  assert.ok(evals.length >= 3);
  const [first, last] = [evals[0].metrics, evals[evals.length - 1].metrics];
  assert.ok(last.mlm_loss < first.mlm_loss - 0.3, `dev masked-LM loss ${first.mlm_loss} -> ${last.mlm_loss}`);
  assert.equal(first.mlm_tokens, last.mlm_tokens, 'the same dev positions at every evaluation');
  const progress = metrics.filter((m) => m.type === 'progress') as unknown as { clean: { mlm?: number; hard?: number } }[];
  assert.ok(progress.every((p) => Number.isFinite(p.clean.mlm) && p.clean.hard === undefined), 'progress logs L_mlm');
  const exported = JSON.parse(readFileSync(join(runs, whole.id, 'export', 'config.json'), 'utf8'));
  assert.deepEqual(exported.architectures, ['BertForMaskedLM']);

  // the same run stopped after 5 steps and resumed ends with the same weights (masks, dropout, batches and AdamW follow the step)
  const config = tinyConfig(files, { ...PRETRAIN, logEverySteps: 1, eval: { everySteps: 1000, batchSize: 16 } });
  const wholeAgain = createRun(runs, { kind: 'pretrain', config });
  await new TrainingSession(join(runs, wholeAgain.id), { events: quietEvents() }).run();
  const parted = createRun(runs, { kind: 'pretrain', config });
  const partedDir = join(runs, parted.id);
  const stopAt = (step: number) => step === 5 && appendFileSync(join(partedDir, 'control.jsonl'), JSON.stringify({ type: 'stop' }) + '\n');
  const stopped = await new TrainingSession(partedDir, { events: quietEvents(stopAt) }).run();
  assert.equal(stopped.status, 'stopped');
  const resumed = await new TrainingSession(partedDir, { resume: true, events: quietEvents() }).run();
  assert.equal(resumed.status, 'finished');
  const a = readSafetensors(join(runs, wholeAgain.id, 'export', 'model.safetensors')).tensors;
  const b = readSafetensors(join(partedDir, 'export', 'model.safetensors')).tensors;
  for (const name of ['bert.encoder.layer.1.output.dense.weight', 'cls.predictions.bias', 'cls.predictions.transform.dense.weight']) {
    const [x, y] = [a.get(name)!.values, b.get(name)!.values];
    const diff = Math.max(...Array.from(x, (v, i) => Math.abs(v - y[i])));
    assert.ok(diff < 1e-6, `${name}: max difference ${diff} between the whole and the resumed run`);
  }
});

test('a teacher fine-tuned from a pretrain export gets a fresh task head and the export\'s vocabulary', async () => {
  await useBackend('wasm');
  const dir = tempDir();
  const files = writeTinyTask(dir);
  const runs = join(dir, 'runs');
  const pre = createRun(runs, { kind: 'pretrain', config: tinyConfig(files, PRETRAIN) });
  await new TrainingSession(join(runs, pre.id), { events: quietEvents() }).run();
  const init = join(runs, pre.id, 'export');
  const logs: string[] = [];
  const t = createRun(runs, { kind: 'teacher', config: tinyConfig(files, { kind: 'teacher', init }) });
  const teacher = await new TrainingSession(join(runs, t.id), { events: { ...quietEvents(), log: (_l, m) => logs.push(m) } }).run();
  assert.equal(teacher.status, 'finished');
  assert.ok(teacher.best && teacher.best.value >= 0.9, `teacher accuracy ${teacher.best?.value}`);
  assert.match(logs.join('\n'), /has no bert\.pooler\.dense\.weight, bert\.pooler\.dense\.bias, classifier\.weight, classifier\.bias: initialised fresh/);
  const config = JSON.parse(readFileSync(join(runs, t.id, 'export', 'config.json'), 'utf8'));
  assert.deepEqual([config.architectures, config.num_hidden_layers, config.label2id], [['BertForSequenceClassification'], TINY_TEACHER.layers, { neg: 0, pos: 1 }]);
  assert.equal(readFileSync(join(runs, t.id, 'export', 'vocab.txt'), 'utf8'), readFileSync(join(init, 'vocab.txt'), 'utf8'));
});
