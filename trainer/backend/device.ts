// A one-line description of the machine a backend computes on, for the backend report.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';

export function cpuDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || 'unknown CPU';
  return `${model}, ${cpus.length} logical core${cpus.length === 1 ? '' : 's'}`;
}

/** Call after the WASM backend is ready: the flags are resolved during its initialisation. `source`:
 * where the thread count came from (resolveThreads). */
export function wasmDeviceDescription(threads: number, source?: string): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD on' : 'SIMD off';
  const multithread = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') && threads > 1;
  const from = source ? `, ${source}` : '';
  const threading = multithread ? `${threads} threads (threaded SIMD build${from})` : `1 thread${from ? ` (${source})` : ''}`;
  return `${cpuDescription()}; WASM ${simd}, ${threading}`;
}
