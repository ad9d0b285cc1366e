// Picks the TensorFlow.js backend for a unit test file. The suite runs on WASM, the backend that
// works on every machine, with the training kernels the trainer registers for it (UnsortedSegmentSum,
// the XNNPACK BatchMatMul); 'cpu' is the reference the WASM kernels are checked against.
// The native tier (test/native/run.mjs) runs the backend-independent files again with
// LRC_TEST_BACKEND=tensorflow: their useBackend('wasm') then sets the native TensorFlow backend (the
// setup-native build or a node_modules install), with none of the WASM kernels registered.
import * as tf from '@tensorflow/tfjs';

export const testBackend = (): 'tensorflow' | 'wasm' => (process.env.LRC_TEST_BACKEND === 'tensorflow' ? 'tensorflow' : 'wasm');

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  if (name === 'wasm' && testBackend() === 'tensorflow') {
    const { requireNative } = await import('../../../trainer/backend/native/requireNative');
    requireNative('@tensorflow/tfjs-node', 'cpu');
    return setBackend('tensorflow');
  }
  if (name === 'wasm') {
    const { registerWasmTrainingKernels } = await import('../../../trainer/backend/wasm-kernels');
    registerWasmTrainingKernels();
  }
  return setBackend(name);
}

async function setBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`could not set the TensorFlow.js backend '${name}'`);
  await tf.ready();
}
