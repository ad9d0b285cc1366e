// UnsortedSegmentSum for the WASM backend, which does not ship it. Training needs it: it is the
// gradient of tf.gather (the embedding lookup). Semantics of TensorFlow's op: segmentIds has the shape
// of a prefix of x's shape; out[s, ...] = sum of x[i..., ...] over every i with segmentIds[i...] = s;
// ids that are negative or >= numSegments are ignored; segments that no id names are 0.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocate, heapView } from './wasm-heap';

const unsortedSegmentSum: tf.KernelFunc = ({ inputs, backend: wasm, attrs }) => {
  const backend = wasm as BackendWasm;
  const { x, segmentIds } = inputs;
  if (!x || !segmentIds) throw new Error('UnsortedSegmentSum: needs the inputs x and segmentIds');
  const numSegments = Number(attrs?.numSegments);
  checkArguments(x, segmentIds, numSegments);

  const idCount = tf.util.sizeFromShape(segmentIds.shape);
  const rowSize = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const out = allocate(backend, [numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const outValues = heapView(backend, out);
  const xValues = heapView(backend, x);
  const ids = heapView(backend, segmentIds);
  outValues.fill(0);
  for (let i = 0; i < idCount; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * rowSize;
    const to = segment * rowSize;
    for (let j = 0; j < rowSize; j++) outValues[to + j] += xValues[from + j];
  }
  return out;
};

function checkArguments(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): void {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
  }
  if (segmentIds.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum: segmentIds must be int32, got ${segmentIds.dtype}`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum: x must be float32 or int32, got ${x.dtype}`);
  }
  const prefix = x.shape.slice(0, segmentIds.shape.length);
  if (segmentIds.shape.length > x.shape.length || prefix.some((d, i) => d !== segmentIds.shape[i])) {
    throw new Error(
      `UnsortedSegmentSum: the shape of segmentIds [${segmentIds.shape}] must be a prefix of the shape of x [${x.shape}]`,
    );
  }
}

export const unsortedSegmentSumWasmConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
