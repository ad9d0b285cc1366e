// The learned projections W_i in R^{d x d'}, one per mapped student layer: z^s = H_i^s W_i maps the
// student's hidden size d to the teacher's d'. They are trained together with the student, saved in
// checkpoints under `projection.<k>.weight` (k = 0-based position in the layer mapping), stored (d, d').
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../util/random';

export interface ProjectionOptions {
  /** Number of mapped student layers (one projection each). */
  count: number;
  /** Student hidden size d. */
  studentHidden: number;
  /** Teacher hidden size d'. */
  teacherHidden: number;
  /** Seed of the initial weights. */
  seed: number;
  /** Standard deviation of the normal initialisation (BERT's initializer_range, default 0.02). */
  initStd?: number;
}

export const DEFAULT_PROJECTION_INIT_STD = 0.02;

/** H (B, L, d) times W (d, d') -> (B, L, d'); or M at once: H (M, B, L, d) times W (M, d, d') -> (M, B, L, d'). */
export function projectHidden<T extends tf.Tensor3D | tf.Tensor4D>(hidden: T, projection: tf.Tensor2D | tf.Tensor3D): T {
  const lead = hidden.shape.slice(0, -3);
  const [b, l, d] = hidden.shape.slice(-3);
  if (projection.shape[projection.rank - 2] !== d || projection.rank !== hidden.rank - 1 || projection.shape.slice(0, -2).join(',') !== lead.join(',')) {
    throw new Error(`projectHidden: hidden state is [${hidden.shape}] but the projection is [${projection.shape}] (expected first size ${d})`);
  }
  return tf.tidy(() => {
    const flat = tf.reshape<tf.Rank>(hidden, [...lead, b * l, d]); // (..., B*L, d)
    return tf.reshape<tf.Rank>(tf.matMul(flat as tf.Tensor2D, projection as tf.Tensor2D), [...lead, b, l, projection.shape[projection.rank - 1]]) as T; // (..., B, L, d')
  });
}

export function projectionName(index: number): string {
  return `projection.${index}.weight`;
}

/** The projections W_0 .. W_{count-1} as trainable tf.Variables. */
export class Projections {
  readonly weights: tf.Variable<tf.Rank.R2>[];

  constructor(readonly options: ProjectionOptions) {
    const { count, studentHidden, teacherHidden, seed } = options;
    const std = options.initStd ?? DEFAULT_PROJECTION_INIT_STD;
    for (const [field, value] of [['count', count], ['studentHidden', studentHidden], ['teacherHidden', teacherHidden]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`Projections: ${field} must be a positive integer, got ${value}`);
    }
    if (!(std > 0)) throw new Error(`Projections: initStd must be > 0, got ${std}`);
    const random = new SeededRandom(seed);
    this.weights = [];
    for (let k = 0; k < count; k++) {
      const init = tf.randomNormal([studentHidden, teacherHidden], 0, std, 'float32', random.nextSeed()) as tf.Tensor2D; // (d, d')
      this.weights.push(tf.variable(init, true));
      init.dispose();
    }
  }

  get trainableVariables(): tf.Variable[] {
    return this.weights;
  }

  /** Each W_k under `projection.<k>.weight`, in mapping order. */
  namedWeights(): Map<string, tf.Variable> {
    return new Map(this.weights.map((w, k) => [projectionName(k), w]));
  }

  /** H_i^s W_k for the k-th mapped layer: (B, L, d) -> (B, L, d'). */
  project(k: number, hidden: tf.Tensor3D): tf.Tensor3D {
    const w = this.weights[k];
    if (!w) throw new Error(`Projections: no projection ${k}, there are ${this.weights.length}`);
    return projectHidden(hidden, w);
  }

  dispose(): void {
    for (const w of this.weights) w.dispose();
  }
}
