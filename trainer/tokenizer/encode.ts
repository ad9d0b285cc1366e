// From word-piece ids to BERT inputs: [CLS] A [SEP] (B [SEP]), token type 0 for A and its [CLS]/[SEP],
// 1 for B and its [SEP]; truncation to a maximum length; padding with [PAD]; attention masks; and
// batches as flat int32 arrays of shape (B, L), ready for tf.tensor2d.
//
// Truncation is "longest first" as Hugging Face's fast tokenizers (the Rust `tokenizers` behind
// transformers' AutoTokenizer; measured on its npm binding 0.23.2, see test/unit/tokenizer/) do it:
//   1. each text is first cut to maxLength word pieces;
//   2. with a budget of n = maxLength - 3 for the pair, of lengths s <= l: if s + l <= n keep both;
//      else if s <= n / 2 keep s and the first n - s of the longer; else the shorter keeps
//      floor(n / 2) and the longer ceil(n / 2), and on a tie the first text keeps floor(n / 2).
// (The slow Python BertTokenizer removes one piece at a time from the longer text, which differs
// from this on some ties; the fast tokenizer is what Hugging Face uses by default.)
import { UserError } from '../errors';

export interface EncodedInput {
  /** Unpadded: [CLS] A [SEP] (B [SEP]). */
  inputIds: number[];
  tokenTypeIds: number[];
  /** Whether some word pieces were cut off. */
  truncated: boolean;
}

export interface SpecialIds {
  clsId: number;
  sepId: number;
  padId: number;
}

/** The lengths to keep of a pair of texts of these lengths with `budget` word pieces between them (step 2 above). */
export function longestFirstLengths(lengthA: number, lengthB: number, budget: number): [number, number] {
  if (budget < 0) throw new Error(`truncation budget must be >= 0, got ${budget}`);
  if (lengthA + lengthB <= budget) return [lengthA, lengthB];
  const swap = lengthA > lengthB;
  const shorter = swap ? lengthB : lengthA;
  let keepShorter = shorter;
  let keepLonger = shorter > budget ? shorter : Math.max(shorter, budget - shorter);
  if (keepShorter + keepLonger > budget) {
    keepShorter = Math.floor(budget / 2);
    keepLonger = keepShorter + (budget % 2);
  }
  return swap ? [keepLonger, keepShorter] : [keepShorter, keepLonger];
}

/** One example as BERT input of at most `maxLength` tokens (special tokens included). */
export function encodeIds(idsA: readonly number[], idsB: readonly number[] | undefined, maxLength: number, special: SpecialIds): EncodedInput {
  const specials = idsB === undefined ? 2 : 3;
  if (!Number.isInteger(maxLength) || maxLength < specials) {
    throw new UserError(`maxLength must be an integer >= ${specials} (room for the special tokens), got ${maxLength}`);
  }
  const budget = maxLength - specials;
  let keepA: number;
  let keepB = 0;
  if (idsB === undefined) keepA = Math.min(idsA.length, budget);
  else [keepA, keepB] = longestFirstLengths(Math.min(idsA.length, maxLength), Math.min(idsB.length, maxLength), budget);
  const inputIds = [special.clsId, ...idsA.slice(0, keepA), special.sepId];
  const tokenTypeIds = new Array<number>(inputIds.length).fill(0);
  if (idsB !== undefined) {
    inputIds.push(...idsB.slice(0, keepB), special.sepId);
    tokenTypeIds.push(...new Array<number>(keepB + 1).fill(1));
  }
  const truncated = keepA < idsA.length || (idsB !== undefined && keepB < idsB.length);
  return { inputIds, tokenTypeIds, truncated };
}

/** A batch of B examples padded to L tokens: three int32 arrays of B * L values, row-major (B, L). */
export interface EncodedBatch {
  batchSize: number;
  seqLength: number;
  inputIds: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds: Int32Array;
}

/**
 * Pads encoded examples into one batch. `padTo`: 'max' pads to `maxLength` (fixed shapes, one compiled
 * graph), 'longest' to the longest example of the batch (less work on short texts).
 */
export function padBatch(examples: readonly EncodedInput[], maxLength: number, padId: number, padTo: 'max' | 'longest' = 'max'): EncodedBatch {
  const longest = examples.reduce((m, e) => Math.max(m, e.inputIds.length), 0);
  if (longest > maxLength) throw new Error(`an example has ${longest} tokens, more than maxLength ${maxLength}`);
  const seqLength = padTo === 'max' ? maxLength : longest;
  const batchSize = examples.length;
  const inputIds = new Int32Array(batchSize * seqLength).fill(padId);
  const attentionMask = new Int32Array(batchSize * seqLength);
  const tokenTypeIds = new Int32Array(batchSize * seqLength);
  examples.forEach((e, row) => {
    const offset = row * seqLength;
    inputIds.set(e.inputIds, offset);
    tokenTypeIds.set(e.tokenTypeIds, offset);
    attentionMask.fill(1, offset, offset + e.inputIds.length);
  });
  return { batchSize, seqLength, inputIds, attentionMask, tokenTypeIds };
}
