import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRateAt } from '../../../trainer/optim/schedule';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} != ${b}`);

test('linear warm-up over 10% of the steps, then linear decay towards 0', () => {
  const o = { peak: 1e-4, totalSteps: 100, warmupShare: 0.1 }; // W = 10
  close(learningRateAt(0, o), 1e-5); // 1/10 of the peak
  close(learningRateAt(4, o), 5e-5); // 5/10
  close(learningRateAt(9, o), 1e-4); // 10/10
  close(learningRateAt(10, o), 1e-4); // (100 - 10) / 90
  close(learningRateAt(55, o), 5e-5); // 45 / 90
  close(learningRateAt(99, o), 1e-4 / 90); // 1 / 90
  assert.equal(learningRateAt(100, o), 0);
  assert.equal(learningRateAt(150, o), 0);
});

test('no warm-up starts at the peak; odd totals round the warm-up', () => {
  close(learningRateAt(0, { peak: 2, totalSteps: 4, warmupShare: 0 }), 2);
  close(learningRateAt(3, { peak: 2, totalSteps: 4, warmupShare: 0 }), 0.5);
  // 0.1 * 25 = 2.5 -> W = 3: steps 0, 1, 2 at 1/3, 2/3, 3/3; step 3 at 22/22.
  const o = { peak: 3, totalSteps: 25, warmupShare: 0.1 };
  close(learningRateAt(0, o), 1);
  close(learningRateAt(2, o), 3);
  close(learningRateAt(3, o), 3);
  close(learningRateAt(14, o), 3 * 11 / 22);
});

test('bad schedule settings are named', () => {
  assert.throws(() => learningRateAt(0, { peak: 1, totalSteps: 0, warmupShare: 0.1 }), /total optimiser steps must be an integer >= 1, got 0/);
  assert.throws(() => learningRateAt(0, { peak: 1, totalSteps: 10, warmupShare: 1.5 }), /warm-up share must be in \[0, 1\], got 1.5/);
  assert.throws(() => learningRateAt(-1, { peak: 1, totalSteps: 10, warmupShare: 0.1 }), /step must be an integer >= 0, got -1/);
});
