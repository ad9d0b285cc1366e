// A faster BatchMatMul for the WASM backend. The stock kernel runs XNNPACK only for one plain 2-D
// product (no transpose flags, batch 1); everything else (a transposed operand, as in every matMul
// gradient, or a batch of matrices, as in attention) falls to a naive loop that is about 10x slower.
// This kernel makes every case a 2-D XNNPACK product: transposes are done explicitly (cheap), a batch
// against one shared matrix becomes one tall product, and a batch against a batch becomes one 2-D
// product per matrix. Results are the same up to float rounding (tests compare against the CPU backend).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView, release } from './wasm-heap';

/** Below this many multiply-adds per matrix, the per-call cost of XNNPACK outweighs its speed. */
const MIN_WORK_PER_MATRIX = 8192;

type Call = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo;

export function fastBatchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs;
    const backend = args.backend as BackendWasm;
    const transposeA = Boolean(args.attrs?.transposeA);
    const transposeB = Boolean(args.attrs?.transposeB);
    if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
      return stock.kernelFunc(args);
    }
    const [rowsA, colsA] = a.shape.slice(-2);
    const [rowsB, colsB] = b.shape.slice(-2);
    const [m, k] = transposeA ? [colsA, rowsA] : [rowsA, colsA];
    const [kB, n] = transposeB ? [colsB, rowsB] : [rowsB, colsB];
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const plain = !transposeA && !transposeB && batchA === 1 && batchB === 1;
    const broadcastsOddly = batchA !== batchB && batchA !== 1 && batchB !== 1;
    if (plain || broadcastsOddly || k !== kB || m * n * k < MIN_WORK_PER_MATRIX) return stock.kernelFunc(args);
    const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];

    const call: Call = (name, inputs, attrs) =>
      tf.getKernel(name, 'wasm').kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
    const matMul2d = (x: tf.TensorInfo, y: tf.TensorInfo) =>
      stock.kernelFunc({ inputs: { a: x, b: y }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;

    let out: tf.TensorInfo;
    if (batchA === 1 && batchB === 1 && swapIsCheaper(m, n, k, transposeA, transposeB)) {
      // C = (B^T A^T)^T, when that moves fewer elements than transposing the operands as given.
      const bT = asBatch(call, backend, b, 1, !transposeB); // (1, n, k)
      const aT = asBatch(call, backend, a, 1, !transposeA); // (1, k, m)
      const productT = matMul2d(bT, aT); // (1, n, m)
      const product = call('Transpose', { x: productT }, { perm: [0, 2, 1] }); // (1, m, n)
      out = call('Reshape', { x: product }, { shape: outShape });
      release(backend, bT, aT, productT, product);
    } else if (batchB === 1) {
      // One tall product: (batchA * m, k) x (k, n).
      const a3 = asBatch(call, backend, a, batchA, transposeA); // (batchA, m, k)
      const b3 = asBatch(call, backend, b, batchB, transposeB); // (1, k, n)
      const a2 = call('Reshape', { x: a3 }, { shape: [batchA * m, k] });
      const b2 = call('Reshape', { x: b3 }, { shape: [k, n] });
      const product = matMul2d(a2, b2);
      out = call('Reshape', { x: product }, { shape: outShape });
      release(backend, a3, b3, a2, b2, product);
    } else {
      // One product per matrix; a single left matrix is shared by all of them.
      const a3 = asBatch(call, backend, a, batchA, transposeA); // (batchA, m, k)
      const b3 = asBatch(call, backend, b, batchB, transposeB); // (batchB, k, n)
      out = allocate(backend, outShape, 'float32');
      const shared = batchA === 1 ? call('Reshape', { x: a3 }, { shape: [m, k] }) : undefined;
      for (let i = 0; i < batchB; i++) {
        const ai = shared ?? matrixOf(backend, a3, i, m, k);
        const bi = matrixOf(backend, b3, i, k, n);
        const product = matMul2d(ai, bi);
        heapView(backend, out).set(heapView(backend, product), i * m * n);
        release(backend, bi, product);
        if (!shared) release(backend, ai);
      }
      if (shared) release(backend, shared);
      release(backend, a3, b3);
    }
    return out;
  };
  return { ...stock, kernelFunc };
}

/** Whether (B^T A^T)^T moves fewer elements than A B, counting explicit transposes only. */
function swapIsCheaper(m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): boolean {
  const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0);
  const swapped = (transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + m * n;
  return swapped < direct;
}

/** x as a batch of untransposed matrices: (batch, rows, cols) with the transpose applied. */
function asBatch(call: Call, backend: BackendWasm, x: tf.TensorInfo, batch: number, transpose: boolean): tf.TensorInfo {
  const [r, c] = x.shape.slice(-2);
  const x3 = call('Reshape', { x }, { shape: [batch, r, c] });
  if (!transpose) return x3;
  const t = call('Transpose', { x: x3 }, { perm: [0, 2, 1] });
  release(backend, x3);
  return t;
}

/** A copy of matrix i of a (batch, rows, cols) tensor, as (rows, cols). */
function matrixOf(backend: BackendWasm, x3: tf.TensorInfo, i: number, rows: number, cols: number): tf.TensorInfo {
  const m = allocate(backend, [rows, cols], 'float32');
  const size = rows * cols;
  heapView(backend, m).set(heapView(backend, x3).subarray(i * size, (i + 1) * size));
  return m;
}
