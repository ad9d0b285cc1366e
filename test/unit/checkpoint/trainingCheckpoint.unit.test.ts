import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assignHfArrays, modelToHfArrays } from '../../../trainer/checkpoint/hfWeights';
import { assertJsonSafe, assignArraysToVariables, readNamedTensorsState, variablesToArrays, writeNamedTensorsState } from '../../../trainer/checkpoint/namedState';
import { readTrainingCheckpoint, writeTrainingCheckpoint, type TrainingCheckpoint } from '../../../trainer/checkpoint/trainingCheckpoint';
import { Projections } from '../../../trainer/losses/projections';
import { Bert } from '../../../trainer/model/bert';
import { AdamW } from '../../../trainer/optim/adamw';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';

before(() => useBackend('wasm'));

const TINY = { vocab_size: 20, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 12, max_position_embeddings: 8 };
const ADAMW = { weightDecay: 0.01, noDecay: ['bias', 'LayerNorm'], beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** A student, projections and an AdamW that has taken one step, so that every part has state. */
function trainedParts(seed: number) {
  const student = Bert.fromConfigJson(TINY, { seed });
  const projections = new Projections({ count: 1, studentHidden: 8, teacherHidden: 16, seed });
  const params = new Map([...student.namedWeights(), ...projections.namedWeights()]);
  const optimizer = new AdamW(params, ADAMW);
  const grads: tf.NamedTensorMap = {};
  for (const v of params.values()) grads[v.name] = tf.onesLike(v);
  optimizer.applyGradients(grads, 1e-3);
  tf.dispose(Object.values(grads));
  return { student, projections, optimizer };
}

test('round trip: weights, projections, AdamW moments and counters, step, stage, loss weights, random state, config', async () => {
  const { student, projections, optimizer } = trainedParts(1);
  const random = new SeededRandom(42);
  random.next();
  const checkpoint: TrainingCheckpoint = {
    step: 1,
    stage: 2,
    lossWeights: { alpha: 1, beta: 1, gamma: 3 },
    random: { batches: random.getState() },
    config: { task: 'SST-2', lr: 5e-5, layers: [3, 6, 9, 12] },
    student: modelToHfArrays(student),
    projections: variablesToArrays(projections.namedWeights()),
    optimizer: optimizer.exportState(),
    extra: { epoch: 0, batchInEpoch: 1 },
  };
  const dir = join(mkdtempSync(join(tmpdir(), 'lrc-ckpt-')), 'step-1');
  await writeTrainingCheckpoint(dir, checkpoint);
  assert.deepEqual(readdirSync(dir).sort(), ['state.json', 'tensors.safetensors']);
  const back = readTrainingCheckpoint(dir);
  assert.deepEqual([back.step, back.stage, back.lossWeights, back.config, back.extra], [1, 2, { alpha: 1, beta: 1, gamma: 3 }, checkpoint.config, { epoch: 0, batchInEpoch: 1 }]);
  assert.equal(SeededRandom.fromState(back.random.batches).next(), random.next());

  // Restore into fresh parts (other seeds) and compare with the originals.
  const fresh = trainedParts(7);
  assignHfArrays(fresh.student, back.student, dir);
  assignArraysToVariables(fresh.projections.namedWeights(), back.projections, dir);
  fresh.optimizer.importState(back.optimizer);
  for (const [name, v] of student.namedWeights()) assert.deepEqual(Array.from(fresh.student.namedWeights().get(name)!.dataSync()), Array.from(v.dataSync()), name);
  assert.deepEqual(Array.from(fresh.projections.weights[0].dataSync()), Array.from(projections.weights[0].dataSync()));
  const a = optimizer.exportState();
  const b = fresh.optimizer.exportState();
  assert.equal(b.step, a.step);
  assert.deepEqual(Object.keys(b.params).sort(), Object.keys(a.params).sort());
  for (const name of Object.keys(a.params)) {
    assert.deepEqual(Array.from(b.params[name].m), Array.from(a.params[name].m), name);
    assert.deepEqual(Array.from(b.params[name].v), Array.from(a.params[name].v), name);
    assert.equal(b.params[name].step, a.params[name].step);
  }
  for (const parts of [{ student, projections }, fresh]) {
    parts.student.dispose();
    parts.projections.weights.forEach((w) => w.dispose());
  }
});

test('the generic named-tensors + JSON state: round trip, format check, JSON-unsafe values refused by path', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'lrc-state-')), 'state');
  await writeNamedTensorsState(dir, 'my-format', new Map([['x', { shape: [2], values: Float32Array.from([1, 2]) }]]), { note: 'hi', n: [1, 2] });
  const back = readNamedTensorsState(dir, 'my-format');
  assert.deepEqual(back.state, { note: 'hi', n: [1, 2] });
  assert.deepEqual(Array.from(back.tensors.get('x')!.values), [1, 2]);
  assert.throws(() => readNamedTensorsState(dir, 'other'), /state.json: format: expected "other", found "my-format"/);
  assert.throws(() => assertJsonSafe({ a: { b: [1, NaN] } }), /state.a.b\[1\] is NaN, which JSON cannot hold/);
  assert.throws(() => assertJsonSafe({ m: new Float32Array(2) }), /state.m is a typed array \(put it in the tensors\)/);
  assert.throws(() => assertJsonSafe({ u: undefined }), /state.u is undefined/);
  await assert.rejects(writeNamedTensorsState(join(dir, '..', 'nan'), 'f', new Map(), { loss: Infinity }), /state.loss is Infinity/);
  assert.ok(!existsSync(join(dir, '..', 'nan')));
});

