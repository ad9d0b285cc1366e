// The two-stage schedule of LRC-BERT: stage 1 (the first `split` share of the optimiser steps) trains the
// intermediate layers only (alpha:beta:gamma = 1:0:0), stage 2 adds the prediction layer (1:1:3), T = 1.1,
// perturbation epsilon = 1.0. A running job can move to stage 2 now, or change the weights, T and epsilon
// between steps; `weightsAt(step)` is a pure function of the state those requests leave.
import { checkLossWeights } from '../losses/weights';

export interface StageWeights {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface StageConfig {
  /** Share of the optimiser steps in stage 1, in [0, 1] (0 = stage 2 only, 1 = stage 1 only). */
  split: number;
  /** Weights of stage 1 and stage 2. */
  stage1: StageWeights;
  stage2: StageWeights;
  /** Temperature T of L_soft. */
  temperature: number;
  /** Gradient perturbation size epsilon; 0 = off. */
  epsilon: number;
}

export const DEFAULT_STAGE_CONFIG: Readonly<StageConfig> = {
  split: 0.8,
  stage1: { alpha: 1, beta: 0, gamma: 0 },
  stage2: { alpha: 1, beta: 1, gamma: 3 },
  temperature: 1.1,
  epsilon: 1.0,
};

/** What the step at a given index trains with. */
export interface StepWeights extends StageWeights {
  stage: 1 | 2;
  temperature: number;
  epsilon: number;
}

/** Everything the schedule's state holds, to save in a checkpoint and restore. */
export interface StageScheduleState {
  totalSteps: number;
  /** First step (0-based) of stage 2. */
  stage2Start: number;
  stage1: StageWeights;
  stage2: StageWeights;
  temperature: number;
  epsilon: number;
}

export interface WeightChange {
  alpha?: number;
  beta?: number;
  gamma?: number;
  temperature?: number;
  epsilon?: number;
}

function checkEpsilon(epsilon: number): void {
  if (!Number.isFinite(epsilon) || epsilon < 0) throw new Error(`perturbation epsilon must be a finite number >= 0 (0 = off), got ${epsilon}`);
}

export class StageSchedule {
  private state: StageScheduleState;

  constructor(totalSteps: number, config: StageConfig = DEFAULT_STAGE_CONFIG) {
    if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new Error(`two-stage schedule: total steps must be an integer >= 1, got ${totalSteps}`);
    if (!(config.split >= 0 && config.split <= 1)) throw new Error(`two-stage schedule: split must be in [0, 1], got ${config.split}`);
    const state: StageScheduleState = {
      totalSteps,
      stage2Start: Math.round(config.split * totalSteps),
      stage1: { ...config.stage1 },
      stage2: { ...config.stage2 },
      temperature: config.temperature,
      epsilon: config.epsilon,
    };
    StageSchedule.check(state);
    this.state = state;
  }

  static fromState(state: StageScheduleState): StageSchedule {
    const s = new StageSchedule(state.totalSteps);
    StageSchedule.check(state);
    s.state = structuredClone(state);
    return s;
  }

  private static check(s: StageScheduleState): void {
    if (!Number.isInteger(s.stage2Start) || s.stage2Start < 0) throw new Error(`two-stage schedule: stage 2 start must be an integer >= 0, got ${s.stage2Start}`);
    for (const [name, w] of [['stage 1', s.stage1], ['stage 2', s.stage2]] as const) {
      try {
        checkLossWeights({ ...w, temperature: s.temperature });
      } catch (e) {
        throw new Error(`two-stage schedule, ${name}: ${(e as Error).message}`);
      }
    }
    checkEpsilon(s.epsilon);
  }

  /** The weights, T and epsilon of step `step` (0-based). Pure: depends on the state only. */
  weightsAt(step: number): StepWeights {
    if (!Number.isInteger(step) || step < 0) throw new Error(`two-stage schedule: step must be an integer >= 0, got ${step}`);
    const stage = step < this.state.stage2Start ? 1 : 2;
    const w = stage === 1 ? this.state.stage1 : this.state.stage2;
    return { stage, ...w, temperature: this.state.temperature, epsilon: this.state.epsilon };
  }

  /** First step of stage 2. */
  get stage2Start(): number {
    return this.state.stage2Start;
  }

  /** The request "move to the next stage now": stage 2 starts at `step` (the next step to run). */
  nextStageNow(step: number): void {
    if (!Number.isInteger(step) || step < 0) throw new Error(`two-stage schedule: step must be an integer >= 0, got ${step}`);
    if (step >= this.state.stage2Start) throw new Error(`two-stage schedule: already in stage 2 at step ${step} (it began at step ${this.state.stage2Start})`);
    this.state.stage2Start = step;
  }

  /**
   * Changes alpha, beta, gamma of the stage that `step` (the next step to run) belongs to, and T and
   * epsilon for the rest of the run.
   */
  change(step: number, change: WeightChange): void {
    const stage = this.weightsAt(step).stage;
    const next: StageScheduleState = structuredClone(this.state);
    const w = stage === 1 ? next.stage1 : next.stage2;
    if (change.alpha !== undefined) w.alpha = change.alpha;
    if (change.beta !== undefined) w.beta = change.beta;
    if (change.gamma !== undefined) w.gamma = change.gamma;
    if (change.temperature !== undefined) next.temperature = change.temperature;
    if (change.epsilon !== undefined) next.epsilon = change.epsilon;
    StageSchedule.check(next);
    this.state = next;
  }

  getState(): StageScheduleState {
    return structuredClone(this.state);
  }
}
