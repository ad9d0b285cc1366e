// The memory estimate of a run (trainer/perf/runMemory.ts) against real models: the parameters exactly
// (a teacher shape, a student with its LRC projections), the bytes roughly (tf.memory() at the peak of a
// real training step, fine-tuning and distillation, on the suite's backend).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { Bert } from '../../../trainer/model/bert';
import { configForShape } from '../../../trainer/session/models';
import { DistillCore, FineTuneCore } from '../../../trainer/session/trainingCore';
import { DEFAULT_DISTILLATION_SETTINGS } from '../../../trainer/train/distillation';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { bertParameters, checkRunMemory, estimateRunMemory, mlmHeadParameters, type BertDims } from '../../../trainer/perf/runMemory';
import { MlmHead } from '../../../trainer/model/mlmHead';
import type { BertConfig, BertModel } from '../../../trainer/model/types';

before(() => useBackend('wasm'));

const dimsOf = (c: BertConfig): BertDims => ({ vocab: c.vocab_size, positions: c.max_position_embeddings, types: c.type_vocab_size, hidden: c.hidden_size, layers: c.num_hidden_layers, heads: c.num_attention_heads, intermediate: c.intermediate_size, labels: c.num_labels });
const counted = (weights: Map<string, tf.Variable>) => [...weights.values()].reduce((s, w) => s + w.size, 0);
const task = { vocabSize: 300, labelNames: ['a', 'b', 'c'], kind: 'classification' as const, maxLength: 64 };
const model = (layers: number, hidden: number, heads: number, ffn: number) => new Bert(configForShape({ layers, hidden, heads, intermediate: ffn, dropout: 0.1 }, task), { seed: 1 });

function batch(b: number, l: number) {
  const ids = Array.from({ length: b * l }, (_, i) => 1 + (i * 7) % 299);
  return { inputs: { inputIds: tf.tensor2d(ids, [b, l], 'int32'), attentionMask: tf.ones([b, l], 'int32') as tf.Tensor2D, tokenTypeIds: tf.zeros([b, l], 'int32') as tf.Tensor2D }, labels: tf.tensor1d(Array.from({ length: b }, (_, i) => i % 3), 'int32') };
}

/** numBytes at the peak of one training step (after a first step has made the optimiser's moments), beside the estimate. */
async function measuredPeak(core: { step: FineTuneCore['step'] }, b: number, l: number): Promise<number> {
  const x = batch(b, l);
  core.step(x, 0, 1); // the moments exist from here on
  const info = await tf.profile(() => { core.step(x, 1, 2); });
  const peak = info.peakBytes;
  tf.dispose([x.inputs.inputIds, x.inputs.attentionMask, x.inputs.tokenTypeIds, x.labels]);
  return peak;
}

test('the parameters of a BERT: exactly those of the real model, for several shapes', () => {
  for (const [layers, hidden, heads, ffn] of [[1, 16, 2, 32], [2, 48, 4, 96], [3, 32, 8, 128]]) {
    const m = model(layers, hidden, heads, ffn);
    assert.equal(bertParameters(dimsOf(m.config)), counted(m.namedWeights()), `${layers} x ${hidden}`);
    m.dispose();
  }
});

test('a pretrain run\'s masked-LM head: its parameters exactly those of the real head (the decoder tied to the word embeddings)', () => {
  const m = model(2, 48, 4, 96);
  const head = new MlmHead(m.config, 1);
  const estimate = estimateRunMemory({ trained: dimsOf(m.config), batchSize: 8, maxLength: 32, mlm: { maskProbability: 0.15 } });
  assert.equal(mlmHeadParameters(dimsOf(m.config)), counted(head.namedWeights()));
  assert.equal(estimate.trainedParameters, counted(m.namedWeights()) + counted(head.namedWeights()));
  head.dispose();
  m.dispose();
});

