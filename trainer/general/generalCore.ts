// The training core of a general-distillation run (kind 'general'): the distillation step of a task run
// (teacher forward, COS-NCE between the mapped layers with the batch's other passages as negatives, the
// gradient perturbation, AdamW over the student and the projections) with the loss weights fixed at
// alpha:beta:gamma = 1:0:0 for every step. There are no labels and no prediction layer: L_soft and L_hard
// are never computed, and the run has one stage.
import type { RunConfig } from '../config/runConfig';
import type { BertModel } from '../model/types';
import { UserError } from '../errors';
import { DistillCore } from '../session/trainingCore';
import type { DistillationSettings } from '../train/distillation';
import type { StageConfig, WeightChange } from '../train/stages';

/** One stage of COS-NCE alone; T is never read (no L_soft), epsilon is the run's. */
export function generalStages(config: RunConfig): StageConfig {
  const weights = { alpha: 1, beta: 0, gamma: 0 };
  return { split: 1, stage1: weights, stage2: { ...weights }, temperature: config.stages.temperature, epsilon: config.stages.epsilon };
}

export class GeneralCore extends DistillCore {
  constructor(teacher: BertModel, student: BertModel, settings: DistillationSettings) {
    if (settings.loss.intermediate !== 'cosnce' || settings.loss.negatives !== 'all') throw new Error('a general run distils with COS-NCE and every other passage of the batch as a negative');
    super(teacher, student, settings);
  }

  override nextStageNow(): void {
    throw new UserError('a general distillation has one stage (COS-NCE on the corpus, no prediction layer): there is no next stage', 'nextStage');
  }

  override changeWeights(step: number, change: WeightChange): void {
    if ((change.beta ?? 0) !== 0 || (change.gamma ?? 0) !== 0) {
      throw new UserError('a general distillation has no labels and no prediction layer: beta and gamma stay 0 (alpha and epsilon can change)', 'setWeights');
    }
    super.changeWeights(step, change);
  }
}
