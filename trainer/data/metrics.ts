// The GLUE metrics as pure functions of predictions and gold labels, as Hugging Face's `glue` metric
// computes them (scikit-learn's matthews_corrcoef and f1_score, scipy's pearsonr and spearmanr).
import { GLUE_TASKS, type GlueMetricName, type GlueTaskName } from './glueTasks';

function checkLengths(predictions: ArrayLike<number>, labels: ArrayLike<number>, what: string): void {
  if (predictions.length !== labels.length) {
    throw new Error(`${what}: ${predictions.length} predictions for ${labels.length} labels`);
  }
  if (labels.length === 0) throw new Error(`${what}: no examples`);
}

export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(predictions, labels, 'accuracy');
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) right += 1;
  return right / labels.length;
}

/** F1 of the positive class (label 1); 0 when there are no true positives. */
export function f1(predictions: ArrayLike<number>, labels: ArrayLike<number>, positive = 1): number {
  checkLengths(predictions, labels, 'f1');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = predictions[i] === positive;
    const g = labels[i] === positive;
    if (p && g) tp += 1;
    else if (p) fp += 1;
    else if (g) fn += 1;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * Matthews correlation coefficient, for any number of classes (the binary MCC for two):
 * (c * s - sum_k p_k t_k) / sqrt((s^2 - sum_k p_k^2)(s^2 - sum_k t_k^2)), with c correct predictions,
 * s samples, p_k predictions and t_k true labels of class k. 0 when a factor of the denominator is 0.
 */
export function matthewsCorrelation(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths(predictions, labels, 'matthews_correlation');
  const predicted = new Map<number, number>();
  const actual = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    predicted.set(predictions[i], (predicted.get(predictions[i]) ?? 0) + 1);
    actual.set(labels[i], (actual.get(labels[i]) ?? 0) + 1);
    if (predictions[i] === labels[i]) correct += 1;
  }
  const s = labels.length;
  let pt = 0;
  for (const [k, p] of predicted) pt += p * (actual.get(k) ?? 0);
  let pp = 0;
  for (const p of predicted.values()) pp += p * p;
  let tt = 0;
  for (const t of actual.values()) tt += t * t;
  const denominator = Math.sqrt((s * s - pp) * (s * s - tt));
  return denominator === 0 ? 0 : (correct * s - pt) / denominator;
}

/** Pearson correlation; NaN when either side is constant (as scipy). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y, 'pearson');
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]] === values[order[start]]) end += 1;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 .. end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman rank correlation: Pearson of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y, 'spearmanr');
  return pearson(averageRanks(x), averageRanks(y));
}

const METRIC: Record<GlueMetricName, (p: ArrayLike<number>, l: ArrayLike<number>) => number> = {
  matthews_correlation: matthewsCorrelation,
  accuracy,
  f1,
  pearson,
  spearmanr: spearman,
};

export interface GlueScores {
  /** Each metric of the task under Hugging Face's name. */
  metrics: Partial<Record<GlueMetricName, number>>;
  /** The task's GLUE score: its metric, or the mean of its two (MRPC, QQP: accuracy and F1; STS-B: Pearson and Spearman). */
  score: number;
}

/**
 * The GLUE metrics of a task. `predictions` are class indices (the argmax of the logits) for
 * classification and scores for STS-B; `labels` are the gold labels in the same form.
 */
export function glueScores(task: GlueTaskName, predictions: ArrayLike<number>, labels: ArrayLike<number>): GlueScores {
  const metrics: Partial<Record<GlueMetricName, number>> = {};
  for (const name of GLUE_TASKS[task].metrics) metrics[name] = METRIC[name](predictions, labels);
  const values = Object.values(metrics) as number[];
  return { metrics, score: values.reduce((a, b) => a + b, 0) / values.length };
}
