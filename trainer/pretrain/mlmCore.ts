// The training core of a pre-training run (kind 'pretrain'): masked-language-model steps on the task's
// texts (their labels are not used), one stage, the MLM head trained beside the model and saved in
// the run's checkpoints with it.
import type { NamedArray } from '../checkpoint/safetensors';
import { assignMlmHeadArrays } from '../checkpoint/hfWeights';
import { MlmHead } from '../model/mlmHead';
import type { BertModel } from '../model/types';
import { AdamW, type AdamWState } from '../optim/adamw';
import type { OptimConfig } from '../optim/config';
import type { LinearScheduleOptions } from '../optim/schedule';
import { UserError } from '../server';
import type { TrainingBatch } from '../train/batch';
import { restoreSideWeights, type CoreState, type StepOutcome, type TrainingCore } from '../session/trainingCore';
import { maskBatch, type MaskingSettings } from './masking';
import { mlmStep } from './mlmStep';

/** The seed of a step's masks, apart from its dropout seed (both derive from the run's seed and the step). */
export function maskSeedOf(dropoutSeed: number): number {
  return (dropoutSeed ^ 0x6d61736b) >>> 0;
}

export class MlmCore implements TrainingCore {
  readonly head: MlmHead;
  private readonly optimizer: AdamW;
  private readonly maxGradNorm: number;

  constructor(
    readonly model: BertModel,
    readonly masking: MaskingSettings,
    optim: OptimConfig,
    private readonly learningRate: LinearScheduleOptions,
    seed: number,
  ) {
    this.head = new MlmHead(model.config, seed);
    this.optimizer = new AdamW(new Map([...model.namedWeights(), ...this.head.namedWeights()]), optim);
    this.maxGradNorm = optim.maxGradNorm;
  }

  stageAt(): number {
    return 1;
  }

  step(batch: TrainingBatch, step: number, dropoutSeed: number): StepOutcome {
    const ids = batch.inputs.inputIds.dataSync() as Int32Array;
    const mask = batch.inputs.attentionMask.dataSync() as Int32Array;
    const masked = maskBatch(ids, mask, this.masking, maskSeedOf(dropoutSeed));
    const r = mlmStep(this.model, this.head, this.optimizer, batch.inputs, masked, { step, dropoutSeed, learningRate: this.learningRate, maxGradNorm: this.maxGradNorm });
    return { stage: 1, clean: { total: r.loss, mlm: r.loss }, learningRate: r.learningRate, gradNorm: r.gradNorm };
  }

  nextStageNow(): void {
    throw new UserError('a pre-training run has a single stage (masked-language modelling): there is no next stage', 'nextStage');
  }

  changeWeights(): void {
    throw new UserError('a pre-training run trains on the masked-language-model loss alone: there are no loss weights to change', 'setWeights');
  }

  /** Starts the head from a folder's masked-LM head (Hugging Face layout), e.g. to pre-train further. */
  loadHead(arrays: ReadonlyMap<string, NamedArray>, source: string): void {
    assignMlmHeadArrays(this.head, arrays, source);
  }

  /** The head is saved where a distillation saves its projections: weights trained beside the model. */
  state(): CoreState {
    return { projections: this.head.namedWeights(), optimizer: this.optimizer.exportState() };
  }

  restore(state: { optimizer: AdamWState; projections: Map<string, Float32Array> }): void {
    restoreSideWeights(this.head.namedWeights(), state.projections, 'the masked-language-model head');
    this.optimizer.importState(state.optimizer);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.head.dispose();
  }
}
