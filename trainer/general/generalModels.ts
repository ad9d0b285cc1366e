// The models of a general-distillation run: the teacher, any pre-trained BERT folder (BertModel,
// BertForMaskedLM, BertForPreTraining, or a fine-tuned one: its heads are not used), frozen; and a fresh
// student of the run's shape with the teacher's vocabulary, positions and labels count (the student's
// classifier takes no part and is not exported).
import { pretrainedHfModelSteps } from '../checkpoint/hfFolder';
import type { RunConfig } from '../config/runConfig';
import { Bert } from '../model/bert';
import { UserError } from '../errors';
import { configForShape, type RunModels } from '../session/models';
import type { Steps } from '../util/timeSlices';

/** Made in steps (a pause after each layer made and each tensor loaded, see util/timeSlices.ts). */
export function* generalModelsSteps(config: RunConfig, teacherFolder: string, tokenizerSize: number): Steps<RunModels> {
  const { model: teacher, notes } = yield* pretrainedHfModelSteps(teacherFolder, { num_labels: 2 }, { trainable: false, seed: config.seed });
  try {
    const t = teacher.config;
    if (t.vocab_size !== tokenizerSize) throw new UserError(`the teacher in ${teacherFolder} has vocab_size ${t.vocab_size} but its tokenizer has ${tokenizerSize} tokens`, 'teacher');
    if (t.max_position_embeddings < config.maxLength) throw new UserError(`maxLength ${config.maxLength} is longer than the teacher's max_position_embeddings ${t.max_position_embeddings}`, 'maxLength');
    const labelNames = Array.from({ length: t.num_labels }, (_, i) => t.id2label?.[String(i)] ?? `LABEL_${i}`);
    const task = { vocabSize: t.vocab_size, labelNames, kind: t.num_labels === 1 ? ('regression' as const) : ('classification' as const), maxLength: config.maxLength };
    const student = yield* Bert.steps(configForShape(config.student, task, t), { seed: config.seed });
    const headNote = notes.findIndex((n) => n.includes('initialised fresh'));
    if (headNote >= 0) notes[headNote] = `${teacherFolder}: its encoder is the teacher (general distillation reads no pooler nor classifier)`;
    return { trained: student, teacher, notes };
  } catch (e) {
    teacher.dispose();
    throw e;
  }
}
