// Kernels the WASM backend needs for training, registered over the stock set:
// - UnsortedSegmentSum, missing from tfjs-backend-wasm 4.22: the gradient of tf.gather (embeddings).
// - Faster replacements of stock kernels the backward pass leans on: BatchMatMul keeps every product
//   on XNNPACK (fast-batch-mat-mul.ts), Sum over leading axes becomes a product (fast-sum.ts),
//   Identity shares memory instead of copying (shared-identity.ts).
// Every other kernel a BERT forward and backward pass uses is present (checked by
// test/unit/backend/wasm-kernels.unit.test.ts with a full tf.variableGrads step).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fastBatchMatMulConfig } from './kernels/fast-batch-mat-mul';
import { fastSumConfig } from './kernels/fast-sum';
import { sharedIdentityConfig } from './kernels/shared-identity';
import { unsortedSegmentSumWasmConfig } from './kernels/unsorted-segment-sum';

const REPLACED = Symbol('replaced by lrc-distill');

/** Registers the training kernels for 'wasm'. Idempotent; call before or after tf.setBackend('wasm'). */
export function registerWasmTrainingKernels(): void {
  if (!tf.getKernel(tf.UnsortedSegmentSum, 'wasm')) tf.registerKernel(unsortedSegmentSumWasmConfig);
  replace(tf.BatchMatMul, fastBatchMatMulConfig);
  replace(tf.Sum, fastSumConfig);
  replace(tf.Identity, sharedIdentityConfig);
}

/** Registers make(stock) in place of the stock kernel, keeping its setup (which binds the WASM function). */
function replace(name: string, make: (stock: tf.KernelConfig) => tf.KernelConfig): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock || REPLACED in stock) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(Object.assign(make(stock), { [REPLACED]: true }));
}
