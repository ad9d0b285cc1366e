// One batch of the distance grid, per example: for every student layer i (row) and teacher layer j (column)
//   angular[b][i][j] = g(vec(H_i^s W), vec(H_j^t))   with vec and g of the losses (vectorize.ts, angularDistance.ts)
//   mse[b][i][j]     = mean of (H_i^s W - H_j^t)^2 over example b's real tokens and the d' dimensions
// where W is the row's projection (rowProjections.ts). The MSE is TinyBERT's hidden loss (hiddenMse.ts) for
// one example; over a batch of one the two agree. The values at mapped cells (i, phi(i)) are the case
// records' per-layer distances. Memory: no copy of the teacher's states, and a few (B, L, d') temporaries
// at a time, whatever the number of layers.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ANGULAR_EPS, normalizeRows } from '../losses/angularDistance';
import { projectHidden } from '../losses/projections';
import { tokenMask3d, vectorizeHidden, type VectorizeMode } from '../losses/vectorize';
import type { RowProjection } from './rowProjections';

export interface LayerDistanceInputs {
  /** The student's hiddenStates: M + 1 entries of (B, L, d). */
  studentHidden: readonly tf.Tensor3D[];
  /** The teacher's hiddenStates: N + 1 entries of (B, L, d'). */
  teacherHidden: readonly tf.Tensor3D[];
  /** One per student layer 0..M (rowProjections). */
  rows: readonly RowProjection[];
  /** W_k (d, d') of mapping entry k. */
  projections: readonly tf.Tensor2D[];
  /** (B, L), 1 = real token. */
  attentionMask: tf.Tensor2D;
}

export interface LayerDistanceOptions {
  vectorize: VectorizeMode;
  /** eps of the smoothed norms of g. */
  eps?: number;
}

/** [i][j] for one example; a skipped row is null. */
export type ExampleGrid = (number[] | null)[];

export interface BatchLayerDistances {
  /** Per example b: the grid of g. */
  angular: ExampleGrid[];
  /** Per example b: the grid of the MSE. */
  mse: ExampleGrid[];
}

function checkInputs(inputs: LayerDistanceInputs): void {
  const { studentHidden, teacherHidden, rows, projections, attentionMask } = inputs;
  if (rows.length !== studentHidden.length) {
    throw new Error(`distance grid: ${rows.length} row projections for ${studentHidden.length} student hidden states (layers 0..${studentHidden.length - 1})`);
  }
  if (teacherHidden.length === 0) throw new Error('distance grid: no teacher hidden states');
  const [b, l] = attentionMask.shape;
  const dTeacher = teacherHidden[0].shape[2];
  for (const [who, states] of [['student', studentHidden], ['teacher', teacherHidden]] as const) {
    states.forEach((h, i) => {
      if (h.rank !== 3 || h.shape[0] !== b || h.shape[1] !== l) {
        throw new Error(`distance grid: ${who} hidden state ${i} has shape [${h.shape}] but the attention mask is [${attentionMask.shape}]`);
      }
      if (who === 'teacher' && h.shape[2] !== dTeacher) throw new Error(`distance grid: teacher hidden state ${i} has width ${h.shape[2]}, state 0 has ${dTeacher}`);
    });
  }
  rows.forEach((row, i) => {
    if (row === null) return;
    const d = studentHidden[i].shape[2];
    if (row === 'identity') {
      if (d !== dTeacher) throw new Error(`distance grid: student layer ${i} has width ${d}, the teacher ${dTeacher}; it needs a projection, not identity`);
      return;
    }
    const w = projections[row.projection];
    if (!w) throw new Error(`distance grid: student layer ${i} uses projection ${row.projection} but there are ${projections.length}`);
    if (w.shape[0] !== d || w.shape[1] !== dTeacher) {
      throw new Error(`distance grid: projection ${row.projection} is [${w.shape}] but student layer ${i} needs [${d},${dTeacher}]`);
    }
  });
}

