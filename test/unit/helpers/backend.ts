// Picks the TensorFlow.js backend for a unit test file. The suite runs on WASM, the backend that
// works on every machine, with the training kernels the trainer registers for it (UnsortedSegmentSum,
// the XNNPACK BatchMatMul); 'cpu' is the reference the WASM kernels are checked against.
import * as tf from '@tensorflow/tfjs';

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm') {
    const { registerWasmTrainingKernels } = await import('../../../trainer/backend/wasm-kernels');
    registerWasmTrainingKernels();
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`could not set the TensorFlow.js backend '${name}'`);
  await tf.ready();
}
