// The models of a run: the model it trains (a teacher, or a student) and, for lrc / mse runs, the
// frozen teacher it distils from, loaded from a Hugging Face folder.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { hfModelSteps, pretrainedHfModelSteps } from '../checkpoint/hfFolder';
import type { NamedArray } from '../checkpoint/safetensors';
import { Bert } from '../model/bert';
import { parseBertConfig } from '../model/config';
import type { BertConfig, BertModel } from '../model/types';
import { UserError } from '../server';
import { BERT_POSITIONS, type ModelShape, type RunConfig } from '../config/runConfig';
import { finishNow, type Steps } from '../util/timeSlices';

/** The Hugging Face folder of a run's teacher: its path, or the export of a finished teacher run. */
export function teacherFolderOf(config: RunConfig, runsDir: string): string | undefined {
  if (!config.teacher) return undefined;
  const folder = config.teacher.path ?? join(runsDir, config.teacher.runId!, 'export');
  if (!existsSync(join(folder, 'config.json'))) {
    const what = config.teacher.path ? `teacher.path ${folder}` : `teacher run ${config.teacher.runId} (${folder})`;
    throw new UserError(`${what} has no config.json: expected a Hugging Face BERT folder (a teacher run exports one when it finishes)`, 'teacher');
  }
  return folder;
}

/** The model folder whose tokenizer the run uses by default. */
export function modelFolderOf(config: RunConfig, runsDir: string): string | undefined {
  return teacherFolderOf(config, runsDir) ?? config.init;
}

export interface TaskShape {
  vocabSize: number;
  labelNames: string[];
  kind: 'classification' | 'regression';
  maxLength: number;
  /** Regression: the mean label of the training set (where a fresh output bias starts). */
  labelMean?: number;
}

function labelsConfig(task: TaskShape): Pick<BertConfig, 'num_labels' | 'id2label' | 'label2id'> {
  const num_labels = task.kind === 'regression' ? 1 : task.labelNames.length;
  // one output, and labels that say so: a pre-trained folder's own (two by default) would otherwise stay
  // beside it, and its export's config.json would say two labels for a classifier of one
  if (task.kind === 'regression') return { num_labels, id2label: { 0: 'LABEL_0' }, label2id: { LABEL_0: 0 } };
  return {
    num_labels,
    id2label: Object.fromEntries(task.labelNames.map((n, i) => [String(i), n])),
    label2id: Object.fromEntries(task.labelNames.map((n, i) => [n, i])),
  };
}

/** A BERT config of the given shape for the task (positions: `like`'s, else the shape's maxPositions, else BERT's 512). */
export function configForShape(shape: ModelShape, task: TaskShape, like?: BertConfig): BertConfig {
  return parseBertConfig(
    {
      vocab_size: like?.vocab_size ?? task.vocabSize,
      hidden_size: shape.hidden,
      num_hidden_layers: shape.layers,
      num_attention_heads: shape.heads,
      intermediate_size: shape.intermediate,
      max_position_embeddings: like?.max_position_embeddings ?? shape.maxPositions ?? BERT_POSITIONS,
      type_vocab_size: like?.type_vocab_size ?? 2,
      hidden_dropout_prob: shape.dropout,
      attention_probs_dropout_prob: shape.dropout,
      layer_norm_eps: like?.layer_norm_eps ?? 1e-12,
      ...labelsConfig(task),
    },
    'model shape',
  );
}

function checkTeacherFitsTask(teacher: BertConfig, task: TaskShape, folder: string): void {
  const want = labelsConfig(task).num_labels;
  if (teacher.num_labels !== want) {
    throw new UserError(`the teacher in ${folder} has num_labels ${teacher.num_labels} but the task has ${want} (${task.kind === 'regression' ? 'regression' : task.labelNames.join(', ')}): fine-tune a teacher on this task first`, 'teacher');
  }
  if (teacher.vocab_size !== task.vocabSize) {
    throw new UserError(`the teacher in ${folder} has vocab_size ${teacher.vocab_size} but its tokenizer has ${task.vocabSize} tokens`, 'teacher');
  }
  if (teacher.max_position_embeddings < task.maxLength) {
    throw new UserError(`maxLength ${task.maxLength} is longer than the teacher's max_position_embeddings ${teacher.max_position_embeddings}`, 'maxLength');
  }
}

/**
 * `studentInit`: the student of an lrc / mse run from a folder (a general run's BertModel export, or any
 * BERT of the teacher's vocabulary): its encoder as it is, a fresh pooler and classifier for the task (a
 * folder's own classifier is left out, so the prediction layer always starts fresh), and, in the
 * distillation, fresh projections.
 */
