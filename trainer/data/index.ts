// Labelled text datasets (GLUE, CSV/TSV/JSON lines, the SpamAssassin demo), metrics, batches, statistics.
export type { Example, TextDataset } from './types';
export { numLabels } from './types';
export { GLUE_TASKS, glueTask, type GlueTask, type GlueTaskName } from './glueTasks';
export { readGlueSplit, glueSplitPath } from './glueReader';
export { glueScores, accuracy, f1, matthewsCorrelation, pearson, spearman, type GlueScores } from './metrics';
export { readTableDataset, type ColumnMapping, type TableDatasetOptions } from './tableDataset';
export { readSpamAssassin, SPAM_LABELS, SPAM_SPLIT_SEED, type SpamAssassinTask } from './spamAssassin';
export { splitTrainDev } from './split';
export { tokenizeDataset, makeBatch, epochBatches, epochOrder, batchIndices, type Batch, type TokenizedDataset } from './batches';
export { toBertInputs, toLabelTensor, disposeBertInputs } from './tensors';
export { datasetStatistics, percentile, type DatasetStatistics } from './statistics';
export { locateSharedData, sharedDataFile } from './sharedData';
