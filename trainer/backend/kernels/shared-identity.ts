// Identity for the WASM backend without the copy: the output shares the input's memory, as on the
// CPU backend. WASM kernels never write into their inputs and variables take new memory when
// assigned, so sharing is safe. tfjs clones every tensor it saves for a backward pass, so this
// halves the memory of the saved activations and saves the copies.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export function sharedIdentityConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs;
    if (!x || x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...stock, kernelFunc };
}