/** Every (row, column) value of every example of the batch, as plain numbers. */
export function batchLayerDistances(inputs: LayerDistanceInputs, options: LayerDistanceOptions): BatchLayerDistances {
  checkInputs(inputs);
  const { studentHidden, teacherHidden, rows, projections, attentionMask } = inputs;
  const eps = options.eps ?? DEFAULT_ANGULAR_EPS;
  const [B] = attentionMask.shape;
  const C = teacherHidden.length;
  const dTeacher = teacherHidden[0].shape[2];
  const computed = rows.flatMap((row, i) => (row === null ? [] : [i]));

  const flatten = options.vectorize === 'flatten';
  const eps2 = eps * eps;

  const values = tf.tidy(() => {
    const mask3 = tokenMask3d(attentionMask); // (B, L, 1)
    const denominator = tf.mul(tf.maximum(tf.sum(mask3, [1, 2]), 1), dTeacher); // (B) real tokens x d'
    // Teacher columns. 'flatten': only the smoothed norms |vec(H_j^t)|_eps (B), no copy of the states;
    // 'cls' / 'mean': the unit vectors (B, d'), which are small.
    const teacherNorm = flatten ? teacherHidden.map((h) => tf.sqrt(tf.add(tf.sum(tf.mul(tf.square(h), mask3), [1, 2]), eps2))) : []; // C x (B)
    const teacherUnit = flatten ? [] : teacherHidden.map((h) => normalizeRows(vectorizeHidden(h, attentionMask, options.vectorize), eps)); // C x (B, d')
    // Per computed row, inside its own tidy (and each cell inside another), so that at most a few
    // (B, L, d') intermediates live at once: (C, B) of g and (C, B) of the MSE, owned by the outer tidy.
    const perRow = computed.map((i) =>
      tf.tidy(() => {
        const row = rows[i]!;
        const projected = row === 'identity' ? studentHidden[i] : projectHidden(studentHidden[i], projections[row.projection]); // (B, L, d')
        const masked = tf.mul(projected, mask3); // (B, L, d'): vec 'flatten' before its reshape (padding rows zero)
        const norm = flatten ? tf.sqrt(tf.add(tf.sum(tf.square(masked), [1, 2]), eps2)) : undefined; // (B)
        const unit = flatten ? undefined : normalizeRows(vectorizeHidden(projected, attentionMask, options.vectorize), eps); // (B, d')
        const angular: tf.Tensor[] = [];
        const mse: tf.Tensor[] = [];
        for (let j = 0; j < C; j++) {
          const [a, m] = tf.tidy(() => {
            // g = 1 - x.y / (|x|_eps |y|_eps): normalizeRows' smoothing, without materialising the unit vectors.
            const cos = flatten
              ? tf.div(tf.sum(tf.mul(masked, teacherHidden[j]), [1, 2]), tf.mul(norm!, teacherNorm[j])) // (B)
              : tf.sum(tf.mul(unit!, teacherUnit[j]), 1); // (B)
            const squared = tf.sum(tf.mul(tf.square(tf.sub(masked, teacherHidden[j])), mask3), [1, 2]); // (B)
            return [tf.sub(1, cos), tf.div(squared, denominator)];
          });
          angular.push(a);
          mse.push(m);
        }
        return [tf.stack(angular), tf.stack(mse)]; // 2 x (C, B)
      }),
    );
    if (computed.length === 0) return tf.zeros([0, B]);
    return tf.concat([...perRow.map((r) => r[0]), ...perRow.map((r) => r[1])]); // (2 * rows * C, B)
  });
  const flat = values.dataSync();
  values.dispose();

  const half = computed.length * C * B;
  const grid = (offset: number): ExampleGrid[] =>
    Array.from({ length: B }, (_, b) => {
      const perExample: ExampleGrid = rows.map(() => null);
      computed.forEach((i, r) => {
        perExample[i] = Array.from({ length: C }, (_, j) => flat[offset + (r * C + j) * B + b]);
      });
      return perExample;
    });
  return { angular: grid(0), mse: grid(half) };
}
