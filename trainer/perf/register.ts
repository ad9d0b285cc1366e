// Registers the kernels of trainer/perf over the WASM training kernels (trainer/backend/wasm-kernels.ts),
// and takes them back: bench/suites/speedups.ts measures a step with and without them in one process.
import * as tf from '@tensorflow/tfjs';
import { fastGatherConfig } from './fast-gather';
import { fastTransposeConfig } from './fast-transpose';

const replaced = new Map<string, tf.KernelConfig>();

const KERNELS: [string, (stock: tf.KernelConfig) => tf.KernelConfig][] = [
  [tf.GatherV2, fastGatherConfig],
  [tf.Transpose, fastTransposeConfig],
];

/** Call after the WASM backend is ready (the stock kernels' setup has bound their WASM functions). */
export function registerPerfKernels(names: string[] = KERNELS.map(([n]) => n)): void {
  for (const [name, make] of KERNELS) {
    if (!names.includes(name) || replaced.has(name)) continue;
    const stock = tf.getKernel(name, 'wasm');
    if (!stock) continue;
    replaced.set(name, stock);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(make(stock));
  }
}

/** Puts the kernels that registerPerfKernels replaced back. */
export function unregisterPerfKernels(): void {
  for (const [name, stock] of replaced) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(stock);
  }
  replaced.clear();
}
