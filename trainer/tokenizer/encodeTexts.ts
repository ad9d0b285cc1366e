// Raw texts (and optional second texts) to one padded batch: tokenizer + encodeIds + padBatch, for
// callers that have a few sentences rather than a dataset (the data pipeline uses trainer/data/batches.ts).
import { encodeIds, padBatch, type EncodedBatch } from './encode';
import type { BertTokenizer } from './types';

export interface EncodeTextsOptions {
  /** Tokens per example, [CLS]/[SEP] included. */
  maxLength: number;
  /** 'max' (default): pad to maxLength; 'longest': to the longest example. */
  padTo?: 'max' | 'longest';
}

export async function encodeTexts(
  tokenizer: BertTokenizer,
  texts: readonly string[],
  pairs: readonly string[] | undefined,
  options: EncodeTextsOptions,
): Promise<EncodedBatch & { truncated: boolean[] }> {
  if (pairs && pairs.length !== texts.length) throw new Error(`encodeTexts: ${texts.length} texts but ${pairs.length} second texts`);
  const ids = await tokenizer.tokenizeBatch(texts);
  const pairIds = pairs ? await tokenizer.tokenizeBatch(pairs) : undefined;
  const { vocab } = tokenizer;
  const encoded = ids.map((a, i) => encodeIds(a, pairIds?.[i], options.maxLength, vocab));
  return { ...padBatch(encoded, options.maxLength, vocab.padId, options.padTo), truncated: encoded.map((e) => e.truncated) };
}
