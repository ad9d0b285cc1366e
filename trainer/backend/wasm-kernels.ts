// Kernels the WASM backend needs for training, registered over the stock set:
// - UnsortedSegmentSum, missing from tfjs-backend-wasm 4.22: the gradient of tf.gather (embeddings).
// - Faster replacements of stock kernels the backward pass leans on: BatchMatMul keeps every product
//   on XNNPACK (fast-batch-mat-mul.ts), Sum over leading axes becomes a product (fast-sum.ts),
//   Identity shares memory instead of copying (shared-identity.ts), GatherV2 of whole rows copies rows
//   (fast-gather.ts), Transpose of large matrices goes in tiles (fast-transpose.ts).
// Every other kernel a BERT forward and backward pass uses is present (checked by
// test/unit/backend/wasm-kernels.unit.test.ts with a full tf.variableGrads step). The replacements give
// the same values as the stock kernels (copies exactly; products up to float rounding).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fastBatchMatMulConfig } from './kernels/fast-batch-mat-mul';
import { fastGatherConfig } from './kernels/fast-gather';
import { fastSumConfig } from './kernels/fast-sum';
import { fastTransposeConfig } from './kernels/fast-transpose';
import { sharedIdentityConfig } from './kernels/shared-identity';
import { unsortedSegmentSumWasmConfig } from './kernels/unsorted-segment-sum';

const REPLACEMENTS: readonly [string, (stock: tf.KernelConfig) => tf.KernelConfig][] = [
  [tf.BatchMatMul, fastBatchMatMulConfig],
  [tf.Sum, fastSumConfig],
  [tf.Identity, sharedIdentityConfig],
  [tf.GatherV2, fastGatherConfig],
  [tf.Transpose, fastTransposeConfig],
];

/** The stock kernel and its replacement, by kernel name, once registerWasmTrainingKernels has run. */
const registered = new Map<string, { stock: tf.KernelConfig; fast: tf.KernelConfig }>();

const REPLACED = Symbol('replaced by lrc-distill');

/** Registers the training kernels for 'wasm'. Idempotent; call before or after tf.setBackend('wasm')
 * (each replacement keeps its stock kernel's setup, which binds the WASM function). */
export function registerWasmTrainingKernels(): void {
  if (!tf.getKernel(tf.UnsortedSegmentSum, 'wasm')) tf.registerKernel(unsortedSegmentSumWasmConfig);
  for (const [name, make] of REPLACEMENTS) {
    if (registered.has(name)) continue;
    const stock = tf.getKernel(name, 'wasm');
    if (!stock || REPLACED in stock) continue;
    const fast = Object.assign(make(stock), { [REPLACED]: true });
    registered.set(name, { stock, fast });
    swap(name, fast);
  }
}

/** For the benchmarks' A/B runs: the stock kernels of `names` (or their replacements again, `stock` false). */
export function useStockWasmKernels(names: readonly string[], stock = true): void {
  for (const name of names) {
    const entry = registered.get(name);
    if (!entry) throw new Error(`useStockWasmKernels: ${name} is not one of the replaced WASM kernels (${[...registered.keys()].join(', ')})`);
    swap(name, stock ? entry.stock : entry.fast);
  }
}

function swap(name: string, config: tf.KernelConfig): void {
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(config);
}
