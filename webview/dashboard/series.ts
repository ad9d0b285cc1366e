// The run's history as columns for the charts: one row per progress record (loss terms clean and
// perturbed, learning rate, throughput), one per evaluation, and the marks (controls, status changes).
// Points arrive in file order; a resumed run repeats steps, and a later point replaces an earlier one.
import type { LossTermsView, MetricPoint, WeightsView } from './protocol';

export const LOSS_TERMS = ['total', 'mid', 'soft', 'hard', 'mlm'] as const;
export type LossTerm = (typeof LOSS_TERMS)[number];

type Column = (number | null)[];

export interface Mark {
  step: number;
  level: 'info' | 'warn' | 'error';
  text: string;
}

export class RunSeries {
  readonly steps: number[] = [];
  readonly stages: number[] = [];
  readonly clean: Record<LossTerm, Column> = { total: [], mid: [], soft: [], hard: [], mlm: [] };
  readonly perturbed: Record<LossTerm, Column> = { total: [], mid: [], soft: [], hard: [], mlm: [] };
  readonly learningRate: number[] = [];
  readonly throughput: number[] = [];
  readonly evalSteps: number[] = [];
  readonly evalMetrics = new Map<string, Column>();
  readonly marks: Mark[] = [];
  primaryMetric: string | undefined;
  lastWeights: WeightsView | undefined;

  add(points: readonly MetricPoint[]): void {
    for (const p of points) {
      if (p.type === 'progress') this.addProgress(p);
      else if (p.type === 'eval') this.addEval(p.step, p.metrics, p.primary);
      else this.marks.push({ step: p.step, level: p.level, text: p.text });
    }
  }

  /** The steps at which the stage went up (the actual start of stage 2, also after "next stage now"). */
  stageStarts(): number[] {
    const out: number[] = [];
    for (let i = 1; i < this.stages.length; i++) {
      if (this.stages[i] > this.stages[i - 1]) out.push(this.steps[i - 1]);
    }
    return out;
  }

  /** Loss terms that have at least one value, clean and perturbed. */
  presentTerms(): { clean: LossTerm[]; perturbed: LossTerm[] } {
    const has = (c: Column) => c.some((v) => v !== null);
    return { clean: LOSS_TERMS.filter((t) => has(this.clean[t])), perturbed: LOSS_TERMS.filter((t) => has(this.perturbed[t])) };
  }

  get lastStep(): number {
    return this.steps.length ? this.steps[this.steps.length - 1] : 0;
  }

  private addProgress(p: Extract<MetricPoint, { type: 'progress' }>): void {
    // A resumed run starts again at its checkpoint: drop what came after it.
    while (this.steps.length && this.steps[this.steps.length - 1] >= p.step) this.popProgress();
    this.steps.push(p.step);
    this.stages.push(p.stage);
    pushTerms(this.clean, p.clean);
    pushTerms(this.perturbed, p.perturbed);
    this.learningRate.push(p.learningRate);
    this.throughput.push(p.examplesPerSecond);
    if (p.weights) this.lastWeights = p.weights;
  }

  private popProgress(): void {
    this.steps.pop();
    this.stages.pop();
    for (const t of LOSS_TERMS) {
      this.clean[t].pop();
      this.perturbed[t].pop();
    }
    this.learningRate.pop();
    this.throughput.pop();
  }

  private addEval(step: number, metrics: Record<string, number>, primary: string): void {
    this.primaryMetric = primary;
    let at = this.evalSteps.length;
    while (at > 0 && this.evalSteps[at - 1] >= step) at--;
    if (at < this.evalSteps.length) {
      this.evalSteps.splice(at);
      for (const c of this.evalMetrics.values()) c.splice(at);
    }
    this.evalSteps.push(step);
    for (const name of Object.keys(metrics)) if (!this.evalMetrics.has(name)) this.evalMetrics.set(name, new Array(this.evalSteps.length - 1).fill(null));
    for (const [name, c] of this.evalMetrics) c.push(metrics[name] ?? null);
  }
}

function pushTerms(target: Record<LossTerm, Column>, terms: LossTermsView | undefined): void {
  for (const t of LOSS_TERMS) target[t].push(terms?.[t] ?? null);
}
