// The pure TypeScript BERT tokenizer: special tokens kept whole, then BertNormalizer + BertPreTokenizer
// (bertPreTokenize.ts), then WordPiece (wordPiece.ts). It gives the same ids as Hugging Face's
// tokenizers for BERT WordPiece vocabularies (checked in test/unit/tokenizer/), needs no native
// binary, and is synchronous. See loadTokenizer.ts for when it is used.
import { bertPreTokenize } from './bertPreTokenize';
import type { BertTokenizer, BertTokenizerSpec } from './types';
import type { Vocabulary } from './vocabulary';
import { wordPieceIds } from './wordPiece';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class TypeScriptBertTokenizer implements BertTokenizer {
  readonly implementation = 'typescript' as const;
  readonly vocab: Vocabulary;
  readonly source: string;
  private readonly specialPattern: RegExp | undefined;
  /** Word -> ids; words repeat a lot in a corpus. Bounded so that a huge corpus cannot grow it forever. */
  private readonly cache = new Map<string, number[]>();

  constructor(private readonly spec: BertTokenizerSpec) {
    if (spec.typescriptUnsupported) throw new Error(spec.typescriptUnsupported);
    this.vocab = spec.vocab;
    this.source = spec.source;
    const specials = spec.vocab.specialTokensInText();
    // Special tokens written in a text ("[SEP]") are matched on the raw text, before lowercasing,
    // as Hugging Face does with its added tokens (normalized: false).
    this.specialPattern = specials.length ? new RegExp(`(${specials.map(escapeRegExp).join('|')})`) : undefined;
  }

  /** Word-piece ids of one text (no [CLS]/[SEP]). */
  tokenize(text: string): number[] {
    const ids: number[] = [];
    const parts = this.specialPattern ? text.split(this.specialPattern) : [text];
    parts.forEach((part, i) => {
      // split() with a capturing group puts the separators at the odd indices.
      if (i % 2 === 1) {
        ids.push(this.vocab.idOf(part)!);
        return;
      }
      for (const word of bertPreTokenize(part, this.spec.normalizer)) ids.push(...this.wordIds(word));
    });
    return ids;
  }

  /** The tokens of one text, for display and tests. */
  tokens(text: string): string[] {
    return this.tokenize(text).map((id) => this.vocab.tokenOf(id));
  }

  async tokenizeBatch(texts: readonly string[]): Promise<number[][]> {
    return texts.map((t) => this.tokenize(t));
  }

  private wordIds(word: string): number[] {
    let ids = this.cache.get(word);
    if (ids === undefined) {
      ids = wordPieceIds(word, this.vocab, this.spec.wordPiece);
      if (this.cache.size >= 200_000) this.cache.clear();
      this.cache.set(word, ids);
    }
    return ids;
  }
}
