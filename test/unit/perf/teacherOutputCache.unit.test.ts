// The teacher-output cache against the teacher itself: the mapped layers' hidden states at real tokens
// and the logits, on a miss and on a hit, for an example met again in another batch and another padded
// length; padding rows zero; the byte budget; an LRC step through the cache gives the step's losses; a
// batch mixing cached and new examples runs the teacher on the new ones alone, bit for bit the same.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_LOSS_CONFIG } from '../../../trainer/losses/config';
import { Bert } from '../../../trainer/model/bert';
import type { BertInputs } from '../../../trainer/model/types';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { cachedTeacherModel, TeacherOutputCache } from '../../../trainer/perf/teacherOutputCache';
import { createDistillation, disposeDistillation } from '../../../trainer/train/distillation';
import { distillationStep } from '../../../trainer/train/distillStep';
import { DEFAULT_STAGE_CONFIG } from '../../../trainer/train/stages';
import { useBackend } from '../helpers/backend';
import { tinyConfig } from '../train/tinyTask';

before(() => useBackend('wasm'));

/** Rows of ids (0 = padding), padded to `length`. */
function inputs(rows: number[][], length: number): BertInputs {
  const pad = (r: number[]) => [...r, ...Array(length - r.length).fill(0)];
  return {
    inputIds: tf.tensor2d(rows.map(pad), undefined, 'int32'),
    attentionMask: tf.tensor2d(rows.map((r) => pad(r.map(() => 1))), undefined, 'int32'),
    tokenTypeIds: tf.zeros([rows.length, length], 'int32') as tf.Tensor2D,
  };
}

const disposeInputs = (i: BertInputs) => tf.dispose([i.inputIds, i.attentionMask, i.tokenTypeIds]);

/** Row b of a (B, L, H) tensor's first n positions, as numbers. */
async function rowsOf(t: tf.Tensor3D, b: number, n: number): Promise<number[]> {
  const rows = tf.slice(t, [b, 0, 0], [1, n, t.shape[2]]);
  const values = Array.from(await rows.data());
  rows.dispose();
  return values;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('a miss and a hit give the teacher\'s own hidden states at real tokens, its logits, and zero padding rows', async () => {
  const teacher = new Bert(tinyConfig(3, 32), { seed: 4, trainable: false });
  const cache = new TeacherOutputCache({ layers: [1, 3] });
  const rows = [[1, 6, 7, 8], [1, 9, 10, 11, 12, 13], [1, 14]];
  const batch = inputs(rows, 8);
  const truth = teacher.forward(batch, { training: false });
  for (const pass of ['miss', 'hit']) {
    const out = cache.outputs(teacher, batch);
    assert.equal(out.hiddenStates[0], undefined, `${pass}: layer 0 is not kept`);
    assert.equal(out.hiddenStates[2], undefined, `${pass}: layer 2 is not kept`);
    assert.ok(maxDiff(await out.logits.data(), await truth.logits.data()) < 1e-6, `${pass}: logits`);
    for (const layer of [1, 3]) {
      for (let b = 0; b < rows.length; b++) {
        const n = rows[b].length;
        assert.ok(maxDiff(await rowsOf(out.hiddenStates[layer], b, n), await rowsOf(truth.hiddenStates[layer], b, n)) < 1e-6, `${pass}: layer ${layer}, example ${b}`);
      }
    }
    if (pass === 'hit') {
      const padding = tf.slice(out.hiddenStates[3], [2, 2, 0], [1, 6, 32]);
      assert.ok((await padding.data()).every((v) => v === 0), 'padding rows of a hit are zero');
      padding.dispose();
    }
    tf.dispose([out.logits, ...out.hiddenStates]);
  }
  assert.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses, entries: cache.stats().entries }, { hits: 3, misses: 3, entries: 3 });
  assert.equal(cache.stats().bytes, (4 + 6 + 2) * 2 * 32 * 4 + 3 * 2 * 4, 'bytes: real tokens x 2 layers x 32 values + 2 logits, float32');
  tf.dispose([truth.logits, ...truth.hiddenStates]);
  disposeInputs(batch);
  teacher.dispose();
});

test('an example is found again in another batch padded to another length', async () => {
  const teacher = new Bert(tinyConfig(2, 32), { seed: 5, trainable: false });
  const cache = new TeacherOutputCache({ layers: [2] });
  const first = inputs([[1, 6, 7], [1, 8, 9, 10]], 6);
  tf.dispose(Object.values(cache.outputs(teacher, first)).flat());
  const again = inputs([[1, 8, 9, 10], [1, 6, 7]], 12); // both cached, other order, longer padding
  const out = cache.outputs(teacher, again);
  assert.equal(cache.stats().hits, 2);
  const truth = teacher.forward(again, { training: false });
  assert.ok(maxDiff(await rowsOf(out.hiddenStates[2], 0, 4), await rowsOf(truth.hiddenStates[2], 0, 4)) < 1e-5);
  assert.ok(maxDiff(await rowsOf(out.hiddenStates[2], 1, 3), await rowsOf(truth.hiddenStates[2], 1, 3)) < 1e-5);
  assert.ok(maxDiff(await out.logits.data(), await truth.logits.data()) < 1e-5);
  tf.dispose([out.logits, ...out.hiddenStates, truth.logits, ...truth.hiddenStates]);
  disposeInputs(first);
  disposeInputs(again);
  teacher.dispose();
});

