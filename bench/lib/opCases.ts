// The single operations whose cost the "ops" suite compares between our backend and PyTorch: the kinds
// of kernel an LRC step at the demo's shapes runs most (bench/lib/kernelCount.ts), at the step's own
// sizes (16 x 64 tokens; teacher hidden 128, 4 heads, FFN 512). One list for both sides: the TypeScript
// suite runs each case on TensorFlow.js, bench/peer/op_cost.py the same case in PyTorch.
import * as tf from '@tensorflow/tfjs';

export interface OpCase {
  /** The name both sides use. */
  name: string;
  /** What it stands for in the step. */
  role: string;
  /** The inputs' shapes. */
  shapes: number[][];
  /** Calls per timed round (more for the cheap ones, so that a round lasts milliseconds). */
  calls: number;
}

export const OP_CASES: OpCase[] = [
  { name: 'mul_1', role: 'the floor: one call on one number', shapes: [[1], [1]], calls: 4000 },
  { name: 'mul_scalar', role: 'scale of an activation (dropout\'s 1/(1-p), a loss weight)', shapes: [[1024, 128], []], calls: 2000 },
  { name: 'mul', role: 'elementwise product of activations (dropout mask, gradients)', shapes: [[1024, 128], [1024, 128]], calls: 2000 },
  { name: 'mul_ffn', role: 'elementwise product at the FFN width (GELU and its gradient)', shapes: [[1024, 512], [1024, 512]], calls: 1000 },
  { name: 'add_bias', role: 'bias added to an activation', shapes: [[1024, 128], [128]], calls: 2000 },
  { name: 'sum_rows', role: 'a bias gradient (sum over the tokens)', shapes: [[1024, 128]], calls: 2000 },
  { name: 'mean_last', role: 'LayerNorm\'s mean over the hidden size', shapes: [[1024, 128]], calls: 2000 },
  { name: 'softmax', role: 'attention probabilities', shapes: [[16, 4, 64, 64]], calls: 500 },
  { name: 'matmul_qkv', role: 'query, key and value in one product', shapes: [[1024, 128], [128, 384]], calls: 200 },
  { name: 'matmul_scores', role: 'attention scores (query times key transposed)', shapes: [[16, 4, 64, 32], [16, 4, 64, 32]], calls: 300 },
];

/** The case's operation on TensorFlow.js, on tensors of its shapes (made once, outside the timing). */
export function tfOp(c: OpCase): { run: () => tf.Tensor; dispose: () => void } {
  const inputs = c.shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', 17 + i));
  const [a, b] = inputs;
  const ops: Record<string, () => tf.Tensor> = {
    mul_1: () => tf.mul(a, b),
    mul_scalar: () => tf.mul(a, b),
    mul: () => tf.mul(a, b),
    mul_ffn: () => tf.mul(a, b),
    add_bias: () => tf.add(a, b),
    sum_rows: () => tf.sum(a, 0),
    mean_last: () => tf.mean(a, -1, true),
    softmax: () => tf.softmax(a),
    matmul_qkv: () => tf.matMul(a, b),
    matmul_scores: () => tf.matMul(a, b, false, true),
  };
  const run = ops[c.name];
  if (!run) throw new Error(`no TensorFlow.js form of op case ${c.name}`);
  return { run, dispose: () => inputs.forEach((t) => t.dispose()) };
}

/** FLOPs of a case that is a matrix product (0 for the others): for GFLOP/s beside the time. */
export function opCaseFlops(c: OpCase): number {
  if (c.name === 'matmul_qkv') return 2 * c.shapes[0][0] * c.shapes[0][1] * c.shapes[1][1];
  if (c.name === 'matmul_scores') {
    const [b, h, m, k] = c.shapes[0];
    return 2 * b * h * m * m * k;
  }
  return 0;
}