test('fine-tuning: parameters exact, the estimated bytes within a factor 2 of the measured peak of a step', async () => {
  for (const [layers, hidden, heads, ffn, b, l] of [[2, 64, 4, 256, 8, 32], [1, 128, 2, 512, 4, 64]]) {
    const m = model(layers, hidden, heads, ffn);
    const base = tf.memory().numBytes - counted(m.namedWeights()) * 4;
    const core = new FineTuneCore(m, { ...DEFAULT_OPTIM_CONFIG }, { peak: 1e-4, totalSteps: 10, warmupShare: 0 });
    const estimate = estimateRunMemory({ trained: dimsOf(m.config), batchSize: b, maxLength: l });
    assert.equal(estimate.trainedParameters, counted(m.namedWeights()));
    const peak = (await measuredPeak(core, b, l)) - base;
    const ratio = estimate.backendBytes / peak;
    console.log(`fine-tune ${layers}x${hidden} b${b} l${l}: estimate ${estimate.backendBytes} measured ${peak} (x${ratio.toFixed(2)})`);
    assert.ok(ratio > 0.5 && ratio < 2, `estimate ${estimate.backendBytes} vs measured ${peak}`);
    core.dispose();
    m.dispose();
  }
});

test('distillation: the student with its projections exact, the teacher exact, the bytes within a factor 2', async () => {
  const teacher: BertModel = new Bert(configForShape({ layers: 2, hidden: 64, heads: 4, intermediate: 256, dropout: 0 }, task), { seed: 2, trainable: false } as never);
  const student = model(1, 32, 2, 64);
  const base = tf.memory().numBytes;
  const core = new DistillCore(teacher, student, { ...DEFAULT_DISTILLATION_SETTINGS, totalSteps: 10, seed: 3 });
  const estimate = estimateRunMemory({ trained: dimsOf(student.config), teacher: dimsOf(teacher.config), batchSize: 8, maxLength: 32 });
  const trained = counted(student.namedWeights()) + core.state().projections.size * 32 * 64;
  assert.equal(estimate.trainedParameters, trained);
  assert.equal(estimate.teacherParameters, counted(teacher.namedWeights()));
  const peak = (await measuredPeak(core, 8, 32)) - base + (counted(student.namedWeights()) + counted(teacher.namedWeights())) * 4;
  const ratio = estimate.backendBytes / peak;
  console.log(`distil: estimate ${estimate.backendBytes} measured ${peak} (x${ratio.toFixed(2)})`);
  assert.ok(ratio > 0.5 && ratio < 2, `estimate ${estimate.backendBytes} vs measured ${peak}`);
  core.dispose();
  student.dispose();
  teacher.dispose();
});

test('the issue\'s 80-billion-parameter shape is refused in one line with the estimate and the limit', () => {
  const input = { trained: { vocab: 8000, positions: 512, types: 2, hidden: 8192, layers: 100, heads: 64, intermediate: 32768, labels: 2 }, batchSize: 16, maxLength: 128 };
  const estimate = estimateRunMemory(input);
  assert.ok(estimate.trainedParameters > 80e9 && estimate.trainedParameters < 81e9, String(estimate.trainedParameters));
  assert.throws(() => checkRunMemory(estimate, input, 'auto', 'train-student', { bytes: 8 * 2 ** 30, source: 'MemAvailable in /proc/meminfo' }),
    (e: Error) => /^train-student: needs about \d+ GiB of memory \(80\.\d billion parameters trained: weights \d+ GiB, optimiser \d+ GiB, activations at batch 16 x length 128 [\d.]+ GiB\) but 8\.0 GiB is available \(MemAvailable in \/proc\/meminfo\); give a smaller shape/.test(e.message) && !e.message.includes('\n'));
  // the WASM heap's own limit, below the machine's memory
  const mid = { ...input, trained: { ...input.trained, layers: 12, hidden: 1024, heads: 16, intermediate: 4096 } };
  assert.throws(() => checkRunMemory(estimateRunMemory(mid), mid, 'wasm', 'run x', { bytes: 64 * 2 ** 30, source: 'test' }), /on the WASM backend .* but its heap holds at most 4 GiB/);
  checkRunMemory(estimateRunMemory(mid), mid, 'tensorflow', 'run x', { bytes: 64 * 2 ** 30, source: 'test' });
});
