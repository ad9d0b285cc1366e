// What the UI shows about a dataset before training: size, label balance, the distribution of token
// counts (special tokens included, before truncation) and how many examples the chosen maxLength cuts.
import type { TokenizedDataset } from './batches';

export interface LabelShare {
  label: string;
  count: number;
  /** count / size */
  share: number;
}

export interface LengthPercentiles {
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface DatasetStatistics {
  name: string;
  size: number;
  /** Classification: one entry per class, in label order. */
  labels: LabelShare[];
  /** Regression: range and mean of the scores. */
  scores?: { min: number; max: number; mean: number };
  tokenLengths: LengthPercentiles;
  maxLength: number;
  truncatedCount: number;
  truncatedShare: number;
}

/** The q-th percentile (0..100) of sorted values, linearly interpolated between ranks (numpy's default). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  if (!(q >= 0 && q <= 100)) throw new Error(`percentile q must be in [0, 100], got ${q}`);
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export function datasetStatistics(tokenized: TokenizedDataset): DatasetStatistics {
  const { dataset, examples, maxLength } = tokenized;
  const size = examples.length;
  if (size === 0) throw new Error(`${dataset.name}: no examples`);
  const lengths = examples.map((e) => e.fullLength).sort((a, b) => a - b);
  const truncatedCount = examples.filter((e) => e.truncated).length;
  const stats: DatasetStatistics = {
    name: dataset.name,
    size,
    labels: [],
    tokenLengths: {
      min: lengths[0],
      p50: percentile(lengths, 50),
      p90: percentile(lengths, 90),
      p95: percentile(lengths, 95),
      p99: percentile(lengths, 99),
      max: lengths[size - 1],
      mean: lengths.reduce((a, b) => a + b, 0) / size,
    },
    maxLength,
    truncatedCount,
    truncatedShare: truncatedCount / size,
  };
  if (dataset.kind === 'regression') {
    const scores = dataset.examples.map((e) => e.label);
    stats.scores = { min: scores.reduce((a, b) => Math.min(a, b)), max: scores.reduce((a, b) => Math.max(a, b)), mean: scores.reduce((a, b) => a + b, 0) / size };
  } else {
    const counts = new Array<number>(dataset.labelNames.length).fill(0);
    for (const e of dataset.examples) counts[e.label] += 1;
    stats.labels = dataset.labelNames.map((label, i) => ({ label, count: counts[i], share: counts[i] / size }));
  }
  return stats;
}
