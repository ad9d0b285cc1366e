// The product's own backend choice with the native build present: 'auto' takes TensorFlow from the
// setup-native build (or a node_modules install), says so and why tfjs-node-gpu was not taken, and every
// kernel it computes with is TensorFlow's own (the WASM training kernels stay on 'wasm').
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../trainer/backend/select';
import { registerWasmTrainingKernels } from '../../trainer/backend/wasm-kernels';

test("'auto' picks the native TensorFlow backend and reports where it came from", async () => {
  const report = await selectBackend({});
  assert.equal(report.backend, 'tensorflow');
  assert.equal(tf.getBackend(), 'tensorflow');
  assert.match(report.package, /^@tensorflow\/tfjs-node(-gpu)?$/);
  assert.equal(report.version, '4.22.0');
  assert.match(report.device, /^TensorFlow \d+\.\d+\.\d+ (from the tensorflow(_cpu)? wheel \(setup-native\)|C library)/);
  if (report.package === '@tensorflow/tfjs-node') {
    assert.equal(report.rejected[0]?.name, '@tensorflow/tfjs-node-gpu');
    assert.ok(report.rejected[0].reason.length > 10, 'the reason tfjs-node-gpu was not used');
  }
});

test('the native backend computes with TensorFlow kernels only, also after the WASM kernels are registered', () => {
  registerWasmTrainingKernels();
  const kernels = tf.getKernelsForBackend('tensorflow');
  assert.ok(kernels.length > 100, `tfjs-node registers its kernels (${kernels.length})`);
  const ours = new Set(Object.getOwnPropertySymbols(tf.getKernel(tf.Sum, 'wasm') ?? {}).map(String));
  assert.ok(ours.has('Symbol(replaced by lrc-distill)'), 'the WASM Sum is the replacement');
  for (const k of kernels) {
    assert.equal(Object.getOwnPropertySymbols(k).length, 0, `${k.kernelName} on tensorflow is not one of ours`);
  }
  // UnsortedSegmentSum (the embedding gradient) is TensorFlow's own op there
  assert.ok(tf.getKernel(tf.UnsortedSegmentSum, 'tensorflow'));
  const grad = tf.tidy(() => tf.grad((table: tf.Tensor) => tf.gather(table, tf.tensor1d([0, 2, 0], 'int32')).sum())(tf.ones([3, 2])).arraySync());
  assert.deepEqual(grad, [[2, 2], [0, 0], [1, 1]]);
});
