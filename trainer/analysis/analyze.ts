// The analysis of one evaluation: every batch through the teacher and the students once, the grids
// summed and the case records collected on the way (accumulate.ts). Batches come from any source
// (analyzeBatches) or from a tokenized dataset (analyzeDataset, which pads each batch to its longest example).
import type { TokenizedDataset } from '../data/batches';
import { batchIndices, epochOrder, makeBatch } from '../data/batches';
import { disposeBertInputs, toBertInputs } from '../data/tensors';
import type { BertInputs } from '../model/types';
import { AnalysisAccumulator, type AccumulatorOptions, type AnalysisResult, type CaseExample } from './accumulate';
import { analyzeBatch, planAnalysis, type AnalysisModels, type AnalysisOptions } from './batchAnalysis';
import { UserError } from '../errors';
import { nextTurn, type Pause } from '../util/timeSlices';

export interface AnalysisBatch {
  /** The caller owns these tensors. */
  inputs: BertInputs;
  /** The batch's examples, in order, for case records; without them the batch counts in the grids only. */
  examples?: readonly CaseExample[];
}

export type AnalyzeOptions = AnalysisOptions & AccumulatorOptions & {
  /** Between batches (default: one turn of the event loop); a stop it throws ends the analysis. */
  pause?: Pause;
};

/** Streams the batches (awaiting between them, so that a trainer can take control messages). */
export async function analyzeBatches(
  models: AnalysisModels,
  batches: Iterable<AnalysisBatch> | AsyncIterable<AnalysisBatch>,
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const plan = planAnalysis(models, options);
  const accumulator = new AnalysisAccumulator(plan, options);
  for await (const batch of batches) {
    accumulator.add(analyzeBatch(plan, batch.inputs), batch.examples);
    await (options.pause ?? nextTurn)();
  }
  return accumulator.result();
}

export interface DatasetBatchOptions {
  batchSize: number;
  /** 'longest' (default): each batch padded to its longest example; 'max': to the dataset's maxLength. */
  padTo?: 'longest' | 'max';
}

/** The dataset in order, as tensor batches with their examples; each batch's tensors are freed when the next is asked for. */
export function* datasetBatches(data: TokenizedDataset, options: DatasetBatchOptions): Generator<AnalysisBatch> {
  const source = data.dataset.examples;
  for (const indices of batchIndices(epochOrder(data.examples.length), options.batchSize)) {
    const batch = makeBatch(data, indices, options.padTo ?? 'longest');
    const inputs = toBertInputs(batch);
    try {
      yield { inputs, examples: indices.map((i) => source[i]) };
    } finally {
      disposeBertInputs(inputs);
    }
  }
}

/** The analysis of every example of `data` (e.g. the dev set), batch by batch. */
export function analyzeDataset(models: AnalysisModels, data: TokenizedDataset, options: AnalyzeOptions & DatasetBatchOptions): Promise<AnalysisResult> {
  if (data.examples.length === 0) throw new UserError(`analysis: ${data.dataset.name} has no examples`);
  return analyzeBatches(models, datasetBatches(data, options), options);
}
