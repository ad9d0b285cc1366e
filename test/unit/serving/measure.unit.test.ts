// A real measurement of a tiny exported model: the record's figures are consistent (warm-up left out,
// p95 by nearest rank within [median, max]), parameters and sizes are those of the files `export` writes
// in f32 and f16, serving.json is written whole and read back, and a damaged one is one line naming the field.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { Bert } from '../../../trainer/model/bert';
import { measureModel } from '../../../trainer/serving/measure';
import { readServingCost, writeServingCost } from '../../../trainer/serving/servingRecord';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { useBackend } from '../helpers/backend';
import { tempDir } from '../helpers/tempDir';
import { SMALL_VOCAB } from '../tokenizer/smallVocab';

before(() => useBackend('wasm'));

const TINY = { vocab_size: SMALL_VOCAB.length, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 12, max_position_embeddings: 32, type_vocab_size: 2 };

test('a tiny exported model measured: latency, throughput, parameters, f32 and f16 sizes, serving.json', async () => {
  const dir = tempDir('lrc-serving-');
  const model = Bert.fromConfigJson(TINY, { seed: 1 });
  const f32 = join(dir, 'f32');
  const f16 = join(dir, 'f16');
  await writeHfFolder(model, f32, { vocab: new Vocabulary(SMALL_VOCAB, 'small') });
  await writeHfFolder(model, f16, { vocab: new Vocabulary(SMALL_VOCAB, 'small'), dtype: 'F16' });
  const expectedParameters = [...model.namedWeights().values()].reduce((a, v) => a + v.size, 0);
  model.dispose();

  const settings = { batch: 4, latency: { warmup: 3, min: 10, max: 10, budgetMs: 1e9 }, throughput: { warmup: 1, min: 4, max: 4, budgetMs: 1e9 } };
  const started = Date.now();
  const cost = await measureModel(f32, { runId: 'r1', kind: 'student', maxLength: 64, trigger: 'measure', beside: null, backend: { name: 'wasm', threads: 1, version: null } }, settings);
  assert.ok(Date.now() - started < 30_000, 'a tiny model is measured in seconds');
  // max length 64 is more than the model's 32 positions: measured at 32
  assert.equal(cost.maxLength, 32);
  assert.deepEqual([cost.latency.warmup, cost.latency.repetitions, cost.throughput.warmup, cost.throughput.repetitions, cost.throughput.batch], [3, 10, 1, 4, 4]);
  const l = cost.latency;
  assert.ok(l.minMs > 0 && l.minMs <= l.medianMs && l.medianMs <= l.p95Ms && l.p95Ms <= l.maxMs, JSON.stringify(l));
  assert.equal(l.p95Method, 'nearest-rank');
  // 10 timed passes: p95 is the ceil(9.5) = 10th smallest, the largest
  assert.equal(l.p95Ms, l.maxMs);
  assert.ok(Math.abs(cost.throughput.examplesPerSecond - (1000 * 4) / cost.throughput.medianBatchMs) < 1e-9);
  assert.equal(cost.parameters.total, expectedParameters);
  assert.equal(cost.parameters.word, SMALL_VOCAB.length * 8);
  assert.equal(cost.size.f32Bytes, statSync(join(f32, 'model.safetensors')).size);
  assert.equal(cost.size.f16Bytes, statSync(join(f16, 'model.safetensors')).size);
  assert.ok(cost.size.f16Bytes < cost.size.f32Bytes);
  assert.equal(cost.quiet, true);
  assert.equal(cost.beside, null);

  const run = join(dir, 'run');
  writeServingCost(run, cost);
  assert.deepEqual(readdirSync(run), ['serving.json'], 'written through a temporary name, nothing else left');
  assert.deepEqual(readServingCost(run), cost);
  assert.equal(readServingCost(join(dir, 'none')), undefined);

  const bad = JSON.parse(readFileSync(join(run, 'serving.json'), 'utf8'));
  bad.latency.p95Method = 'interpolated';
  writeFileSync(join(run, 'serving.json'), JSON.stringify(bad));
  assert.throws(() => readServingCost(run), (e: Error) => e.message.includes('serving.json: latency.p95Method: expected "nearest-rank", found "interpolated"; lrc-distill measure <run> writes it again') && !e.message.includes('\n'));
  writeFileSync(join(run, 'serving.json'), '{');
  assert.throws(() => readServingCost(run), /serving\.json: expected a serving cost as JSON/);
});
