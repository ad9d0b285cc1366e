// Kernels the WASM backend needs for training, registered over the stock set:
// - UnsortedSegmentSum, missing from tfjs-backend-wasm 4.22: the gradient of tf.gather (embeddings).
// - BatchMatMul, replaced by one that keeps every product on XNNPACK (see fast-batch-mat-mul.ts).
// Every other kernel a BERT forward and backward pass uses is present (checked by
// test/unit/backend/wasm-kernels.unit.test.ts with a full tf.variableGrads step).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fastBatchMatMulConfig } from './kernels/fast-batch-mat-mul';
import { unsortedSegmentSumWasmConfig } from './kernels/unsorted-segment-sum';

const FAST_MARK = Symbol('lrc-distill fast BatchMatMul');

/** Registers the training kernels for 'wasm'. Idempotent; call before or after tf.setBackend('wasm'). */
export function registerWasmTrainingKernels(): void {
  if (!hasKernel(tf.UnsortedSegmentSum)) tf.registerKernel(unsortedSegmentSumWasmConfig);
  const stock = tf.getKernel(tf.BatchMatMul, 'wasm');
  if (stock && !(FAST_MARK in stock)) {
    tf.unregisterKernel(tf.BatchMatMul, 'wasm');
    tf.registerKernel(Object.assign(fastBatchMatMulConfig(stock), { [FAST_MARK]: true }));
  }
}

function hasKernel(name: string): boolean {
  return tf.getKernel(name, 'wasm') !== undefined;
}