function* studentFromFolderSteps(folder: string, teacher: BertConfig, task: TaskShape, seed: number): Steps<{ trained: BertModel; notes: string[] }> {
  const { model, notes, missingHead } = yield* pretrainedHfModelSteps(folder, labelsConfig(task), { seed });
  try {
    if (!missingHead.includes('classifier.weight')) {
      throw new UserError(`studentInit ${folder} has a classifier (a task model?): start from a general run's export or a pre-trained BERT, whose prediction layer starts fresh`, 'studentInit');
    }
    if (model.config.vocab_size !== teacher.vocab_size) throw new UserError(`studentInit ${folder} has vocab_size ${model.config.vocab_size} but the teacher has ${teacher.vocab_size}: the student must read the teacher's word pieces`, 'studentInit');
    if (model.config.max_position_embeddings < task.maxLength) throw new UserError(`maxLength ${task.maxLength} is longer than the studentInit's max_position_embeddings ${model.config.max_position_embeddings}`, 'maxLength');
  } catch (e) {
    model.dispose();
    throw e;
  }
  const c = model.config;
  return { trained: model, notes: [...notes, `student started from ${folder} (${c.num_hidden_layers} layers x ${c.hidden_size}, ${c.num_attention_heads} heads, FFN ${c.intermediate_size}); its projections start fresh`] };
}

export interface RunModels {
  /** The model the run trains. */
  trained: BertModel;
  /** lrc / mse: the frozen teacher. */
  teacher?: BertModel;
  /** Runs started from a folder with a masked-LM head (`init`): its weights, for a pretrain run to go on with. */
  mlmHead?: Map<string, NamedArray>;
  /** What loading said (a fresh task head, ignored pre-training tensors, ...). */
  notes: string[];
}

export function buildModels(config: RunConfig, task: TaskShape, teacherFolder: string | undefined): RunModels {
  return finishNow(buildModelsSteps(config, task, teacherFolder));
}

/** The same models, made in steps (a pause after each layer made and each tensor loaded: a BERT-base teacher
 *  takes 5 to 20 s, see util/timeSlices.ts); stopped part-way, what was made is disposed of. */
export function* buildModelsSteps(config: RunConfig, task: TaskShape, teacherFolder: string | undefined): Steps<RunModels> {
  const { models, freshClassifier } = yield* untrainedModelsSteps(config, task, teacherFolder);
  if (freshClassifier) startRegressionBias(models.trained, task, config.regressionBias, models.notes);
  return models;
}

/** The models, and whether the trained one's classifier is fresh (not loaded from a folder). */
function* untrainedModelsSteps(config: RunConfig, task: TaskShape, teacherFolder: string | undefined): Steps<{ models: RunModels; freshClassifier: boolean }> {
  const seed = config.seed;
  if (config.kind === 'lrc' || config.kind === 'mse') {
    const { model: teacher } = yield* hfModelSteps(teacherFolder!, { trainable: false });
    try {
      checkTeacherFitsTask(teacher.config, task, teacherFolder!);
      if (config.studentInit) return { models: { ...(yield* studentFromFolderSteps(config.studentInit, teacher.config, task, seed)), teacher }, freshClassifier: true };
      const student = yield* Bert.steps(configForShape(config.student, task, teacher.config), { seed });
      return { models: { trained: student, teacher, notes: [] }, freshClassifier: true };
    } catch (e) {
      teacher.dispose();
      throw e;
    }
  }
  if (config.init) {
    const { model, mlmHead, notes, missingHead } = yield* pretrainedHfModelSteps(config.init, labelsConfig(task), { seed });
    try {
      checkTeacherFitsTask(model.config, task, config.init);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return { models: { trained: model, mlmHead, notes }, freshClassifier: missingHead.includes('classifier.bias') };
  }
  const shape = config.kind === 'student' ? config.student : config.model!;
  return { models: { trained: yield* Bert.steps(configForShape(shape, task), { seed }), notes: [] }, freshClassifier: true };
}

/**
 * A fresh regression output starts at the training set's mean label ('labelMean', the default) rather
 * than at 0 ('zero', Hugging Face's initialisation): on a 0-5 scale such as STS-B's, a distilled student
 * whose output layer first gets a loss in the short, decayed stage 2 cannot otherwise reach the labels.
 */
function startRegressionBias(model: BertModel, task: TaskShape, rule: RunConfig['regressionBias'], notes: string[]): void {
  if (task.kind !== 'regression' || rule !== 'labelMean') return;
  if (task.labelMean === undefined || !Number.isFinite(task.labelMean)) throw new Error('a regression task without a finite mean training label');
  const bias = model.namedWeights().get('classifier.bias');
  if (!bias) throw new Error('the model has no classifier.bias');
  tf.tidy(() => bias.assign(tf.fill(bias.shape, task.labelMean!)));
  notes.push(`regression output bias started at the mean training label ${task.labelMean.toFixed(4)} (regressionBias: 'labelMean')`);
}
