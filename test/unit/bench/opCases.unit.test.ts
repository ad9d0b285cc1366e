// The ops suite times each case on both sides: every case has a TensorFlow.js form and a PyTorch form
// (bench/peer/op_cost.py) of the same name, and the TensorFlow.js form gives the shape the case implies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { OP_CASES, opCaseFlops, tfOp } from '../../../bench/lib/opCases';

const root = join(__dirname, '..', '..', '..');

test('every op case has a PyTorch form of the same name in bench/peer/op_cost.py, and no other', () => {
  const python = readFileSync(join(root, 'bench', 'peer', 'op_cost.py'), 'utf8');
  const pyNames = [...python.matchAll(/^\s+"(\w+)": lambda/gm)].map((m) => m[1]).sort();
  assert.deepEqual(pyNames, OP_CASES.map((c) => c.name).sort());
});

test('the TensorFlow.js form of each case runs on its shapes and gives the expected output shape', () => {
  const expected: Record<string, number[]> = {
    mul_1: [1], mul_scalar: [1024, 128], mul: [1024, 128], mul_ffn: [1024, 512], add_bias: [1024, 128],
    sum_rows: [128], mean_last: [1024, 1], softmax: [16, 4, 64, 64], matmul_qkv: [1024, 384], matmul_scores: [16, 4, 64, 64],
  };
  for (const c of OP_CASES) {
    const { run, dispose } = tfOp(c);
    const out = run();
    assert.deepEqual(out.shape, expected[c.name], c.name);
    out.dispose();
    dispose();
  }
  assert.equal(opCaseFlops(OP_CASES.find((c) => c.name === 'matmul_qkv')!), 2 * 1024 * 128 * 384);
  assert.equal(opCaseFlops(OP_CASES.find((c) => c.name === 'matmul_scores')!), 2 * 16 * 4 * 64 * 64 * 32);
  assert.equal(tf.memory().numTensors, 0);
});
