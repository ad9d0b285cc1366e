// What the session loop needs of the training itself, for the two kinds of run: fine-tuning one model
// on the task (teacher, student alone) and distilling a student from a teacher (lrc, mse).
import * as tf from '@tensorflow/tfjs';
import type { LossValues } from '../losses/total';
import type { BertModel } from '../model/types';
import { AdamW } from '../optim/adamw';
import type { OptimConfig } from '../optim/config';
import type { LinearScheduleOptions } from '../optim/schedule';
import type { TrainingBatch } from '../train/batch';
import { createDistillation, disposeDistillation, type Distillation, type DistillationSettings } from '../train/distillation';
import { distillationStep } from '../train/distillStep';
import { fineTuneStep } from '../train/fineTuneStep';
import { cachedTeacherModel, type TeacherOutputCache } from '../perf/teacherOutputCache';
import { StageSchedule, type StageScheduleState, type StepWeights, type WeightChange } from '../train/stages';
import type { AdamWState } from '../optim/adamw';
import { UserError } from '../server';

export interface StepOutcome {
  stage: number;
  weights?: Omit<StepWeights, 'stage'>;
  clean: LossValues;
  perturbed?: LossValues;
  learningRate: number;
  gradNorm: number;
}

/** What a training checkpoint holds of the core, besides the trained model's weights. */
export interface CoreState {
  projections: Map<string, tf.Variable>;
  optimizer: AdamWState;
  schedule?: StageScheduleState;
}

export interface TrainingCore {
  /** The model being trained. */
  readonly model: BertModel;
  /** Stage of the next step (1 for fine-tuning). */
  stageAt(step: number): number;
  step(batch: TrainingBatch, step: number, dropoutSeed: number): StepOutcome;
  nextStageNow(step: number): void;
  changeWeights(step: number, change: WeightChange): void;
  state(): CoreState;
  restore(state: { optimizer: AdamWState; schedule?: StageScheduleState; projections: Map<string, Float32Array> }): void;
  dispose(): void;
}

/**
 * Assigns the values a checkpoint saved for the weights trained beside the model (CoreState.projections:
 * LRC projections, the MLM head), each by name and size; `what` names them in errors.
 */
export function restoreSideWeights(named: Map<string, tf.Variable>, saved: Map<string, Float32Array>, what: string): void {
  for (const [name, variable] of named) {
    const values = saved.get(name);
    if (!values) throw new UserError(`the checkpoint has no ${name} (${what})`);
    if (values.length !== variable.size) throw new UserError(`the checkpoint's ${name} has ${values.length} values, ${what} ${variable.size}`);
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
  }
}

export class FineTuneCore implements TrainingCore {
  private readonly optimizer: AdamW;
  private readonly maxGradNorm: number;

  constructor(
    readonly model: BertModel,
    optim: OptimConfig,
    private readonly learningRate: LinearScheduleOptions,
  ) {
    this.optimizer = new AdamW(model.namedWeights(), optim);
    this.maxGradNorm = optim.maxGradNorm;
  }

  stageAt(): number {
    return 1;
  }

  step(batch: TrainingBatch, step: number, dropoutSeed: number): StepOutcome {
    const r = fineTuneStep(this.model, this.optimizer, batch, { step, dropoutSeed, learningRate: this.learningRate, maxGradNorm: this.maxGradNorm });
    return { stage: 1, clean: { total: r.loss, hard: r.loss }, learningRate: r.learningRate, gradNorm: r.gradNorm };
  }

  nextStageNow(): void {
    throw new UserError('this run fine-tunes one model and has a single stage: there is no next stage', 'nextStage');
  }

  changeWeights(): void {
    throw new UserError('this run fine-tunes one model on cross-entropy alone: there are no loss weights to change', 'setWeights');
  }

  state(): CoreState {
    return { projections: new Map(), optimizer: this.optimizer.exportState() };
  }

  restore(state: { optimizer: AdamWState }): void {
    this.optimizer.importState(state.optimizer);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

export class DistillCore implements TrainingCore {
  /** Its teacher is the real one: evaluation and analysis read it (every layer, attentions). */
  readonly distillation: Distillation;
  /** useTeacherCache: the cache, and the view of the teacher through it that the step alone uses. */
  private cached?: { cache: TeacherOutputCache; teacher: BertModel };

  constructor(teacher: BertModel, student: BertModel, settings: DistillationSettings) {
    this.distillation = createDistillation(teacher, student, settings);
  }

  get model(): BertModel {
    return this.distillation.student;
  }

  stageAt(step: number): number {
    return this.distillation.stages.weightsAt(step).stage;
  }

  /** From now on the training step's teacher forward goes through `cache` (nothing else's does). */
  useTeacherCache(cache: TeacherOutputCache): void {
    this.cached = { cache, teacher: cachedTeacherModel(this.distillation.teacher, cache) };
  }

  get teacherCache(): TeacherOutputCache | undefined {
    return this.cached?.cache;
  }

  step(batch: TrainingBatch, step: number, dropoutSeed: number): StepOutcome {
    // A fresh view each step: restore() and the controls may replace fields of the distillation.
    const d = this.cached ? { ...this.distillation, teacher: this.cached.teacher } : this.distillation;
    const r = distillationStep(d, batch, { step, dropoutSeed });
    const { stage, ...weights } = r.weights;
    return { stage, weights, clean: r.clean, perturbed: r.perturbed, learningRate: r.learningRate, gradNorm: r.gradNorm };
  }

  nextStageNow(step: number): void {
    this.distillation.stages.nextStageNow(step);
  }

  changeWeights(step: number, change: WeightChange): void {
    this.distillation.stages.change(step, change);
  }

  state(): CoreState {
    return {
      projections: this.distillation.projections.namedWeights(),
      optimizer: this.distillation.optimizer.exportState(),
      schedule: this.distillation.stages.getState(),
    };
  }

  restore(state: { optimizer: AdamWState; schedule?: StageScheduleState; projections: Map<string, Float32Array> }): void {
    const d = this.distillation;
    restoreSideWeights(d.projections.namedWeights(), state.projections, 'the projection');
    d.optimizer.importState(state.optimizer);
    if (state.schedule) d.stages = StageSchedule.fromState(state.schedule);
  }

  dispose(): void {
    disposeDistillation(this.distillation);
    this.cached?.cache.store?.close();
    this.cached?.cache.clear();
  }
}
