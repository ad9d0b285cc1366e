// A tiny teacher (4 x 16), two tiny students (2 x 8, with their own projections), a small evaluation
// set, and plain-JS references: the hidden states of each example run alone and unpadded, then
// projected, vectorised, g and the MSE computed with ordinary numbers.
import * as tf from '@tensorflow/tfjs';
import type { TokenizedDataset } from '../../../trainer/data/batches';
import type { TextDataset } from '../../../trainer/data/types';
import type { AnalysisStudent } from '../../../trainer/analysis';
import { resolveLayerMapping } from '../../../trainer/losses/layerMapping';
import { Projections } from '../../../trainer/losses/projections';
import { Bert } from '../../../trainer/model';
import type { BertConfig, BertModel } from '../../../trainer/model/types';
import { makeExamples, SEQ_LEN, tinyConfig } from '../train/tinyTask';

export { SEQ_LEN };

/** Weights large enough (std 0.2) that layers and models differ visibly. */
export function tinyModel(layers: number, hidden: number, seed: number, overrides: Partial<BertConfig> = {}): Bert {
  return new Bert(tinyConfig(layers, hidden, { initializer_range: 0.2, ...overrides }), { seed, trainable: false });
}

export interface TinyStudent extends AnalysisStudent {
  projectionsOwner: Projections;
}

export function tinyStudent(teacher: BertModel, layers: number, hidden: number, seed: number, overrides: Partial<BertConfig> = {}): TinyStudent {
  const model = tinyModel(layers, hidden, seed, overrides);
  const mapping = resolveLayerMapping('uniform', layers, teacher.config.num_hidden_layers);
  const projectionsOwner = new Projections({ count: mapping.length, studentHidden: hidden, teacherHidden: teacher.config.hidden_size, seed: seed + 100, initStd: 0.3 });
  return { model, mapping, projections: projectionsOwner.weights, projectionsOwner };
}

export function disposeStudent(s: TinyStudent): void {
  s.model.dispose();
  s.projectionsOwner.dispose();
}

/**
 * `count` examples of the tiny task (3..8 tokens); every third is a "pair" whose last two tokens are
 * segment 1. Regression: the label is a score in [0, 5).
 */
export function tinyDataset(count: number, seed: number, kind: 'classification' | 'regression' = 'classification'): TokenizedDataset {
  const raw = makeExamples(count, seed);
  const examples = raw.map((e, n) => {
    const length = e.mask.reduce((a, b) => a + b, 0);
    const inputIds = e.ids.slice(0, length);
    const tokenTypeIds = inputIds.map((_, p) => (n % 3 === 0 && p >= length - 2 ? 1 : 0));
    return { inputIds, tokenTypeIds, fullLength: length, truncated: false };
  });
  const dataset: TextDataset = {
    name: 'tiny dev',
    kind,
    labelNames: kind === 'regression' ? [] : ['no five', 'five'],
    examples: raw.map((e, n) => ({
      id: `dev:${n}`,
      text: `example ${n}: ${examples[n].inputIds.join(' ')}`,
      ...(n % 3 === 0 ? { textPair: `pair ${n}` } : {}),
      label: kind === 'regression' ? e.label * 2.5 + (n % 5) * 0.5 : e.label,
    })),
    source: 'fixture',
  };
  return { dataset, maxLength: SEQ_LEN, padId: 0, examples };
}

export interface ReferenceForward {
  /** [layer][token][dim] */
  hidden: number[][][];
  logits: number[];
}

/** One example through the model alone, unpadded (length = its real tokens). */
export function forwardOne(model: BertModel, data: TokenizedDataset, n: number): ReferenceForward {
  const e = data.examples[n];
  const L = e.inputIds.length;
  return tf.tidy(() => {
    const out = model.forward(
      {
        inputIds: tf.tensor2d([e.inputIds], [1, L], 'int32'),
        attentionMask: tf.ones([1, L], 'int32') as tf.Tensor2D,
        tokenTypeIds: tf.tensor2d([e.tokenTypeIds], [1, L], 'int32'),
      },
      { training: false },
    );
    return { hidden: out.hiddenStates.map((h) => (h.arraySync() as number[][][])[0]), logits: (out.logits.arraySync() as number[][])[0] };
  });
}

export function matrixOf(w: tf.Tensor2D): number[][] {
  return w.arraySync();
}

/** [token][d] x [d][d'] */
export function project(h: number[][], w: number[][]): number[][] {
  return h.map((row) => w[0].map((_, c) => row.reduce((s, v, k) => s + v * w[k][c], 0)));
}

export function vec(h: number[][], mode: 'flatten' | 'cls' | 'mean'): number[] {
  if (mode === 'flatten') return h.flat();
  if (mode === 'cls') return h[0].slice();
  return h[0].map((_, c) => h.reduce((s, row) => s + row[c], 0) / h.length);
}

/** 1 - cos with plain norms (the eps smoothing is far below the tolerance for these vectors). */
export function g(x: number[], y: number[]): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  x.forEach((v, k) => {
    xy += v * y[k];
    xx += v * v;
    yy += y[k] * y[k];
  });
  return 1 - xy / Math.sqrt(xx * yy);
}

/** Mean of squared differences over tokens and dims. */
export function mse(a: number[][], b: number[][]): number {
  let s = 0;
  a.forEach((row, t) => row.forEach((v, c) => (s += (v - b[t][c]) ** 2)));
  return s / (a.length * a[0].length);
}

export function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (tolerance ${tolerance})`);
  }
}