test('broken training checkpoints are refused with the reason', async () => {
  const root = mkdtempSync(join(tmpdir(), 'lrc-bad-'));
  assert.throws(() => readTrainingCheckpoint(join(root, 'none')), /none: expected a checkpoint folder, found no folder at this path/);
  const base: TrainingCheckpoint = {
    step: 3, stage: 1, lossWeights: { alpha: 1 }, random: { r: 5 }, config: {},
    student: new Map(), projections: new Map([['projection.0.weight', { shape: [2, 2], values: new Float32Array(4) }]]),
    optimizer: { step: 3, params: { 'projection.0.weight': { step: 3, shape: [2, 2], m: new Float32Array(4), v: new Float32Array(4) } } },
  };
  await assert.rejects(writeTrainingCheckpoint(join(root, 'neg'), { ...base, step: -1 }), /step must be an integer >= 0, got -1/);
  await assert.rejects(writeTrainingCheckpoint(join(root, 'nan'), { ...base, lossWeights: { alpha: NaN } }), /state.lossWeights.alpha is NaN/);

  const dir = join(root, 'ok');
  await writeTrainingCheckpoint(dir, base);
  const statePath = join(dir, 'state.json');
  const good = readFileSync(statePath, 'utf8');
  const edit = (fn: (s: { version: number; state: Record<string, any> }) => void) => {
    const s = JSON.parse(good);
    fn(s);
    writeFileSync(statePath, JSON.stringify(s));
  };
  edit((s) => (s.version = 9));
  assert.throws(() => readTrainingCheckpoint(dir), /version: expected version 1, found 9/);
  edit((s) => (s.state.step = 'three'));
  assert.throws(() => readTrainingCheckpoint(dir), /step must be an integer >= 0, got "three"/);
  edit((s) => (s.state.optimizer.params['projection.0.weight'].shape = [4]));
  assert.throws(() => readTrainingCheckpoint(dir), /optimizer\/projection.0.weight\/m: expected shape \[4\] \(as state.json says\), found \[2,2\]/);
  edit((s) => (s.state.optimizer.params.other = { step: 1, shape: [1] }));
  assert.throws(() => readTrainingCheckpoint(dir), /optimizer\/other: expected the optimiser moments optimizer\/other\/m and \/v, found none/);
  edit((s) => delete s.state.optimizer.params['projection.0.weight']);
  assert.throws(() => readTrainingCheckpoint(dir), /expected an entry in state.json for each optimiser tensor, found none for projection.0.weight\/m, projection.0.weight\/v/);
  writeFileSync(statePath, good);
  writeFileSync(join(dir, 'tensors.safetensors'), new Uint8Array(12));
  assert.throws(() => readTrainingCheckpoint(dir), /tensors.safetensors: header: expected a safetensors header of UTF-8 JSON/);
});
