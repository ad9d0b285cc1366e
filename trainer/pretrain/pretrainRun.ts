// What the session loop needs to run a pre-training run: the masking settings of the run's
// vocabulary and config, and the dev-set scores of an evaluation (in the shape of a task's scores),
// for the session's evaluations and the CLI's `eval`.
import type { Pause } from '../util/timeSlices';
import type { RunConfig } from '../config/runConfig';
import type { Scores, TaskData } from '../session/taskData';
import { UserError } from '../server';
import { evaluateMaskedLm } from './evaluateMlm';
import type { MaskingSettings } from './masking';
import type { TokenizedDataset } from '../data/batches';
import type { MlmHead } from '../model/mlmHead';
import type { BertModel } from '../model/types';

/** Masking for the run's vocabulary: the special tokens are never chosen nor drawn as replacements. */
export function maskingSettingsOf(config: RunConfig, data: TaskData, embeddingRows: number): MaskingSettings {
  const v = data.tokenizer.vocab;
  if (v.maskId < 0) throw new UserError(`the tokenizer in ${data.tokenizerFolder} has no [MASK] token: masked-language-model pre-training needs one`, 'tokenizer');
  return {
    probability: config.pretraining.maskProbability,
    maskId: v.maskId,
    vocabSize: Math.min(v.size, embeddingRows),
    specialIds: new Set([v.padId, v.unkId, v.clsId, v.sepId, v.maskId]),
  };
}

/** The masked-LM scores on the dev texts; the best checkpoint is the one with the highest accuracy. */
export async function scoreMaskedLm(model: BertModel, head: MlmHead, masking: MaskingSettings, dev: TokenizedDataset, batchSize: number, pause?: Pause): Promise<Scores> {
  const s = await evaluateMaskedLm(model, head, dev, batchSize, masking, pause);
  return { metrics: { mlm_accuracy: s.mlm_accuracy, mlm_loss: s.mlm_loss, mlm_tokens: s.tokens }, primary: 'mlm_accuracy', score: s.mlm_accuracy };
}