test('beyond maxBytes nothing more is stored, and the outputs are still right', async () => {
  const teacher = new Bert(tinyConfig(1, 16), { seed: 6, trainable: false });
  const cache = new TeacherOutputCache({ layers: [1], maxBytes: 0 });
  const batch = inputs([[1, 6, 7]], 4);
  for (let i = 0; i < 2; i++) tf.dispose(Object.values(cache.outputs(teacher, batch)).flat());
  assert.deepEqual(cache.stats(), { hits: 0, storeHits: 0, misses: 2, entries: 0, bytes: 0 });
  disposeInputs(batch);
  teacher.dispose();
  assert.throws(() => new TeacherOutputCache({ layers: [] }), /layers is empty/);
});

test('an LRC step through the cached teacher gives the losses of a step with the teacher, and leaks nothing', () => {
  const settings = { loss: DEFAULT_LOSS_CONFIG, optim: DEFAULT_OPTIM_CONFIG, stages: { ...DEFAULT_STAGE_CONFIG, split: 0 }, totalSteps: 10, seed: 1 };
  const teacher = new Bert(tinyConfig(2, 32), { seed: 7, trainable: false });
  const losses: number[][] = [];
  for (const cached of [false, true]) {
    const student = new Bert(tinyConfig(1, 16), { seed: 8 });
    const d = createDistillation(teacher, student, settings);
    const cache = new TeacherOutputCache({ layers: d.mapping.map((p) => p.teacher) });
    const run = cached ? { ...d, teacher: cachedTeacherModel(teacher, cache) } : d;
    const batch = { inputs: inputs([[1, 6, 7, 8], [1, 9, 5], [1, 10, 11, 12, 13], [1, 5]], 8), labels: tf.tensor1d([0, 1, 0, 1], 'int32') };
    const counts: number[] = [];
    const totals: number[] = [];
    for (let step = 0; step < 3; step++) {
      const r = distillationStep(run, batch, { step, dropoutSeed: 11 + step });
      totals.push(r.clean.total, r.perturbed!.total);
      counts.push(tf.memory().numTensors);
    }
    assert.equal(counts[1], counts[2], 'live tensors after steps 2 and 3');
    if (cached) assert.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses }, { hits: 8, misses: 4 });
    losses.push(totals);
    disposeInputs(batch.inputs);
    batch.labels.dispose();
    disposeDistillation(d);
    student.dispose();
  }
  assert.ok(maxDiff(losses[1], losses[0]) < 1e-4, `losses with the teacher ${losses[0]} and through the cache ${losses[1]}`);
  teacher.dispose();
});

test('a batch with some examples cached runs the teacher on the others alone, and every row is the teacher\'s own, bit for bit', async () => {
  const teacher = new Bert(tinyConfig(2, 32), { seed: 9, trainable: false });
  const cache = new TeacherOutputCache({ layers: [1, 2] });
  const first = inputs([[1, 6, 7], [1, 8, 9, 10]], 5);
  tf.dispose(Object.values(cache.outputs(teacher, first)).flat());
  const rows = [[1, 11, 12, 13, 14, 15], [1, 8, 9, 10], [1, 16], [1, 6, 7]]; // new, cached, new, cached
  const mixed = inputs(rows, 7);
  const out = cache.outputs(teacher, mixed);
  assert.deepEqual(cache.stats(), { hits: 2, storeHits: 0, misses: 4, entries: 4, bytes: (3 + 4 + 6 + 2) * 2 * 32 * 4 + 4 * 2 * 4 });
  const truth = teacher.forward(mixed, { training: false });
  for (const layer of [1, 2]) {
    for (let b = 0; b < rows.length; b++) {
      assert.deepEqual(await rowsOf(out.hiddenStates[layer], b, rows[b].length), await rowsOf(truth.hiddenStates[layer], b, rows[b].length), `layer ${layer}, example ${b}`);
    }
  }
  assert.deepEqual(Array.from(await out.logits.data()), Array.from(await truth.logits.data()));
  tf.dispose([out.logits, ...out.hiddenStates, truth.logits, ...truth.hiddenStates]);
  disposeInputs(first);
  disposeInputs(mixed);
  teacher.dispose();
});
