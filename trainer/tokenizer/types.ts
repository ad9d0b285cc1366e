// What the data pipeline needs of a BERT tokenizer: word-piece ids of raw texts, without special tokens,
// truncation or padding (trainer/tokenizer/encode.ts adds those, the same way for every implementation).
import type { BertNormalizerSettings } from './bertPreTokenize';
import type { Vocabulary } from './vocabulary';
import type { WordPieceSettings } from './wordPiece';

/** Everything that defines a BERT WordPiece tokenizer. */
export interface BertTokenizerSpec {
  vocab: Vocabulary;
  normalizer: BertNormalizerSettings;
  wordPiece: WordPieceSettings;
  /** Where it came from, for messages: a file path. */
  source: string;
  /** Set when only Hugging Face's library can run it (tokenizer.json with another normalizer or pre-tokenizer): why. */
  typescriptUnsupported?: string;
}

export interface BertTokenizer {
  /** 'tokenizers-library': Hugging Face's native `tokenizers` binding; 'typescript': trainer/tokenizer/typescriptTokenizer.ts. */
  readonly implementation: 'tokenizers-library' | 'typescript';
  readonly vocab: Vocabulary;
  readonly source: string;
  /** Word-piece ids of each text: no [CLS]/[SEP], no truncation, no padding. */
  tokenizeBatch(texts: readonly string[]): Promise<number[][]>;
}
