// Everything a distillation run updates between steps: the two models, the projections W_i, the layer
// mapping, AdamW over the student and the projections, the two-stage schedule and the learning-rate
// schedule. Built once per run from the settings, validated against both models.
import { DEFAULT_LOSS_CONFIG, type LossConfig } from '../losses/config';
import { resolveLayerMapping, type LayerPair } from '../losses/layerMapping';
import { Projections } from '../losses/projections';
import type { BertModel } from '../model/types';
import { AdamW } from '../optim/adamw';
import { DEFAULT_OPTIM_CONFIG, type OptimConfig } from '../optim/config';
import { checkLinearSchedule, type LinearScheduleOptions } from '../optim/schedule';
import { DEFAULT_STAGE_CONFIG, StageSchedule, type StageConfig } from './stages';

export interface DistillationSettings {
  loss: LossConfig;
  optim: OptimConfig;
  stages: StageConfig;
  /** Number of optimiser steps of the whole run (epochs x batches per epoch). */
  totalSteps: number;
  /** Seed of the projections' initial weights. */
  seed: number;
}

export const DEFAULT_DISTILLATION_SETTINGS: Readonly<Omit<DistillationSettings, 'totalSteps' | 'seed'>> = {
  loss: DEFAULT_LOSS_CONFIG,
  optim: DEFAULT_OPTIM_CONFIG,
  stages: DEFAULT_STAGE_CONFIG,
};

export interface Distillation {
  teacher: BertModel;
  student: BertModel;
  projections: Projections;
  mapping: LayerPair[];
  loss: LossConfig;
  optimizer: AdamW;
  stages: StageSchedule;
  learningRate: LinearScheduleOptions;
  maxGradNorm: number;
}

/** The optimiser's parameters: every student weight under its Hugging Face name, then `projection.<k>.weight`. */
export function distillationParameters(student: BertModel, projections: Projections) {
  return new Map([...student.namedWeights(), ...projections.namedWeights()]);
}

export function createDistillation(teacher: BertModel, student: BertModel, settings: DistillationSettings): Distillation {
  const t = teacher.config;
  const s = student.config;
  if (t.num_labels !== s.num_labels) {
    throw new Error(`teacher has num_labels ${t.num_labels} but the student has ${s.num_labels}; they must predict the same labels`);
  }
  if (settings.loss.negatives === 'differentLabel' && s.num_labels === 1) {
    throw new Error(`COS-NCE negatives 'differentLabel' compare labels exactly, which suits classification only; this task is a regression (num_labels 1)`);
  }
  const learningRate = { peak: settings.optim.learningRate, totalSteps: settings.totalSteps, warmupShare: settings.optim.warmupShare };
  checkLinearSchedule(learningRate);
  const mapping = resolveLayerMapping(settings.loss.layerMapping, s.num_hidden_layers, t.num_hidden_layers);
  const projections = new Projections({
    count: mapping.length,
    studentHidden: s.hidden_size,
    teacherHidden: t.hidden_size,
    seed: settings.seed,
    initStd: settings.loss.projectionInitStd,
  });
  return {
    teacher,
    student,
    projections,
    mapping,
    loss: settings.loss,
    optimizer: new AdamW(distillationParameters(student, projections), settings.optim),
    stages: new StageSchedule(settings.totalSteps, settings.stages),
    learningRate,
    maxGradNorm: settings.optim.maxGradNorm,
  };
}

/** Frees the projections and the optimiser's moments (the models belong to the caller). */
export function disposeDistillation(d: Distillation): void {
  d.projections.dispose();
  d.optimizer.dispose();
}
