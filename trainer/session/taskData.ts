// The data of a run: the train and dev datasets of its task, the tokenizer, both tokenized, and the
// scoring of predictions with the task's metric.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readGlueSplit } from '../data/glueReader';
import { glueTask } from '../data/glueTasks';
import { accuracy, f1, glueScores, matthewsCorrelation, pearson, spearman } from '../data/metrics';
import { readSpamAssassin } from '../data/spamAssassin';
import { readTableDatasetInSlices } from '../data/tableDataset';
import { tokenizeDataset, type TokenizedDataset } from '../data/batches';
import type { TextDataset } from '../data/types';
import { buildWordPieceVocabInSlices } from '../tokenizer/buildVocab';
import { loadTokenizer } from '../tokenizer/loadTokenizer';
import type { BertTokenizer } from '../tokenizer/types';
import { writeFileAtomic } from '../util/atomicFile';
import { SeededRandom } from '../util/random';
import { nextTurn, type Pause } from '../util/timeSlices';
import { InputError, UserError } from '../errors';
import type { RunConfig } from '../config/runConfig';

export interface TaskData {
  train: TokenizedDataset;
  dev: TokenizedDataset;
  tokenizer: BertTokenizer;
  /** The folder the tokenizer files are in (copied into exported models). */
  tokenizerFolder: string;
  labelNames: string[];
  kind: 'classification' | 'regression';
}

export interface Scores {
  /** Every metric of the task, by name. */
  metrics: Record<string, number>;
  /** The metric that picks the best checkpoint. */
  primary: string;
  score: number;
}

/** At most `max` examples: a fixed random subset (files are often sorted by label), in file order. */
function limit(dataset: TextDataset, max: number | undefined): TextDataset {
  if (!max || dataset.examples.length <= max) return dataset;
  const keep = new SeededRandom(LIMIT_SEED).shuffle(dataset.examples.map((_, i) => i)).slice(0, max).sort((a, b) => a - b);
  return { ...dataset, examples: keep.map((i) => dataset.examples[i]) };
}

const LIMIT_SEED = 12345;

/** The train and dev datasets named by the config; a file of the user's is read in time slices, `pause` between them. */
export async function readTaskDatasets(config: RunConfig, pause: Pause = nextTurn): Promise<{ train: TextDataset; dev: TextDataset }> {
  const data = config.data;
  let train: TextDataset;
  let dev: TextDataset;
  if (data.task === 'corpus') {
    throw new UserError('a corpus has no labelled train and dev sets: it is the data of a general run (trainer/general/)', 'data');
  } else if (data.task === 'demo') {
    ({ train, dev } = readSpamAssassin());
  } else if (data.task === 'glue') {
    train = readGlueSplit(data.dir, data.name, 'train');
    dev = readGlueSplit(data.dir, data.name, data.devSplit);
  } else {
    const options = { columns: data.columns, format: data.format, header: data.header, kind: data.kind, labelNames: data.labelNames };
    train = await readTableDatasetInSlices(data.train, options, pause);
    const labelsFrom = options.labelNames ? 'data.labelNames' : `the labels of ${train.name}`;
    dev = await readTableDatasetInSlices(data.dev, { ...options, labelNames: options.labelNames ?? (data.kind === 'regression' ? undefined : train.labelNames), labelsFrom }, pause);
  }
  if (train.kind !== dev.kind || train.labelNames.join('\u0000') !== dev.labelNames.join('\u0000')) {
    throw new UserError(`the dev set (${dev.source}) has labels [${dev.labelNames}] but the training set (${train.source}) has [${train.labelNames}]`, 'data');
  }
  return { train: limit(train, config.maxTrainExamples), dev: limit(dev, config.maxDevExamples) };
}

/**
 * The tokenizer: the config's folder, else the teacher's or the initial model's folder, else a WordPiece
 * vocabulary built from the training texts (in time slices, `pause` between them) and saved in
 * `<runDir>/tokenizer/`.
 */
