// Models, a distillation and batches for the benchmarks: freshly initialised weights (the speed does
// not depend on the values) and random token ids with every position real (no padding), so that a
// batch costs what its shape says.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_LOSS_CONFIG } from '../../trainer/losses/config';
import { Bert } from '../../trainer/model/bert';
import type { BertInputs } from '../../trainer/model/types';
import { DEFAULT_OPTIM_CONFIG } from '../../trainer/optim/config';
import type { TrainingBatch } from '../../trainer/train/batch';
import { createDistillation, disposeDistillation, type Distillation } from '../../trainer/train/distillation';
import { DEFAULT_STAGE_CONFIG } from '../../trainer/train/stages';
import { SeededRandom } from '../../trainer/util/random';
import { bertConfig, type BenchShapes, type ModelShape } from './shapes';

export function buildModel(shape: ModelShape, shapes: BenchShapes, options: { trainable: boolean; seed: number }): Bert {
  return new Bert(bertConfig(shape, shapes.vocab, shapes.labels), { seed: options.seed, trainable: options.trainable, name: `bench-${options.trainable ? 's' : 't'}${options.seed}` });
}

export interface BenchDistillation {
  d: Distillation;
  dispose(): void;
}

/**
 * Teacher and student of these shapes in an LRC distillation with the paper's defaults, in stage 2
 * (alpha:beta:gamma 1:1:3, every loss term) with the gradient perturbation (epsilon 1): the costliest
 * step, and the one the paper's runs end with.
 */
export function buildDistillation(shapes: BenchShapes, totalSteps = 1000): BenchDistillation {
  const teacher = buildModel(shapes.teacher, shapes, { trainable: false, seed: 1 });
  const student = buildModel(shapes.student, shapes, { trainable: true, seed: 2 });
  const d = createDistillation(teacher, student, {
    loss: DEFAULT_LOSS_CONFIG,
    optim: DEFAULT_OPTIM_CONFIG,
    stages: { ...DEFAULT_STAGE_CONFIG, split: 0 },
    totalSteps,
    seed: 3,
  });
  return { d, dispose: () => { disposeDistillation(d); teacher.dispose(); student.dispose(); } };
}

/** Random ids in 1..vocab-1 ([CLS]-free: the position of a token does not change its cost), all real. */
export function syntheticInputs(batch: number, seq: number, vocab: number, seed: number): BertInputs {
  const random = new SeededRandom(seed);
  const ids = Int32Array.from({ length: batch * seq }, () => 1 + Math.floor(random.next() * (vocab - 1)));
  return {
    inputIds: tf.tensor2d(ids, [batch, seq], 'int32'), // (B, L)
    attentionMask: tf.ones([batch, seq], 'int32') as tf.Tensor2D, // (B, L)
    tokenTypeIds: tf.zeros([batch, seq], 'int32') as tf.Tensor2D, // (B, L)
  };
}

export function syntheticBatch(shapes: BenchShapes, seed: number): TrainingBatch {
  const inputs = syntheticInputs(shapes.batch, shapes.seq, shapes.vocab, seed);
  const labels = tf.tensor1d(Array.from({ length: shapes.batch }, (_, i) => i % shapes.labels), 'int32');
  return { inputs, labels };
}

export function disposeBatch(b: TrainingBatch): void {
  tf.dispose([b.inputs.inputIds, b.inputs.attentionMask, b.inputs.tokenTypeIds, b.labels]);
}
