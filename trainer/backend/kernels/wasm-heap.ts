// The little the JS kernels need of the WASM backend: allocate an output on its heap and look at a
// tensor's memory in place. Views go stale when the heap grows, so take them after every allocation.
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TypedArray = Float32Array | Int32Array | Uint8Array;

export function heapView(backend: BackendWasm, t: tf.TensorInfo): TypedArray {
  return backend.typedArrayFromHeap(t);
}

/** A new uninitialised tensor on the WASM heap. */
export function allocate(backend: BackendWasm, shape: number[], dtype: tf.DataType): tf.TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/** Releases a temporary tensor made inside a kernel. */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}
