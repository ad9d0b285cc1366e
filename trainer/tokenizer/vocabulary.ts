// A BERT WordPiece vocabulary: token <-> id, and the ids of the special tokens.
// Read from `vocab.txt` (one token a line, the id is the line number) or from the `model.vocab`
// object of a Hugging Face `tokenizer.json`.
import { InputError, shown, shownList } from '../errors';

/** The special tokens of BERT, in the names Hugging Face uses. */
export const SPECIAL_TOKENS = {
  pad: '[PAD]',
  unk: '[UNK]',
  cls: '[CLS]',
  sep: '[SEP]',
  mask: '[MASK]',
} as const;

export class Vocabulary {
  /** tokens[id] */
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  /** -1 when the vocabulary has no [MASK] (it is not needed for classification). */
  readonly maskId: number;

  /** `source` names the file in error messages. */
  constructor(tokens: readonly string[], source: string) {
    if (tokens.length === 0) throw new InputError({ file: source, expected: 'a vocabulary of tokens', found: 'no tokens' });
    const ids = new Map<string, number>();
    tokens.forEach((token, id) => {
      const previous = ids.get(token);
      if (previous !== undefined) {
        throw new InputError({ file: source, expected: 'each token once', found: `token ${JSON.stringify(token)} twice (ids ${previous} and ${id})` });
      }
      ids.set(token, id);
    });
    this.tokens = tokens;
    this.ids = ids;
    const needed = [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.unk, SPECIAL_TOKENS.cls, SPECIAL_TOKENS.sep];
    const missing = needed.filter((t) => !ids.has(t));
    if (missing.length) {
      throw new InputError({ file: source, expected: `BERT's special tokens ${needed.join(', ')}`, found: `the vocabulary has no ${missing.join(', ')} token${missing.length > 1 ? 's' : ''} (its first tokens: ${shownList(tokens.slice(0, 5), 5)})` });
    }
    const required = (token: string): number => ids.get(token)!;
    this.padId = required(SPECIAL_TOKENS.pad);
    this.unkId = required(SPECIAL_TOKENS.unk);
    this.clsId = required(SPECIAL_TOKENS.cls);
    this.sepId = required(SPECIAL_TOKENS.sep);
    this.maskId = ids.get(SPECIAL_TOKENS.mask) ?? -1;
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or undefined. */
  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  tokenOf(id: number): string {
    const token = this.tokens[id];
    if (token === undefined) throw new Error(`token id ${id} is outside the vocabulary (size ${this.size})`);
    return token;
  }

  /** The special tokens that are kept whole when they occur in a text (as Hugging Face does). */
  specialTokensInText(): string[] {
    return Object.values(SPECIAL_TOKENS).filter((t) => this.ids.has(t));
  }

  /** `vocab.txt` text: one token a line. A final newline is allowed; a blank line inside is an error. */
  static fromVocabTxt(text: string, source = 'vocab.txt'): Vocabulary {
    const lines = text.split(/\r?\n/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((line, i) => {
      if (line.length === 0) throw new InputError({ file: source, line: i + 1, expected: 'a token on each line', found: 'an empty line in the vocabulary' });
    });
    return new Vocabulary(lines, source);
  }

  /** The `model.vocab` object of a tokenizer.json: { token: id }, ids 0..n-1 each used once. */
  static fromTokenToIdMap(vocab: Record<string, unknown>, source: string): Vocabulary {
    const entries = Object.entries(vocab);
    const tokens: string[] = new Array<string>(entries.length);
    for (const [token, id] of entries) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= entries.length) {
        throw new InputError({ file: source, field: `token ${JSON.stringify(token)}`, expected: `an id, an integer in [0, ${entries.length})`, found: shown(id) });
      }
      if (tokens[id] !== undefined) {
        throw new InputError({ file: source, field: `id ${id}`, expected: 'one token per id', found: `both ${JSON.stringify(tokens[id])} and ${JSON.stringify(token)}` });
      }
      tokens[id] = token;
    }
    return new Vocabulary(tokens, source);
  }

  /** The vocab.txt text of this vocabulary. */
  toVocabTxt(): string {
    return this.tokens.join('\n') + '\n';
  }
}
