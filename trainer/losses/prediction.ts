// The prediction-layer losses. Classification (num_labels >= 2): L_soft = KL(softmax(y_t/T) || softmax(y_s/T)),
// batch mean, times T^2 by default (so that its gradient keeps its size when T changes, as in Hinton et al.);
// L_hard = cross-entropy against the gold class. Regression (num_labels = 1, e.g. STS-B): both are squared
// errors, L_soft = mean (y_s - y_t)^2 (no temperature) and L_hard = mean (y_s - y)^2.
import * as tf from '@tensorflow/tfjs';

function checkLogits(name: string, logits: tf.Tensor2D, batch?: number): void {
  if (logits.rank !== 2) throw new Error(`${name}: logits must be (B, num_labels), got shape [${logits.shape}]`);
  if (batch !== undefined && logits.shape[0] !== batch) {
    throw new Error(`${name}: logits have batch ${logits.shape[0]} but ${batch} labels were given`);
  }
}

/** Soft loss between teacher and student logits, both (B, C). */
export function softLoss(teacherLogits: tf.Tensor2D, studentLogits: tf.Tensor2D, temperature: number, scaleByTSquared = true): tf.Scalar {
  checkLogits('L_soft (teacher)', teacherLogits);
  checkLogits('L_soft (student)', studentLogits);
  if (teacherLogits.shape.join(',') !== studentLogits.shape.join(',')) {
    throw new Error(`L_soft: teacher logits [${teacherLogits.shape}] and student logits [${studentLogits.shape}] differ`);
  }
  if (!(temperature > 0)) throw new Error(`L_soft: temperature must be > 0, got ${temperature}`);
  return tf.tidy(() => {
    if (studentLogits.shape[1] === 1) return tf.mean(tf.square(tf.sub(studentLogits, teacherLogits))) as tf.Scalar;
    const logPt = tf.logSoftmax(tf.div(teacherLogits, temperature)); // (B, C)
    const logPs = tf.logSoftmax(tf.div(studentLogits, temperature)); // (B, C)
    const kl = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), 1); // (B)
    const mean = tf.mean(kl) as tf.Scalar;
    return scaleByTSquared ? tf.mul(mean, temperature * temperature) : mean;
  });
}

/** Hard loss of logits (B, C) against gold labels (B): class ids for C >= 2, scores for C = 1. */
export function hardLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  checkLogits('L_hard', logits, labels.shape[0]);
  const classes = logits.shape[1];
  return tf.tidy(() => {
    if (classes === 1) {
      const scores = tf.reshape(logits, [-1]); // (B)
      return tf.mean(tf.square(tf.sub(scores, tf.cast(labels, 'float32')))) as tf.Scalar;
    }
    const logP = tf.logSoftmax(logits); // (B, C)
    const gold = tf.oneHot(tf.cast(labels, 'int32'), classes); // (B, C)
    return tf.neg(tf.mean(tf.sum(tf.mul(logP, gold), 1))) as tf.Scalar;
  });
}
