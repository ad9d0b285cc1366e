// One masked-language-model pre-training step: forward the masked batch, the head's vocabulary logits
// at the chosen positions, cross-entropy against the original tokens, clip by global norm, AdamW.
// The pooler and the classifier take no part (they get no gradient and the optimiser leaves them alone).
import * as tf from '@tensorflow/tfjs';
import { hardLoss } from '../losses/prediction';
import type { MlmHead } from '../model/mlmHead';
import type { BertInputs, BertModel } from '../model/types';
import type { AdamW } from '../optim/adamw';
import { learningRateAt, type LinearScheduleOptions } from '../optim/schedule';
import type { MaskedBatch } from './masking';

export interface MlmStepOptions {
  step: number;
  dropoutSeed: number;
  learningRate: LinearScheduleOptions;
  maxGradNorm: number;
}

export interface MlmStepResult {
  loss: number;
  learningRate: number;
  gradNorm: number;
}

/** The head's vocabulary logits (N, V) at the chosen positions of `inputs` with `masked` applied. */
export function maskedLogits(model: BertModel, head: MlmHead, inputs: BertInputs, masked: MaskedBatch, training: boolean, dropoutSeed?: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, L] = inputs.inputIds.shape;
    const maskedInputs: BertInputs = { ...inputs, inputIds: tf.tensor2d(masked.inputIds, [B, L], 'int32') };
    const { hiddenStates } = model.forward(maskedInputs, { training, dropoutSeed });
    const last = hiddenStates[hiddenStates.length - 1]; // (B, L, H)
    const chosen = tf.gather(tf.reshape(last, [B * L, model.config.hidden_size]), tf.tensor1d(masked.positions, 'int32')) as tf.Tensor2D; // (N, H)
    const word = model.namedWeights().get('bert.embeddings.word_embeddings.weight')! as tf.Tensor as tf.Tensor2D; // (V, H), tied decoder
    return head.logits(chosen, word);
  });
}

/** The masked-LM loss (mean cross-entropy over the chosen positions) of `inputs` with `masked` applied. */
export function maskedLmLoss(model: BertModel, head: MlmHead, inputs: BertInputs, masked: MaskedBatch, training: boolean, dropoutSeed?: number): tf.Scalar {
  return tf.tidy(() => hardLoss(maskedLogits(model, head, inputs, masked, training, dropoutSeed), tf.tensor1d(masked.targets, 'int32')));
}

/** `optimizer` must hold the model's and the head's weights. */
export function mlmStep(model: BertModel, head: MlmHead, optimizer: AdamW, inputs: BertInputs, masked: MaskedBatch, options: MlmStepOptions): MlmStepResult {
  const learningRate = learningRateAt(options.step, options.learningRate);
  const variables = [...model.trainableVariables, ...head.namedWeights().values()];
  const { value, grads } = tf.variableGrads(() => maskedLmLoss(model, head, inputs, masked, true, options.dropoutSeed), variables);
  try {
    const { gradNorm } = optimizer.applyGradients(grads, learningRate, { maxGradNorm: options.maxGradNorm });
    return { loss: value.dataSync()[0], learningRate, gradNorm: gradNorm! };
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads).filter((g): g is tf.Tensor => g != null));
  }
}