export async function resolveTokenizer(config: RunConfig, runDir: string, modelFolder: string | undefined, train: TextDataset, log: (m: string) => void, pause: Pause = nextTurn): Promise<{ tokenizer: BertTokenizer; folder: string }> {
  const folder = config.tokenizer ?? modelFolder;
  if (folder) {
    if (!existsSync(folder)) throw new InputError({ file: folder, field: 'tokenizer', expected: 'a folder with tokenizer.json or vocab.txt', found: 'no folder at this path' });
    return { tokenizer: await loadTokenizer(folder, { onNote: log }), folder };
  }
  const own = join(runDir, 'tokenizer');
  if (!existsSync(join(own, 'vocab.txt'))) {
    const texts = train.examples.flatMap((e) => (e.textPair === undefined ? [e.text] : [e.text, e.textPair]));
    const tokens = await buildWordPieceVocabInSlices(texts, { size: config.builtVocabSize }, pause);
    mkdirSync(own, { recursive: true });
    writeFileAtomic(join(own, 'vocab.txt'), tokens.join('\n') + '\n');
    log(`built a WordPiece vocabulary of ${tokens.length} tokens from ${texts.length} training texts (${own}/vocab.txt)`);
  }
  return { tokenizer: await loadTokenizer(own, { onNote: log }), folder: own };
}

/** `between` is awaited between the parts (reading, the tokenizer, tokenizing each set) and between the
 *  time slices of the long ones (building a vocabulary, tokenizing): where a stop during set-up is honoured. */
export async function loadTaskData(config: RunConfig, runDir: string, modelFolder: string | undefined, log: (m: string) => void, between: Pause = nextTurn): Promise<TaskData> {
  const { train, dev } = await readTaskDatasets(config, between);
  await between();
  const { tokenizer, folder } = await resolveTokenizer(config, runDir, modelFolder, train, log, between);
  await between();
  const trainSet = await tokenizeDataset(train, tokenizer, config.maxLength, between);
  await between();
  return {
    train: trainSet,
    dev: await tokenizeDataset(dev, tokenizer, config.maxLength, between),
    tokenizer,
    tokenizerFolder: folder,
    labelNames: train.labelNames,
    kind: train.kind,
  };
}

/**
 * Scores predictions (class ids, or scores for regression) with the task's metrics. GLUE tasks use
 * their GLUE score; other classification tasks report accuracy (and, with two classes, F1 of the second
 * class and Matthews correlation) and pick by accuracy; regression reports Pearson and Spearman and picks by Pearson.
 */
export function scorePredictions(config: RunConfig, kind: TaskData['kind'], predictions: ArrayLike<number>, labels: ArrayLike<number>): Scores {
  if (config.data.task === 'glue') {
    const task = glueTask(config.data.name);
    const s = glueScores(task.name, predictions, labels);
    const metrics = { ...(s.metrics as Record<string, number>), glue: s.score };
    return { metrics, primary: task.metrics.length > 1 ? 'glue' : task.metrics[0], score: s.score };
  }
  if (kind === 'regression') {
    const metrics = { pearson: pearson(predictions, labels), spearmanr: spearman(predictions, labels) };
    return { metrics, primary: 'pearson', score: metrics.pearson };
  }
  const metrics: Record<string, number> = { accuracy: accuracy(predictions, labels) };
  if (new Set(Array.from(labels)).size <= 2) {
    metrics.f1 = f1(predictions, labels);
    metrics.matthews_correlation = matthewsCorrelation(predictions, labels);
  }
  return { metrics, primary: 'accuracy', score: metrics.accuracy };
}

/** The mean label of a regression dataset (undefined for classification, or an empty set). */
export function meanLabel(data: TokenizedDataset): number | undefined {
  const { kind, examples } = data.dataset;
  if (kind !== 'regression' || examples.length === 0) return undefined;
  return examples.reduce((s, e) => s + e.label, 0) / examples.length;
}
