// The nine GLUE tasks in the layout GLUE distributes them (download_glue_data.py), with the columns,
// labels and metrics of Hugging Face's glue processors (transformers' data/processors/glue.py) and
// its `glue` metric. Columns are found by their header names, which are checked, so that a wrong file
// is reported instead of silently misread; CoLA has no header and is read by position.
import { InputError, shown } from '../errors';

export type GlueTaskName = 'CoLA' | 'SST-2' | 'MRPC' | 'STS-B' | 'QQP' | 'MNLI' | 'QNLI' | 'RTE' | 'WNLI';

export type GlueMetricName = 'matthews_correlation' | 'accuracy' | 'f1' | 'pearson' | 'spearmanr';

export interface GlueTask {
  name: GlueTaskName;
  /** The folder of the task in a GLUE download. */
  folder: string;
  /** The labelled splits (file name without .tsv). */
  splits: string[];
  /** Headerless files (CoLA): columns by position, and the number of columns of every row. */
  positional?: { text: number; label: number; columns: number };
  /** Files with a header: the header names of the columns used. */
  columns?: { text: string; textPair?: string; label: string };
  kind: 'classification' | 'regression';
  /** Label strings as they appear in the files, in label-index order (Hugging Face's get_labels()). */
  labels: string[];
  metrics: GlueMetricName[];
  /** Official number of rows of each labelled split. */
  rowCounts: Record<string, number>;
}

const BINARY = ['0', '1'];
const ENTAILMENT = ['entailment', 'not_entailment'];

export const GLUE_TASKS: Record<GlueTaskName, GlueTask> = {
  CoLA: {
    name: 'CoLA', folder: 'CoLA', splits: ['train', 'dev'],
    positional: { text: 3, label: 1, columns: 4 },
    kind: 'classification', labels: BINARY, metrics: ['matthews_correlation'],
    rowCounts: { train: 8551, dev: 1043 },
  },
  'SST-2': {
    name: 'SST-2', folder: 'SST-2', splits: ['train', 'dev'],
    columns: { text: 'sentence', label: 'label' },
    kind: 'classification', labels: BINARY, metrics: ['accuracy'],
    rowCounts: { train: 67349, dev: 872 },
  },
  MRPC: {
    name: 'MRPC', folder: 'MRPC', splits: ['train', 'dev'],
    columns: { text: '#1 String', textPair: '#2 String', label: 'Quality' },
    kind: 'classification', labels: BINARY, metrics: ['accuracy', 'f1'],
    rowCounts: { train: 3668, dev: 408 },
  },
  'STS-B': {
    name: 'STS-B', folder: 'STS-B', splits: ['train', 'dev'],
    columns: { text: 'sentence1', textPair: 'sentence2', label: 'score' },
    kind: 'regression', labels: [], metrics: ['pearson', 'spearmanr'],
    rowCounts: { train: 5749, dev: 1500 },
  },
  QQP: {
    name: 'QQP', folder: 'QQP', splits: ['train', 'dev'],
    columns: { text: 'question1', textPair: 'question2', label: 'is_duplicate' },
    kind: 'classification', labels: BINARY, metrics: ['accuracy', 'f1'],
    rowCounts: { train: 363846, dev: 40430 },
  },
  MNLI: {
    name: 'MNLI', folder: 'MNLI', splits: ['train', 'dev_matched', 'dev_mismatched'],
    columns: { text: 'sentence1', textPair: 'sentence2', label: 'gold_label' },
    kind: 'classification', labels: ['contradiction', 'entailment', 'neutral'], metrics: ['accuracy'],
    rowCounts: { train: 392702, dev_matched: 9815, dev_mismatched: 9832 },
  },
  QNLI: {
    name: 'QNLI', folder: 'QNLI', splits: ['train', 'dev'],
    columns: { text: 'question', textPair: 'sentence', label: 'label' },
    kind: 'classification', labels: ENTAILMENT, metrics: ['accuracy'],
    rowCounts: { train: 104743, dev: 5463 },
  },
  RTE: {
    name: 'RTE', folder: 'RTE', splits: ['train', 'dev'],
    columns: { text: 'sentence1', textPair: 'sentence2', label: 'label' },
    kind: 'classification', labels: ENTAILMENT, metrics: ['accuracy'],
    rowCounts: { train: 2490, dev: 277 },
  },
  WNLI: {
    name: 'WNLI', folder: 'WNLI', splits: ['train', 'dev'],
    columns: { text: 'sentence1', textPair: 'sentence2', label: 'label' },
    kind: 'classification', labels: BINARY, metrics: ['accuracy'],
    rowCounts: { train: 635, dev: 71 },
  },
};

/** The task of a name, case-insensitively ("sst2", "SST-2", "sts-b" all work). */
export function glueTask(name: string): GlueTask {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const task = Object.values(GLUE_TASKS).find((t) => t.name.toLowerCase().replace(/[^a-z0-9]/g, '') === key);
  if (!task) throw new InputError({ field: 'data.name', expected: `a GLUE task: ${Object.keys(GLUE_TASKS).join(', ')}`, found: shown(name) });
  return task;
}
