import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { batchIndices, epochBatches, epochOrder, makeBatch, tokenizeDataset } from '../../../trainer/data/batches';
import { disposeBertInputs, toBertInputs, toLabelTensor } from '../../../trainer/data/tensors';
import type { TextDataset } from '../../../trainer/data/types';
import { specFromVocabTxt } from '../../../trainer/tokenizer/loadTokenizer';
import { TypeScriptBertTokenizer } from '../../../trainer/tokenizer/typescriptTokenizer';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';
import { writeSmallVocabFolder } from '../tokenizer/smallVocab';

before(() => useBackend('wasm'));

const tokenizer = new TypeScriptBertTokenizer(specFromVocabTxt(join(writeSmallVocabFolder(), 'vocab.txt')));
// Small vocab ids: [PAD] 0 [UNK] 1 [CLS] 2 [SEP] 3, hello 5, world 6, ',' 7, '!' 8, una 9 ##ff 10 ##able 11.
const pairs: TextDataset = {
  name: 'pairs', kind: 'classification', labelNames: ['no', 'yes'], source: 'test',
  examples: [
    { id: 'a', text: 'hello world', textPair: 'unaffable', label: 1 },
    { id: 'b', text: 'hello', textPair: 'world!', label: 0 },
    { id: 'c', text: 'hello, hello, hello, hello', textPair: 'world', label: 1 },
  ],
};

test('tokenizeDataset: [CLS] A [SEP] B [SEP], full length before truncation, truncated flag', async () => {
  const t = await tokenizeDataset(pairs, tokenizer, 8);
  assert.deepEqual(t.examples[0], { inputIds: [2, 5, 6, 3, 9, 10, 11, 3], tokenTypeIds: [0, 0, 0, 0, 1, 1, 1, 1], fullLength: 8, truncated: false });
  assert.deepEqual(t.examples[1].inputIds, [2, 5, 3, 6, 8, 3]);
  // 7 pieces + 1: budget 5 -> shorter (1) kept, longer cut to 4.
  assert.deepEqual(t.examples[2], { inputIds: [2, 5, 7, 5, 7, 3, 6, 3], tokenTypeIds: [0, 0, 0, 0, 0, 0, 1, 1], fullLength: 11, truncated: true });
});

test('makeBatch: (B, L) int32 arrays padded to maxLength, labels in batch order', async () => {
  const t = await tokenizeDataset(pairs, tokenizer, 8);
  const b = makeBatch(t, [1, 0]);
  assert.deepEqual([b.batchSize, b.seqLength, b.indices], [2, 8, [1, 0]]);
  assert.deepEqual(Array.from(b.inputIds), [2, 5, 3, 6, 8, 3, 0, 0, 2, 5, 6, 3, 9, 10, 11, 3]);
  assert.deepEqual(Array.from(b.attentionMask), [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.ok(b.labels instanceof Int32Array);
  assert.deepEqual(Array.from(b.labels), [0, 1]);
  assert.throws(() => makeBatch(t, [3]), /example index 3 is outside pairs \(3 examples\)/);
  const regression = await tokenizeDataset({ ...pairs, kind: 'regression', labelNames: [], examples: pairs.examples.map((e, i) => ({ ...e, label: i + 0.5 })) }, tokenizer, 8);
  const rb = makeBatch(regression, [2, 0]);
  assert.ok(rb.labels instanceof Float32Array);
  assert.deepEqual(Array.from(rb.labels), [2.5, 0.5]);
});

test('epochs: every example once, seeded shuffle reproducible, batches of the given size, dropLast', () => {
  assert.deepEqual(epochOrder(4), [0, 1, 2, 3]);
  const a = epochOrder(50, new SeededRandom(3));
  assert.deepEqual(a, epochOrder(50, new SeededRandom(3)));
  assert.notDeepEqual(a, epochOrder(50));
  assert.deepEqual(a.slice().sort((x, y) => x - y), epochOrder(50));
  assert.deepEqual(batchIndices([0, 1, 2, 3, 4], 2), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(batchIndices([0, 1, 2, 3, 4], 2, true), [[0, 1], [2, 3]]);
  assert.throws(() => batchIndices([0], 0), /batchSize must be a positive integer, got 0/);
});

test('epochBatches with a generator: two epochs differ, together cover the data twice', async () => {
  const t = await tokenizeDataset(pairs, tokenizer, 8);
  const random = new SeededRandom(11);
  const first = [...epochBatches(t, { batchSize: 2, random })].flatMap((b) => b.indices);
  const second = [...epochBatches(t, { batchSize: 2, random })].flatMap((b) => b.indices);
  assert.deepEqual(first.slice().sort(), [0, 1, 2]);
  assert.deepEqual(second.slice().sort(), [0, 1, 2]);
  const padded = [...epochBatches(t, { batchSize: 3, padTo: 'longest' })][0];
  assert.equal(padded.seqLength, 8);
});

test('toBertInputs / toLabelTensor: int32 (B, L) tensors with the batch values', async () => {
  const t = await tokenizeDataset(pairs, tokenizer, 8);
  const b = makeBatch(t, [0, 1]);
  const inputs = toBertInputs(b);
  const labels = toLabelTensor(b);
  assert.deepEqual(inputs.inputIds.shape, [2, 8]);
  assert.equal(inputs.inputIds.dtype, 'int32');
  assert.equal(inputs.attentionMask.dtype, 'int32');
  assert.deepEqual(Array.from(inputs.tokenTypeIds.dataSync()), Array.from(b.tokenTypeIds));
  assert.equal(labels.dtype, 'int32');
  const before = tf.memory().numTensors;
  disposeBertInputs(inputs);
  labels.dispose();
  assert.equal(tf.memory().numTensors, before - 4);
});
