// How the analysis panels write numbers, labels and predictions. Pure, no DOM.
import type { Num, PredictionView } from './protocol';

/** A value with `digits` significant digits; "–" when missing. Small and large values in exponent form. */
export function formatValue(v: Num | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** A value with a fixed number of decimals; "–" when missing. */
export function formatFixed(v: Num | undefined, decimals = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(decimals);
}

/** The class name of a label id, or the id when the task has no names. */
export function labelName(labelNames: readonly string[], label: Num | undefined): string {
  if (label === null || label === undefined) return '–';
  return labelNames[label] ?? String(label);
}

/** "pos 0.91" (class and its probability), or the score of a regression task. */
export function predictionText(p: PredictionView | undefined, labelNames: readonly string[]): string {
  if (!p) return '–';
  if (!p.probabilities) return formatValue(p.prediction, 4);
  const prob = p.prediction === null ? null : (p.probabilities[p.prediction] ?? null);
  return `${labelName(labelNames, p.prediction)} ${formatFixed(prob, 2)}`;
}
