// Evaluation of a pre-training run: the masked-LM loss and the share of chosen tokens predicted right
// on the dev texts, with masks drawn from a fixed seed per batch, so that every evaluation of a run
// (and of another run on the same data) scores the same positions.
import { nextTurn, type Pause } from '../util/timeSlices';
import * as tf from '@tensorflow/tfjs';
import { batchIndices, epochOrder, makeBatch, type TokenizedDataset } from '../data/batches';
import { disposeBertInputs, toBertInputs } from '../data/tensors';
import type { MlmHead } from '../model/mlmHead';
import type { BertModel } from '../model/types';
import { maskBatch, type MaskingSettings } from './masking';
import { maskedLogits } from './mlmStep';
import { UserError } from '../errors';

export interface MlmScores {
  /** Mean cross-entropy per chosen token. */
  mlm_loss: number;
  /** Share of chosen tokens whose original token has the highest logit. */
  mlm_accuracy: number;
  /** Number of tokens scored. */
  tokens: number;
}

const DEV_MASK_SEED = 0x0de7;

export async function evaluateMaskedLm(model: BertModel, head: MlmHead, data: TokenizedDataset, batchSize: number, masking: MaskingSettings, pause: Pause = nextTurn): Promise<MlmScores> {
  let lossSum = 0;
  let right = 0;
  let tokens = 0;
  for (const [k, indices] of batchIndices(epochOrder(data.examples.length), batchSize).entries()) {
    const batch = makeBatch(data, indices, 'longest');
    const masked = maskBatch(batch.inputIds, batch.attentionMask, masking, DEV_MASK_SEED + k);
    if (masked.positions.length === 0) continue;
    const inputs = toBertInputs(batch);
    const [losses, hits] = tf.tidy(() => {
      const logits = maskedLogits(model, head, inputs, masked, false); // (N, V)
      const targets = tf.tensor1d(masked.targets, 'int32');
      const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(targets, logits.shape[1])), 1)); // (N)
      return [tf.sum(nll), tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32'))];
    });
    lossSum += (await losses.data())[0];
    right += (await hits.data())[0];
    tokens += masked.positions.length;
    tf.dispose([losses, hits]);
    disposeBertInputs(inputs);
    await pause(); // control messages and signals between batches (a stop ends the evaluation)
  }
  if (tokens === 0) throw new UserError('the dev texts have no token to mask (all are special tokens or padding)');
  return { mlm_loss: lossSum / tokens, mlm_accuracy: right / tokens, tokens };
}
