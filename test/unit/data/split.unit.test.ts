import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitTrainDev } from '../../../trainer/data/split';
import type { TextDataset } from '../../../trainer/data/types';

// 80 examples of class 0 and 20 of class 1.
const dataset: TextDataset = {
  name: 'toy', kind: 'classification', labelNames: ['a', 'b'], source: 'test',
  examples: Array.from({ length: 100 }, (_, i) => ({ id: String(i), text: `t${i}`, label: i % 5 === 0 ? 1 : 0 })),
};

test('stratified: 20% of each class goes to dev, nothing lost or repeated', () => {
  const { train, dev } = splitTrainDev(dataset, { devFraction: 0.2, seed: 1 });
  assert.equal(dev.examples.filter((e) => e.label === 0).length, 16);
  assert.equal(dev.examples.filter((e) => e.label === 1).length, 4);
  assert.equal(train.examples.length, 80);
  const ids = [...train.examples, ...dev.examples].map((e) => Number(e.id)).sort((a, b) => a - b);
  assert.deepEqual(ids, Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual([train.name, dev.name], ['toy train', 'toy dev']);
});

test('the same seed gives the same split, another seed another one; the file order is kept', () => {
  const a = splitTrainDev(dataset, { devFraction: 0.2, seed: 7 }).dev.examples.map((e) => e.id);
  const b = splitTrainDev(dataset, { devFraction: 0.2, seed: 7 }).dev.examples.map((e) => e.id);
  const c = splitTrainDev(dataset, { devFraction: 0.2, seed: 8 }).dev.examples.map((e) => e.id);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual(a, a.slice().sort((x, y) => Number(x) - Number(y)));
});

test('a fraction outside (0, 1) or one that empties a side is an error', () => {
  assert.throws(() => splitTrainDev(dataset, { devFraction: 1, seed: 1 }), /devFraction must be in \(0, 1\), got 1/);
  assert.throws(() => splitTrainDev(dataset, { devFraction: 0.001, seed: 1 }), /leaves 100 train and 0 dev examples/);
});
