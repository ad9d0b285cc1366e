// Work in time slices gives what it gives at once, pauses while it runs, and ends at a pause that throws
// (the steps' own clean-up run first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishInSlices, finishNow, type Steps } from '../../../trainer/util/timeSlices';
import { buildWordPieceVocab, buildWordPieceVocabInSlices } from '../../../trainer/tokenizer/buildVocab';

/** Busy work of about `ms` per step, `n` steps; returns the sum of 0..n-1. */
function* busy(n: number, ms: number, cleanedUp: { done: boolean } = { done: false }): Steps<number> {
  let sum = 0;
  try {
    for (let i = 0; i < n; i++) {
      const end = performance.now() + ms;
      while (performance.now() < end);
      sum += i;
      yield;
    }
  } finally {
    cleanedUp.done = true;
  }
  return sum;
}

test('finishNow and finishInSlices give the same result; the slices pause about every sliceMs', async () => {
  assert.equal(finishNow(busy(20, 1)), 190);
  let pauses = 0;
  assert.equal(await finishInSlices(busy(60, 5), async () => void pauses++, 50), 1770);
  assert.ok(pauses >= 3 && pauses < 20, `${pauses} pauses for 300 ms of work (60 steps) in slices of 50 ms`); // not one a step
});

test('a pause that throws ends the work, its finally run, and reaches the caller', async () => {
  const cleanedUp = { done: false };
  let pauses = 0;
  await assert.rejects(finishInSlices(busy(1000, 5, cleanedUp), async () => {
    if (++pauses === 2) throw new Error('stopped');
  }, 20), /stopped/);
  assert.equal(pauses, 2);
  assert.ok(cleanedUp.done);
});

test('a vocabulary built in slices (60,000 texts: over a slice of work) is the one built at once, and the build paused', async () => {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'theta', 'lambda', 'omicron', 'upsilon'];
  const texts = Array.from({ length: 60_000 }, (_, i) => Array.from({ length: 8 }, (_, j) => `${words[(i * 7 + j * 3) % words.length]}${(i * j) % 13}`).join(' '));
  let pauses = 0;
  const sliced = await buildWordPieceVocabInSlices(texts, { size: 300 }, async () => {
    pauses++;
    const end = performance.now() + 1;
    while (performance.now() < end);
  });
  assert.deepEqual(sliced, buildWordPieceVocab(texts, { size: 300 }));
  assert.ok(pauses >= 1, `${pauses} pauses`);
});
