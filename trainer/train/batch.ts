// One training batch: the tokenized inputs and the gold labels, checked before a step uses them.
import type * as tf from '@tensorflow/tfjs';
import type { BertInputs } from '../model/types';

export interface TrainingBatch {
  inputs: BertInputs;
  /** (B): class ids (int32) for classification, scores (float32) for regression. */
  labels: tf.Tensor1D;
}

/** Throws a clear error when shapes disagree or a class id is outside 0..numLabels-1. */
export function checkBatch(batch: TrainingBatch, numLabels: number): void {
  const { inputIds, attentionMask, tokenTypeIds } = batch.inputs;
  const shape = inputIds.shape.join(',');
  if (inputIds.rank !== 2) throw new Error(`batch: inputIds must be (B, L), got shape [${inputIds.shape}]`);
  if (attentionMask.shape.join(',') !== shape) throw new Error(`batch: attentionMask [${attentionMask.shape}] differs from inputIds [${inputIds.shape}]`);
  if (tokenTypeIds.shape.join(',') !== shape) throw new Error(`batch: tokenTypeIds [${tokenTypeIds.shape}] differs from inputIds [${inputIds.shape}]`);
  if (batch.labels.rank !== 1 || batch.labels.shape[0] !== inputIds.shape[0]) {
    throw new Error(`batch: labels have shape [${batch.labels.shape}] for ${inputIds.shape[0]} examples`);
  }
  if (numLabels >= 2) {
    const labels = batch.labels.dataSync();
    const bad = Array.from(labels).findIndex((y) => !Number.isInteger(y) || y < 0 || y >= numLabels);
    if (bad >= 0) throw new Error(`batch: label ${labels[bad]} of example ${bad} is not a class id in 0..${numLabels - 1}`);
  }
}
