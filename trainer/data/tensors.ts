// Tensors of a batch for the model (BertInputs) and the losses (labels). The caller disposes them.
import * as tf from '@tensorflow/tfjs';
import type { BertInputs } from '../model/types';
import type { EncodedBatch } from '../tokenizer/encode';
import type { Batch } from './batches';

export function toBertInputs(batch: EncodedBatch): BertInputs {
  const shape: [number, number] = [batch.batchSize, batch.seqLength];
  return {
    inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'), // (B, L)
    attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32'), // (B, L)
    tokenTypeIds: tf.tensor2d(batch.tokenTypeIds, shape, 'int32'), // (B, L)
  };
}

/** (B) int32 class indices, or float32 scores for a regression task. */
export function toLabelTensor(batch: Batch): tf.Tensor1D {
  return batch.labels instanceof Float32Array ? tf.tensor1d(batch.labels, 'float32') : tf.tensor1d(batch.labels, 'int32');
}

export function disposeBertInputs(inputs: BertInputs): void {
  tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
}
