// BERT tokenization through Hugging Face's own `tokenizers` (the npm binding of the Rust library that
// transformers' fast tokenizers use). It is loaded lazily, so that a machine where its native binary
// does not load can still use the TypeScript tokenizer (see loadTokenizer.ts).
import type * as TokenizersModule from 'tokenizers';
import type { BertTokenizer, BertTokenizerSpec } from './types';
import type { Vocabulary } from './vocabulary';

type Tokenizers = typeof TokenizersModule;
type NativeTokenizer = InstanceType<Tokenizers['Tokenizer']>;

/** Texts per call into the native library: large enough to use its threads, small enough to stay responsive. */
const CHUNK = 2048;

let loaded: Tokenizers | undefined;

/**
 * The `tokenizers` module, or an error saying why it cannot be loaded here. It is required, not
 * imported, because it is a CommonJS package with a native binary that the bundles keep external.
 */
export function loadTokenizersLibrary(): Tokenizers {
  if (loaded) return loaded;
  try {
    loaded = require('tokenizers') as Tokenizers;
  } catch (e) {
    throw new Error(`the native 'tokenizers' library cannot be loaded on ${process.platform}-${process.arch}: ${(e as Error).message}`);
  }
  return loaded;
}

export class LibraryBertTokenizer implements BertTokenizer {
  readonly implementation = 'tokenizers-library' as const;

  private constructor(
    private readonly native: NativeTokenizer,
    readonly vocab: Vocabulary,
    readonly source: string,
  ) {}

  /** From a tokenizer.json; `spec` is its parsed form (parseTokenizerJson), for the vocabulary. */
  static async fromTokenizerJson(path: string, spec: BertTokenizerSpec): Promise<LibraryBertTokenizer> {
    const lib = loadTokenizersLibrary();
    const native = lib.Tokenizer.fromFile(path);
    native.disableTruncation();
    native.disablePadding();
    return new LibraryBertTokenizer(native, spec.vocab, path);
  }

  /**
   * The same tokenizer built from its parts (vocab.txt style): WordPiece model, BertNormalizer,
   * BertPreTokenizer, and the special tokens kept whole in a text.
   */
  static async fromSpec(spec: BertTokenizerSpec): Promise<LibraryBertTokenizer> {
    if (spec.typescriptUnsupported) throw new Error(`${spec.source}: build it from its tokenizer.json instead (${spec.typescriptUnsupported})`);
    const lib = loadTokenizersLibrary();
    const vocab: Record<string, number> = {};
    spec.vocab.tokens.forEach((token, id) => (vocab[token] = id));
    const model = lib.WordPiece.init(vocab, {
      unkToken: spec.vocab.tokenOf(spec.vocab.unkId),
      continuingSubwordPrefix: spec.wordPiece.continuingSubwordPrefix,
      maxInputCharsPerWord: spec.wordPiece.maxInputCharsPerWord,
    });
    const native = new lib.Tokenizer(model);
    native.setNormalizer(lib.bertNormalizer(spec.normalizer));
    native.setPreTokenizer(lib.bertPreTokenizer());
    native.addSpecialTokens(spec.vocab.specialTokensInText());
    return new LibraryBertTokenizer(native, spec.vocab, spec.source);
  }

  async tokenizeBatch(texts: readonly string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += CHUNK) {
      const encodings = await this.native.encodeBatch(texts.slice(i, i + CHUNK), { addSpecialTokens: false });
      for (const e of encodings) out.push(e.getIds());
    }
    return out;
  }
}
