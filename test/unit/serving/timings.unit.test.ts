import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyRecord, median, nearestRank, throughputRecord, timePasses } from '../../../trainer/serving/timings';

test('p95 by nearest rank is the ceil(0.95 n)-th smallest timed pass', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20: ceil(19) = 19th -> 19
  assert.equal(nearestRank(twenty, 0.95), 19);
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted 100..1: 95th smallest -> 95
  assert.equal(nearestRank(hundred, 0.95), 95);
  assert.equal(nearestRank([3, 1, 2], 0.95), 3); // ceil(2.85) = 3rd
  assert.equal(nearestRank([7], 0.95), 7);
  assert.equal(nearestRank(Array.from({ length: 21 }, (_, i) => i + 1), 0.95), 20); // ceil(19.95) = 20, not an interpolation 20.95
  assert.ok(Number.isNaN(nearestRank([], 0.95)));
  assert.throws(() => nearestRank([1], 0), /0 < p <= 1/);
});

test('median of odd and even counts', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('the latency record leaves the warm-up passes out', () => {
  // three slow warm-up passes (a first pass compiles kernels), then 1..20 ms
  const all = [500, 300, 200, ...Array.from({ length: 20 }, (_, i) => i + 1)];
  const r = latencyRecord(all, 3);
  assert.equal(r.repetitions, 20);
  assert.equal(r.warmup, 3);
  assert.equal(r.medianMs, 10.5);
  assert.equal(r.p95Ms, 19);
  assert.equal(r.maxMs, 20);
  assert.equal(r.minMs, 1);
  assert.equal(r.meanMs, 10.5);
  assert.equal(r.p95Method, 'nearest-rank');
  // counted with the warm-up, the max and p95 would be the warm-up's
  assert.notEqual(latencyRecord(all, 0).maxMs, r.maxMs);
  assert.throws(() => latencyRecord([1, 2], 2), /no pass was timed/);
});

test('throughput is the batch over the median timed pass', () => {
  const r = throughputRecord([1000, 100, 200, 300], 1, 32);
  assert.equal(r.medianBatchMs, 200);
  assert.equal(r.examplesPerSecond, 160);
  assert.equal(r.repetitions, 3);
});

test('timePasses runs the warm-up, then at least min and at most max timed passes within the budget', async () => {
  let clock = 0;
  const now = () => clock;
  let calls = 0;
  const pass = async () => { calls++; clock += 10; };
  // budget 35 ms of 10 ms passes: min 2 reached, stops once 40 >= 35 ms have gone by
  const times = await timePasses(pass, { warmup: 2, min: 2, max: 100, budgetMs: 35 }, now);
  assert.equal(times.length, 2 + 4);
  assert.equal(calls, 6);
  calls = 0;
  assert.equal((await timePasses(pass, { warmup: 1, min: 3, max: 3, budgetMs: 1e9 }, now)).length, 4); // max caps
  assert.equal((await timePasses(pass, { warmup: 0, min: 5, max: 10, budgetMs: 0 }, now)).length, 5); // min wins over the budget
  // a slow model: past capMs, `floor` timed passes are enough (min 20 is not reached)
  const slow = async () => { clock += 1000; };
  assert.equal((await timePasses(slow, { warmup: 1, min: 20, max: 100, budgetMs: 1500, floor: 3, capMs: 2500 }, now)).length, 1 + 3);
  // below the floor the cap does not stop it
  assert.equal((await timePasses(slow, { warmup: 0, min: 20, max: 100, budgetMs: 1500, floor: 4, capMs: 10 }, now)).length, 4);
});
