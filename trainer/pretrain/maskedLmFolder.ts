// A BertForMaskedLM folder (a pretrain run's export) as a model and its masked-LM head, for the CLI's
// eval and export of pretrain runs.
import { loadPretrainedHfModel } from '../checkpoint/hfFolder';
import type { Bert } from '../model/bert';
import { MlmHead } from '../model/mlmHead';
import { UserError } from '../server';
import { assignMlmHeadArrays } from '../checkpoint/hfWeights';

export function loadMaskedLm(folder: string): { model: Bert; head: MlmHead; dispose(): void } {
  const { model, mlmHead } = loadPretrainedHfModel(folder, { num_labels: 2 }, { trainable: false });
  if (!mlmHead) {
    model.dispose();
    throw new UserError(`${folder} has no masked-LM head (cls.predictions.*): not a pretrain run's model`, 'run');
  }
  const head = new MlmHead(model.config, 0);
  assignMlmHeadArrays(head, mlmHead, folder);
  return { model, head, dispose: () => (model.dispose(), head.dispose()) };
}
