// A faster Sum for the WASM backend when it reduces leading axes (the bias and LayerNorm gradients:
// (N, H) -> (H)). The stock kernel transposes the input first, which on WASM costs 10x the sum;
// here the sum is ones(1, outer) x (outer, inner), one XNNPACK product.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView, release } from './wasm-heap';

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

    const outer = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const inner = tf.util.sizeFromShape(x.shape.slice(axes.length));
    const ones = allocate(backend, [1, outer], 'float32');
    heapView(backend, ones).fill(1);
    // A fresh copy: XNNPACK caches the packed right operand by tensor id, assuming one 2-D shape per id.
    const matrix = allocate(backend, [outer, inner], 'float32');
    heapView(backend, matrix).set(heapView(backend, x));
    const matMul = tf.getKernel(tf.BatchMatMul, 'wasm').kernelFunc;
    const attrs = { transposeA: false, transposeB: false };
    const row = matMul({ inputs: { a: ones, b: matrix }, backend, attrs }) as tf.TensorInfo; // (1, inner)
    const outShape = args.attrs?.keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const reshape = tf.getKernel(tf.Reshape, 'wasm').kernelFunc;
    const out = reshape({ inputs: { x: row }, backend, attrs: { shape: outShape } }) as tf.TensorInfo;
    release(backend, ones, matrix, row);
    return out;
  };
  return { ...stock, kernelFunc };
}
