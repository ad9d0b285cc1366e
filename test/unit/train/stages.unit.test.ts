import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STAGE_CONFIG, StageSchedule } from '../../../trainer/train/stages';

test('defaults: 80% of the steps at 1:0:0, then 1:1:3, T = 1.1, epsilon = 1', () => {
  const s = new StageSchedule(10); // stage 2 from step 8
  assert.deepEqual(s.weightsAt(0), { stage: 1, alpha: 1, beta: 0, gamma: 0, temperature: 1.1, epsilon: 1 });
  assert.deepEqual(s.weightsAt(7), { stage: 1, alpha: 1, beta: 0, gamma: 0, temperature: 1.1, epsilon: 1 });
  assert.deepEqual(s.weightsAt(8), { stage: 2, alpha: 1, beta: 1, gamma: 3, temperature: 1.1, epsilon: 1 });
  assert.deepEqual(s.weightsAt(9), s.weightsAt(8));
  // 0.8 * 7 = 5.6 -> stage 2 from step 6.
  assert.equal(new StageSchedule(7).stage2Start, 6);
});

test('split 0 is stage 2 only, split 1 stage 1 only', () => {
  assert.equal(new StageSchedule(10, { ...DEFAULT_STAGE_CONFIG, split: 0 }).weightsAt(0).stage, 2);
  assert.equal(new StageSchedule(10, { ...DEFAULT_STAGE_CONFIG, split: 1 }).weightsAt(9).stage, 1);
});

test('"next stage now" moves the split to the next step', () => {
  const s = new StageSchedule(100);
  s.nextStageNow(30);
  assert.equal(s.weightsAt(29).stage, 1);
  assert.deepEqual(s.weightsAt(30), { stage: 2, alpha: 1, beta: 1, gamma: 3, temperature: 1.1, epsilon: 1 });
  assert.throws(() => s.nextStageNow(40), /already in stage 2 at step 40 \(it began at step 30\)/);
});

test('weights, T and epsilon can change between steps', () => {
  const s = new StageSchedule(100);
  s.change(10, { alpha: 2, temperature: 2, epsilon: 0 });
  assert.deepEqual(s.weightsAt(10), { stage: 1, alpha: 2, beta: 0, gamma: 0, temperature: 2, epsilon: 0 });
  // Stage 2 keeps its own weights but takes the new T and epsilon.
  assert.deepEqual(s.weightsAt(80), { stage: 2, alpha: 1, beta: 1, gamma: 3, temperature: 2, epsilon: 0 });
  s.change(85, { gamma: 1 });
  assert.deepEqual(s.weightsAt(85), { stage: 2, alpha: 1, beta: 1, gamma: 1, temperature: 2, epsilon: 0 });
  assert.equal(s.weightsAt(10).alpha, 2);
});

test('bad changes are refused and leave the state as it was', () => {
  const s = new StageSchedule(100);
  assert.throws(() => s.change(0, { alpha: 0 }), /stage 1: loss weights alpha, beta and gamma are all 0/);
  assert.throws(() => s.change(0, { temperature: 0 }), /temperature must be > 0, got 0/);
  assert.throws(() => s.change(0, { epsilon: -1 }), /epsilon must be a finite number >= 0 \(0 = off\), got -1/);
  assert.throws(() => s.change(0, { beta: Number.NaN }), /beta must be a finite number >= 0, got NaN/);
  assert.deepEqual(s.weightsAt(0), { stage: 1, alpha: 1, beta: 0, gamma: 0, temperature: 1.1, epsilon: 1 });
  assert.throws(() => new StageSchedule(10, { ...DEFAULT_STAGE_CONFIG, split: 1.2 }), /split must be in \[0, 1\], got 1.2/);
  assert.throws(() => new StageSchedule(0), /total steps must be an integer >= 1, got 0/);
});

test('the state round-trips for a checkpoint', () => {
  const s = new StageSchedule(50);
  s.change(3, { beta: 0.5 });
  s.nextStageNow(20);
  const r = StageSchedule.fromState(JSON.parse(JSON.stringify(s.getState())));
  for (const step of [0, 19, 20, 49]) assert.deepEqual(r.weightsAt(step), s.weightsAt(step));
});
