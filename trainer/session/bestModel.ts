// Which evaluation becomes the run's best model: a finite score, better than the best so far, of a
// model whose prediction layer has trained (a distilled student in stage 1 has an untrained pooler and
// classifier, whose dev score is chance or its mirror image). Metrics that are not numbers (the
// correlation of constant predictions) are left out of what is logged and sent.
import type { Scores } from './taskData';

export interface BestSoFar {
  metric: string;
  value: number;
  step: number;
}

export interface Judged {
  metrics: Record<string, number>;
  /** The primary metric, null when it is not a finite number. */
  score: number | null;
  candidate: boolean;
  isBest: boolean;
}

export function judgeEvaluation(scores: Scores, predictionTrained: boolean, best: BestSoFar | undefined): Judged {
  const score = Number.isFinite(scores.score) ? scores.score : null;
  const metrics = Object.fromEntries(Object.entries(scores.metrics).filter(([, v]) => Number.isFinite(v)));
  const candidate = predictionTrained && score !== null;
  return { metrics, score, candidate, isBest: candidate && (!best || score! > best.value) };
}
