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
  const num = (t: tf.Scalar): number => t.dataSync()[0];
  const v: LossValues = { total: num(loss.total) };
  if (loss.mid) v.mid = num(loss.mid);
  if (loss.midPerLayer) v.midPerLayer = loss.midPerLayer.map(num);
  if (loss.distance) v.distance = loss.distance.map(num);
  if (loss.soft) v.soft = num(loss.soft);
  if (loss.hard) v.hard = num(loss.hard);
  return v;
}

export function disposeTotalLoss(loss: TotalLoss): void {
  tf.dispose([loss.total, loss.mid, loss.soft, loss.hard, ...(loss.midPerLayer ?? []), ...(loss.distance ?? [])].filter((t): t is tf.Scalar => t !== undefined));
}
