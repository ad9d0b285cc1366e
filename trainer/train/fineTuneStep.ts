// One plain fine-tuning step of a model on its task (for the teacher): cross-entropy against the gold
// class (squared error for regression), no distillation; clip by global norm, AdamW update.
import * as tf from '@tensorflow/tfjs';
import { hardLoss } from '../losses/prediction';
import type { BertModel } from '../model/types';
import type { AdamW } from '../optim/adamw';
import { learningRateAt, type LinearScheduleOptions } from '../optim/schedule';
import { checkBatch, type TrainingBatch } from './batch';

export interface FineTuneStepOptions {
  /** 0-based index of the optimiser step. */
  step: number;
  dropoutSeed: number;
  learningRate: LinearScheduleOptions;
  /** 0 or Infinity = no clipping. */
  maxGradNorm: number;
}

export interface FineTuneStepResult {
  step: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
}

/** `optimizer` must be built over `model.namedWeights()`. */
export function fineTuneStep(model: BertModel, optimizer: AdamW, batch: TrainingBatch, options: FineTuneStepOptions): FineTuneStepResult {
  const { step, dropoutSeed, maxGradNorm } = options;
  const learningRate = learningRateAt(step, options.learningRate);
  checkBatch(batch, model.config.num_labels);
  const { value, grads } = tf.variableGrads(
    () => hardLoss(model.forward(batch.inputs, { training: true, dropoutSeed }).logits, batch.labels),
    model.trainableVariables,
  );
  try {
    const { gradNorm } = optimizer.applyGradients(grads, learningRate, { maxGradNorm });
    return { step, loss: value.dataSync()[0], learningRate, gradNorm: gradNorm! };
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads).filter((g): g is tf.Tensor => g != null));
  }
}
