// WordPiece: greedy longest-match-first split of one word into vocabulary pieces, continuation pieces
// carrying the '##' prefix. A word that cannot be split completely, or that is longer than
// `maxInputCharsPerWord` characters (code points), becomes the single unknown token.
import type { Vocabulary } from './vocabulary';

export interface WordPieceSettings {
  continuingSubwordPrefix: string;
  /** Hugging Face's default is 100. */
  maxInputCharsPerWord: number;
}

export const DEFAULT_WORDPIECE: WordPieceSettings = { continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 };

/** The ids of the pieces of `word` (one id, the unknown token's, when it cannot be split). */
export function wordPieceIds(word: string, vocab: Vocabulary, settings: WordPieceSettings = DEFAULT_WORDPIECE): number[] {
  const chars = Array.from(word);
  if (chars.length > settings.maxInputCharsPerWord) return [vocab.unkId];
  const ids: number[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let found: number | undefined;
    while (start < end) {
      const piece = (start > 0 ? settings.continuingSubwordPrefix : '') + chars.slice(start, end).join('');
      found = vocab.idOf(piece);
      if (found !== undefined) break;
      end -= 1;
    }
    if (found === undefined) return [vocab.unkId];
    ids.push(found);
    start = end;
  }
  return ids;
}
