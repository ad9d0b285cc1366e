// A one-line description of the machine a backend computes on, for the backend report.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';

export function cpuDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || 'unknown CPU';
  return `${model}, ${cpus.length} logical core${cpus.length === 1 ? '' : 's'}`;
}

/** Call after the WASM backend is ready: the flags are resolved during its initialisation. */
export function wasmDeviceDescription(threads: number): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD on' : 'SIMD off';
  const multithread = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  const threading = multithread ? `${threads} threads` : '1 thread (multithreaded WASM is not available in Node)';
  return `${cpuDescription()}; WASM ${simd}, ${threading}`;
}
