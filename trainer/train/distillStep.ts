// One distillation step (docs/lrc-bert.md, "Gradient perturbation"):
//   teacher forward on the clean input (eval mode, outside any gradient: the teacher gets none);
//   epsilon > 0: student forward from E = embed(clean input) (training mode, seeded dropout), L_total,
//     G = dL_total/dE, delta = epsilon * G / |G|_2 per sample (a constant from here on);
//     student forward again from E + delta (E recomputed with the same dropout seed, so gradients reach the
//     embeddings through E), L_total(E + delta) back-propagated to every student parameter and projection;
//   epsilon = 0: one student forward on the clean input and its L_total back-propagated;
//   clip by global norm, AdamW update at the scheduled learning rate.
// Both passes use the same dropout seed, so the perturbation is the only difference between them.
import * as tf from '@tensorflow/tfjs';
import { lossValues, totalLoss, type LossValues, type TotalLoss } from '../losses/total';
import type { BertInputs, BertOutput } from '../model/types';
import { learningRateAt } from '../optim/schedule';
import { checkBatch, type TrainingBatch } from './batch';
import type { Distillation } from './distillation';
import { perturbationStep } from './perturbation';
import type { StepWeights } from './stages';

export interface DistillStepResult {
  /** 0-based index of this optimiser step. */
  step: number;
  /** Stage, alpha, beta, gamma, T and epsilon this step used. */
  weights: StepWeights;
  learningRate: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Loss terms on the clean input. */
  clean: LossValues;
  /** Loss terms on the perturbed embedding (epsilon > 0 only); the parameters were updated from these. */
  perturbed?: LossValues;
}

export interface DistillStepOptions {
  /** 0-based index of the optimiser step: drives the learning rate and the stage. */
  step: number;
  /** Seed of this step's dropout masks (the same for the clean and the perturbed pass). */
  dropoutSeed: number;
}

/** The teacher's output on the clean input, eval mode, outside any gradient (the teacher gets none). */
export function teacherForward(d: Distillation, inputs: BertInputs): BertOutput {
  return tf.tidy(() => {
    const out = d.teacher.forward(inputs, { training: false });
    return { logits: out.logits, hiddenStates: out.hiddenStates };
  });
}

/** A function of the student's output giving L_total against the teacher, with this step's weights. */
function lossAgainst(d: Distillation, batch: TrainingBatch, teacher: BertOutput, weights: StepWeights) {
  return (student: BertOutput): TotalLoss => totalLoss(
    { student, teacher, attentionMask: batch.inputs.attentionMask, labels: batch.labels, mapping: d.mapping, projections: d.projections.weights },
    weights,
    d.loss,
  );
}

/**
 * Steps 1-2 of the perturbation: E = the student's embedding output of the clean input (training mode,
 * dropout from `dropoutSeed`), L_total of the forward pass from E, and G = dL_total/dE (B, L, H).
 */
export function embeddingGradient(
  d: Distillation, batch: TrainingBatch, teacher: BertOutput, weights: StepWeights, dropoutSeed: number,
): { gradient: tf.Tensor3D; clean: LossValues } {
  const lossOf = lossAgainst(d, batch, teacher, weights);
  let clean: LossValues | undefined;
  const gradient = tf.tidy(() => {
    const e = d.student.embed(batch.inputs, true, dropoutSeed); // (B, L, H)
    return tf.grad((x: tf.Tensor) => {
      const loss = lossOf(d.student.forward(batch.inputs, { training: true, embeddingOutput: x as tf.Tensor3D, dropoutSeed }));
      clean = lossValues(loss);
      return loss.total;
    })(e) as tf.Tensor3D; // (B, L, H)
  });
  return { gradient, clean: clean! };
}

export function distillationStep(d: Distillation, batch: TrainingBatch, { step, dropoutSeed }: DistillStepOptions): DistillStepResult {
  const weights = d.stages.weightsAt(step);
  const learningRate = learningRateAt(step, d.learningRate);
  checkBatch(batch, d.student.config.num_labels);
  const { inputs } = batch;
  const variables = [...d.student.trainableVariables, ...d.projections.trainableVariables];
  const teacher = teacherForward(d, inputs);
  const lossOf = lossAgainst(d, batch, teacher, weights);

  let clean: LossValues | undefined;
  let perturbed: LossValues | undefined;
  let grads: tf.NamedTensorMap = {};
  let value: tf.Scalar | undefined;
  let delta: tf.Tensor3D | undefined;
  try {
    // Inside tf.variableGrads (which tidies up all but the returned scalar): L_total of a student forward
    // pass, from the clean input or from a given embedding output, its terms read out for the log.
    const lossFrom = (embedding: tf.Tensor3D | undefined, log: (v: LossValues) => void): tf.Scalar => {
      const loss = lossOf(d.student.forward(inputs, { training: true, embeddingOutput: embedding, dropoutSeed }));
      log(lossValues(loss));
      return loss.total;
    };
    if (weights.epsilon > 0) {
      // 1-3: G = dL/dE on the clean input, delta = epsilon * G / |G| per sample, a constant.
      const g = embeddingGradient(d, batch, teacher, weights, dropoutSeed);
      clean = g.clean;
      delta = perturbationStep(g.gradient, weights.epsilon); // (B, L, H)
      g.gradient.dispose();
      // 4: L_total(E + delta) back to every parameter; E is recomputed so that the embeddings get gradients.
      const shift = delta;
      ({ value, grads } = tf.variableGrads(() => {
        const e = d.student.embed(inputs, true, dropoutSeed); // (B, L, H)
        return lossFrom(tf.add(e, shift) as tf.Tensor3D, (v) => { perturbed = v; });
      }, variables));
    } else {
      ({ value, grads } = tf.variableGrads(() => lossFrom(undefined, (v) => { clean = v; }), variables));
    }
    // Clip (global norm), then AdamW at the scheduled learning rate: both over the gradients laid end to end.
    const { gradNorm } = d.optimizer.applyGradients(grads, learningRate, { maxGradNorm: d.maxGradNorm });
    const result: DistillStepResult = { step, weights, learningRate, gradNorm: gradNorm!, clean: clean! };
    if (perturbed) result.perturbed = perturbed;
    return result;
  } finally {
    tf.dispose([teacher.logits, ...teacher.hiddenStates]);
    tf.dispose(Object.values(grads).filter((g): g is tf.Tensor => g != null));
    value?.dispose();
    delta?.dispose();
  }
}
