// Whether a serving measurement ran beside other work, from what its process was told.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { besideOf, costLine } from '../../../trainer/serving/measureRun';
import { cost } from '../sweep/frontFixture';

test('besideOf: a pool of more than one worker, a Slurm job, or nothing of ours', () => {
  assert.equal(besideOf({}), null);
  assert.equal(besideOf({ LRC_POOL_WORKERS: '1' }), null, 'a pool of one worker runs one run at a time');
  assert.match(besideOf({ LRC_POOL_WORKERS: '2' })!, /^ran in a pool of 2 worker processes/);
  assert.equal(besideOf({ LRC_POOL_WORKERS: 'many' }), null);
  assert.match(besideOf({ SLURM_JOB_ID: '77' })!, /^ran as Slurm job 77/);
});

test('costLine: the figures a run prints when it ends', () => {
  assert.equal(costLine(cost('r', 2)), '2.00 ms (p95 2.40) at batch 1, 1600 examples/s at batch 32, 128 tokens, wasm x2 threads, measured in 1.0 s');
  assert.match(costLine({ ...cost('r', 2), quiet: false, beside: 'ran in a pool of 2 worker processes' }), /, wasm x2 threads \(not quiet: ran in a pool of 2 worker processes\), measured/);
});
