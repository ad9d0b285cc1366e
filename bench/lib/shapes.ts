// The model shapes the benchmarks run: the paper's (BERT-base teacher, TinyBERT-4 student, BERT's
// vocabulary, sequence 128, batch 16), the demo's (trainer/cli/demo.ts DEMO, its built vocabulary) and
// the GLUE experiments' (experiments/configs: teacher 4x128, student 2x24, BERT's vocabulary, sequence 64,
// the evaluation batch of 32).
import { DEMO } from '../../trainer/cli/demo';
import { parseBertConfig } from '../../trainer/model/config';
import type { BertConfig } from '../../trainer/model/types';

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
}

export interface BenchShapes {
  name: 'paper' | 'demo' | 'glue';
  teacher: ModelShape;
  student: ModelShape;
  vocab: number;
  /** Sequence length L (every token real: no padding). */
  seq: number;
  batch: number;
  labels: number;
}

export const PAPER_SHAPES: BenchShapes = {
  name: 'paper',
  teacher: { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
  student: { layers: 4, hidden: 312, heads: 12, intermediate: 1200 },
  vocab: 30522,
  seq: 128,
  batch: 16,
  labels: 2,
};

const shapeOf = (s: typeof DEMO.teacher): ModelShape => ({ layers: s.layers, hidden: s.hidden, heads: s.heads, intermediate: s.intermediate });

export const DEMO_SHAPES: BenchShapes = {
  name: 'demo',
  teacher: shapeOf(DEMO.teacher),
  student: shapeOf(DEMO.student),
  vocab: DEMO.builtVocabSize,
  seq: DEMO.maxLength,
  batch: DEMO.studentOptim.batchSize,
  labels: 2,
};

export const GLUE_SHAPES: BenchShapes = {
  name: 'glue',
  teacher: { layers: 4, hidden: 128, heads: 4, intermediate: 512 },
  student: { layers: 2, hidden: 24, heads: 2, intermediate: 96 },
  vocab: 30522,
  seq: 64,
  batch: 32,
  labels: 2,
};

export function describeShape(s: ModelShape): string {
  return `${s.layers}x${s.hidden}, ${s.heads} heads, FFN ${s.intermediate}`;
}

/** A BERT config of this shape; dropout 0.1 as BERT's. */
export function bertConfig(shape: ModelShape, vocab: number, labels: number): BertConfig {
  return parseBertConfig({
    vocab_size: vocab,
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    intermediate_size: shape.intermediate,
    max_position_embeddings: 512,
    num_labels: labels,
  }, `benchmark shape ${describeShape(shape)}`);
}

/** Parameters of a BertForSequenceClassification of this shape (the count the checkpoint holds). */
export function parameterCount(shape: ModelShape, vocab: number, labels: number, maxPositions = 512, typeVocab = 2): number {
  const H = shape.hidden;
  const F = shape.intermediate;
  const embeddings = (vocab + maxPositions + typeVocab) * H + 2 * H;
  const layer = 4 * (H * H + H) + 2 * H + (H * F + F) + (F * H + H) + 2 * H;
  const head = H * H + H + H * labels + labels;
  return embeddings + shape.layers * layer + head;
}
