// Evaluation: a model over a tokenized dataset in batches, eval mode; predictions, probabilities and
// the task's scores.
import * as tf from '@tensorflow/tfjs';
import { batchIndices, epochOrder, makeBatch, type TokenizedDataset } from '../data/batches';
import { disposeBertInputs, toBertInputs } from '../data/tensors';
import type { BertModel } from '../model/types';
import type { RunConfig } from '../config/runConfig';
import { nextTurn, type Pause } from '../util/timeSlices';
import { scorePredictions, type Scores, type TaskData } from './taskData';

export interface Predictions {
  /** Class ids (classification) or scores (regression), in dataset order. */
  predictions: Float32Array;
  /** Softmax probabilities per example (classification), or [score] (regression). */
  probabilities: number[][];
  labels: Float32Array;
}

/** The model's predictions on every example of `data`, in order; `pause` runs between batches (a stop
 *  it throws ends the evaluation). */
export async function predict(model: BertModel, data: TokenizedDataset, batchSize: number, pause: Pause = nextTurn): Promise<Predictions> {
  const n = data.examples.length;
  const predictions = new Float32Array(n);
  const labels = new Float32Array(n);
  const probabilities: number[][] = [];
  const regression = model.config.num_labels === 1;
  for (const indices of batchIndices(epochOrder(n), batchSize)) {
    const batch = makeBatch(data, indices, 'longest');
    const inputs = toBertInputs(batch);
    const probs = tf.tidy(() => {
      const logits = model.forward(inputs, { training: false }).logits; // (B, C)
      return regression ? logits : tf.softmax(logits);
    });
    const values = (await probs.array()) as number[][];
    probs.dispose();
    disposeBertInputs(inputs);
    values.forEach((p, k) => {
      const i = indices[k];
      probabilities[i] = p;
      predictions[i] = regression ? p[0] : p.indexOf(Math.max(...p));
      labels[i] = batch.labels[k];
    });
    await pause(); // control messages and signals between batches
  }
  return { predictions, probabilities, labels };
}

/** The task's scores of a model on the dev set. */
export async function scoreTask(model: BertModel, data: TaskData, config: RunConfig, pause: Pause = nextTurn): Promise<Scores> {
  const p = await predict(model, data.dev, config.eval.batchSize, pause);
  return scorePredictions(config, data.kind, p.predictions, p.labels);
}
