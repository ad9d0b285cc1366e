// L_mid: the intermediate-layer loss summed over the mapped layers. 'cosnce' is LRC-BERT's
// (batch-mean COS-NCE per layer); 'mse' is the baseline's (TinyBERT's hidden MSE per layer).
import * as tf from '@tensorflow/tfjs';
import { cosNce, cosNceStacked, type CosNceOptions } from './cosNce';
import { hiddenMse } from './hiddenMse';
import type { LayerPair } from './layerMapping';

export type IntermediateLossKind = 'cosnce' | 'mse';

export interface IntermediateInputs {
  /** The student's hiddenStates: M + 1 entries of (B, L, d), entry 0 the embedding output. */
  studentHidden: tf.Tensor3D[];
  /** The teacher's hiddenStates: N + 1 entries of (B, L, d'). */
  teacherHidden: tf.Tensor3D[];
  mapping: readonly LayerPair[];
  /** W_k (d, d') for mapping entry k. */
  projections: readonly tf.Tensor2D[];
  attentionMask: tf.Tensor2D;
  labels?: tf.Tensor1D;
}

export interface IntermediateLoss {
  /** L_mid. */
  total: tf.Scalar;
  /** Per mapped layer: the layer's loss (COS-NCE or MSE). */
  perLayer: tf.Scalar[];
  /** Per mapped layer: batch mean of g(z^t, z^s) ('cosnce' only). */
  distance?: tf.Scalar[];
}

export function intermediateLoss(kind: IntermediateLossKind, inputs: IntermediateInputs, cosNceOptions: CosNceOptions): IntermediateLoss {
  const { studentHidden, teacherHidden, mapping, projections, attentionMask, labels } = inputs;
  if (projections.length !== mapping.length) {
    throw new Error(`L_mid: ${projections.length} projections for ${mapping.length} mapped layers`);
  }
  for (const { student, teacher } of mapping) {
    if (!studentHidden[student]) throw new Error(`L_mid: student layer ${student} is mapped but the student has ${studentHidden.length - 1} layers`);
    if (!teacherHidden[teacher]) throw new Error(`L_mid: teacher layer ${teacher} is mapped but the teacher has ${teacherHidden.length - 1} layers`);
  }
  if (kind !== 'cosnce' && kind !== 'mse') throw new Error(`L_mid: unknown intermediate loss '${String(kind)}', expected 'cosnce' or 'mse'`);
  return tf.tidy(() => {
    if (kind === 'cosnce' && mapping.length > 1) {
      // Every mapped layer at once (the hidden states of a model all have one shape): the same loss with
      // a few operations instead of a few per layer.
      const stacked = cosNceStacked(
        {
          studentHidden: tf.stack(mapping.map(({ student }) => studentHidden[student])) as tf.Tensor4D, // (M, B, L, d)
          projection: tf.stack(projections as tf.Tensor2D[]) as tf.Tensor3D, // (M, d, d')
          teacherHidden: tf.stack(mapping.map(({ teacher }) => teacherHidden[teacher])) as tf.Tensor4D, // (M, B, L, d')
          attentionMask,
          labels,
        },
        cosNceOptions,
      );
      const perLayer = tf.unstack(stacked.loss) as tf.Scalar[];
      return { total: tf.addN(perLayer) as tf.Scalar, perLayer, distance: tf.unstack(stacked.distance) as tf.Scalar[] };
    }
    const perLayer: tf.Scalar[] = [];
    const distance: tf.Scalar[] = [];
    mapping.forEach(({ student, teacher }, k) => {
      if (kind === 'mse') {
        perLayer.push(hiddenMse(studentHidden[student], projections[k], teacherHidden[teacher], attentionMask));
      } else {
        const layer = cosNce(
          { studentHidden: studentHidden[student], projection: projections[k], teacherHidden: teacherHidden[teacher], attentionMask, labels },
          cosNceOptions,
        );
        perLayer.push(layer.loss);
        distance.push(layer.distance);
      }
    });
    const total = tf.addN(perLayer) as tf.Scalar;
    return kind === 'cosnce' ? { total, perLayer, distance } : { total, perLayer };
  });
}
