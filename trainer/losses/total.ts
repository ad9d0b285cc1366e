// L_total = alpha * L_mid + beta * L_soft + gamma * L_hard. A term whose weight is 0 is not computed;
// every computed term is returned on its own for logging.
import * as tf from '@tensorflow/tfjs';
import type { BertOutput } from '../model/types';
import type { LossConfig } from './config';
import { intermediateLoss } from './intermediate';
import type { LayerPair } from './layerMapping';
import { hardLoss, softLoss } from './prediction';
import { checkLossWeights, type LossWeights } from './weights';

export { checkLossWeights, type LossWeights } from './weights';



export interface TotalLossInputs {
  student: BertOutput;
  /** The teacher's output on the clean input: constants (computed outside any gradient function). */
  teacher: BertOutput;
  attentionMask: tf.Tensor2D;
  /** (B): class ids, or scores for regression. */
  labels: tf.Tensor1D;
  mapping: readonly LayerPair[];
  projections: readonly tf.Tensor2D[];
}

export interface TotalLoss {
  total: tf.Scalar;
  /** alpha > 0 only. */
  mid?: tf.Scalar;
  midPerLayer?: tf.Scalar[];
  /** Batch mean of g(z^t, z^s) per mapped layer ('cosnce' with alpha > 0 only). */
  distance?: tf.Scalar[];
  /** beta > 0 only. */
  soft?: tf.Scalar;
  /** gamma > 0 only. */
  hard?: tf.Scalar;
}


export function totalLoss(inputs: TotalLossInputs, weights: LossWeights, config: LossConfig): TotalLoss {
  checkLossWeights(weights);
  const { student, teacher, attentionMask, labels, mapping, projections } = inputs;
  return tf.tidy(() => {
    const out: Omit<TotalLoss, 'total'> = {};
    const parts: tf.Scalar[] = [];
    if (weights.alpha > 0) {
      const mid = intermediateLoss(
        config.intermediate,
        { studentHidden: student.hiddenStates, teacherHidden: teacher.hiddenStates, mapping, projections, attentionMask, labels },
        { vectorize: config.vectorize, negatives: config.negatives, eps: config.angularEps },
      );
      out.mid = mid.total;
      out.midPerLayer = mid.perLayer;
      if (mid.distance) out.distance = mid.distance;
      parts.push(tf.mul(mid.total, weights.alpha));
    }
    if (weights.beta > 0) {
      out.soft = softLoss(teacher.logits, student.logits, weights.temperature, config.softTimesTSquared);
      parts.push(tf.mul(out.soft, weights.beta));
    }
    if (weights.gamma > 0) {
      out.hard = hardLoss(student.logits, labels);
      parts.push(tf.mul(out.hard, weights.gamma));
    }
    return { ...out, total: tf.addN(parts) as tf.Scalar };
  });
}

/** The scalars of a TotalLoss as numbers, for logging. */
export interface LossValues {
  total: number;
  mid?: number;
  midPerLayer?: number[];
  distance?: number[];
  soft?: number;
  hard?: number;
  /** Masked-language-model loss (pre-training runs). */
  mlm?: number;
}

export function lossValues(loss: TotalLoss): LossValues {
  // Every term in one read (issue 21: each read waits for the backend): stacked, read, taken apart here.
  const scalars: tf.Scalar[] = [loss.total];
  const take = (t: tf.Scalar | undefined): number => (t ? scalars.push(t) - 1 : -1);
  const at = { mid: take(loss.mid), perLayer: (loss.midPerLayer ?? []).map(take), distance: (loss.distance ?? []).map(take), soft: take(loss.soft), hard: take(loss.hard) };
  const stacked = scalars.length === 1 ? undefined : tf.tidy(() => tf.stack(scalars)); // (terms)
  const values = stacked ? stacked.dataSync() : loss.total.dataSync();
  stacked?.dispose();
  const v: LossValues = { total: values[0] };
  if (loss.mid) v.mid = values[at.mid];
  if (loss.midPerLayer) v.midPerLayer = at.perLayer.map((i) => values[i]);
  if (loss.distance) v.distance = at.distance.map((i) => values[i]);
  if (loss.soft) v.soft = values[at.soft];
  if (loss.hard) v.hard = values[at.hard];
  return v;
}

export function disposeTotalLoss(loss: TotalLoss): void {
  tf.dispose([loss.total, loss.mid, loss.soft, loss.hard, ...(loss.midPerLayer ?? []), ...(loss.distance ?? [])].filter((t): t is tf.Scalar => t !== undefined));
}
