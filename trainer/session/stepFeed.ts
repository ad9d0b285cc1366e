// Where a run's training batches come from, step by step: a task's training set in memory (batches
// drawn by step from a seeded epoch order, so resuming needs only the step), or a streamed corpus
// (trainer/general/corpusFeed.ts, whose position is saved in the checkpoint).
import { batchIndices, epochOrder, makeBatch, type Batch, type TokenizedDataset } from '../data/batches';
import { SeededRandom } from '../util/random';

export interface StepFeed {
  /** Examples (task examples or corpus passages) in one pass. */
  readonly examplesPerEpoch: number;
  /** Word pieces of one pass, for the teacher-output cache's estimate. */
  readonly tokensPerEpoch: number;
  /** The batch of step `step` (0-based). */
  batch(step: number): Promise<Batch>;
  /** What a checkpoint keeps of the feed to go on after `step` steps (undefined: nothing, the step suffices). */
  state(): Record<string, unknown> | undefined;
  close(): void;
}

/** The example positions of a step's batch: epoch order shuffled by (seed, epoch), so resuming needs only the step. */
export function batchOfStep(seed: number, size: number, batchSize: number, step: number): { epoch: number; indices: number[] } {
  const perEpoch = Math.ceil(size / batchSize);
  const epoch = Math.floor(step / perEpoch);
  const order = epochOrder(size, new SeededRandom((seed * 7919 + epoch * 104_729) >>> 0));
  return { epoch, indices: batchIndices(order, batchSize)[step % perEpoch] };
}

/** A task's training set: the batch of a step depends on the run's seed and the step alone. */
export function taskFeed(train: TokenizedDataset, seed: number, batchSize: number): StepFeed {
  return {
    examplesPerEpoch: train.examples.length,
    tokensPerEpoch: train.examples.reduce((n, e) => n + e.inputIds.length, 0),
    async batch(step) {
      const { indices } = batchOfStep(seed, train.examples.length, batchSize, step);
      return makeBatch(train, indices, 'longest'); // padding is masked everywhere: only speed changes
    },
    state: () => undefined,
    close: () => undefined,
  };
}
