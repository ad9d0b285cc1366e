// A dataset tokenized once (word pieces -> [CLS] A [SEP] B [SEP], truncated to maxLength), then cut
// into batches of flat int32 arrays (B, L), shuffled by a seeded generator.
import { encodeIds, padBatch, type EncodedBatch } from '../tokenizer/encode';
import type { BertTokenizer } from '../tokenizer/types';
import type { SeededRandom } from '../util/random';
import { TimeSlices, type Pause } from '../util/timeSlices';
import type { TextDataset } from './types';

export interface TokenizedExample {
  /** [CLS] A [SEP] (B [SEP]), truncated, unpadded. */
  inputIds: number[];
  tokenTypeIds: number[];
  /** Word pieces plus special tokens before truncation. */
  fullLength: number;
  truncated: boolean;
}

export interface TokenizedDataset {
  dataset: TextDataset;
  maxLength: number;
  padId: number;
  /** In the order of dataset.examples. */
  examples: TokenizedExample[];
}

export interface Batch extends EncodedBatch {
  /** Positions of the batch's examples in dataset.examples. */
  indices: number[];
  /** (B) class indices for classification, scores for regression. */
  labels: Int32Array | Float32Array;
}

/** Texts per call of the tokenizer: one call of long texts (a few hundred words each) stays well under a
 *  time slice. Between the time slices, `pause` (a run's set-up point: the signal handlers, a stop
 *  request, the heartbeat) gets its turn, so that a large training set is no minutes-long block. */
const TOKENIZE_PART = 256;

async function tokenizeInParts(tokenizer: BertTokenizer, texts: string[], pause?: Pause): Promise<number[][]> {
  if (!pause || texts.length <= TOKENIZE_PART) return tokenizer.tokenizeBatch(texts);
  const slices = new TimeSlices(pause);
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += TOKENIZE_PART) {
    for (const ids of await tokenizer.tokenizeBatch(texts.slice(i, i + TOKENIZE_PART))) out.push(ids);
    await slices.pauseIfDue();
  }
  return out;
}

export async function tokenizeDataset(dataset: TextDataset, tokenizer: BertTokenizer, maxLength: number, pause?: Pause): Promise<TokenizedDataset> {
  const texts = await tokenizeInParts(tokenizer, dataset.examples.map((e) => e.text), pause);
  const hasPairs = dataset.examples.some((e) => e.textPair !== undefined);
  const pairs = hasPairs ? await tokenizeInParts(tokenizer, dataset.examples.map((e) => e.textPair ?? ''), pause) : undefined;
  const special = { clsId: tokenizer.vocab.clsId, sepId: tokenizer.vocab.sepId, padId: tokenizer.vocab.padId };
  const slices = pause && new TimeSlices(pause);
  const examples: TokenizedExample[] = [];
  for (const [i, e] of dataset.examples.entries()) {
    const idsB = e.textPair === undefined ? undefined : pairs![i];
    const encoded = encodeIds(texts[i], idsB, maxLength, special);
    const fullLength = texts[i].length + (idsB === undefined ? 2 : idsB.length + 3);
    examples.push({ ...encoded, fullLength });
    if (slices?.due) await slices.pauseIfDue();
  }
  return { dataset, maxLength, padId: special.padId, examples };
}

/** 0..size-1, shuffled when a generator is given. */
export function epochOrder(size: number, random?: SeededRandom): number[] {
  const order = Array.from({ length: size }, (_, i) => i);
  return random ? random.shuffle(order) : order;
}

/** Consecutive groups of `batchSize` positions; the last may be smaller unless `dropLast`. */
export function batchIndices(order: readonly number[], batchSize: number, dropLast = false): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) {
    const group = order.slice(i, i + batchSize);
    if (group.length === batchSize || !dropLast) out.push(group);
  }
  return out;
}

/** The batch of the examples at `indices`, padded to maxLength ('max') or to its longest example. */
export function makeBatch(tokenized: TokenizedDataset, indices: readonly number[], padTo: 'max' | 'longest' = 'max'): Batch {
  const examples = indices.map((i) => {
    const e = tokenized.examples[i];
    if (!e) throw new Error(`example index ${i} is outside ${tokenized.dataset.name} (${tokenized.examples.length} examples)`);
    return e;
  });
  const encoded = padBatch(examples, tokenized.maxLength, tokenized.padId, padTo);
  const source = tokenized.dataset.examples;
  const labels = tokenized.dataset.kind === 'regression' ? Float32Array.from(indices, (i) => source[i].label) : Int32Array.from(indices, (i) => source[i].label);
  return { ...encoded, indices: indices.slice(), labels };
}

export interface EpochOptions {
  batchSize: number;
  /** Shuffles the order when given (its state advances, so the next epoch gets another order). */
  random?: SeededRandom;
  dropLast?: boolean;
  padTo?: 'max' | 'longest';
}

/** The batches of one pass over the dataset. */
export function* epochBatches(tokenized: TokenizedDataset, options: EpochOptions): Generator<Batch> {
  const order = epochOrder(tokenized.examples.length, options.random);
  for (const indices of batchIndices(order, options.batchSize, options.dropLast)) yield makeBatch(tokenized, indices, options.padTo);
}
