// A WordPiece vocabulary learnt from training texts, for a task that comes without a tokenizer (the
// bundled demo, or a teacher trained here from scratch). No vocabulary can be downloaded, and the
// Node binding of Hugging Face's tokenizers does not expose its WordPiece trainer's settings, so the
// vocabulary is built here, deterministically, in one pass over the word counts:
//   1. the BERT special tokens, [PAD] first (id 0, as BERT's pad_token_id);
//   2. every character seen at least `minCharCount` times, as a word start and as a '##' continuation,
//      so that any word made of such characters tokenizes without [UNK];
//   3. whole words by frequency, up to `wordShare` of the remaining room;
//   4. the most useful word pieces of the words left out: prefixes (word starts) and '##' pieces of 2 to
//      `maxPieceLength` characters, ranked by frequency x characters saved.
// Ties are broken alphabetically, so the same texts always give the same vocabulary.
// A large training file takes seconds (200,000 lines of 20 words: about 6.5 s, mostly splitting the texts
// into words): a run builds it in time slices (buildWordPieceVocabInSlices), pausing between texts.
import { bertPreTokenize, UNCASED_SETTINGS, type BertNormalizerSettings } from './bertPreTokenize';
import { SPECIAL_TOKENS } from './vocabulary';
import { UserError } from '../errors';
import { finishInSlices, finishNow, type Pause, type Steps } from '../util/timeSlices';

export interface BuildVocabOptions {
  size: number;
  normalizer?: BertNormalizerSettings;
  minCharCount?: number;
  wordShare?: number;
  maxPieceLength?: number;
}

const SPECIALS = [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.unk, SPECIAL_TOKENS.cls, SPECIAL_TOKENS.sep, SPECIAL_TOKENS.mask];

function ranked(counts: Map<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([t]) => t);
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** The tokens of vocab.txt, in id order. */
export function buildWordPieceVocab(texts: Iterable<string>, options: BuildVocabOptions): string[] {
  return finishNow(wordPieceVocabSteps(texts, options));
}

/** The same vocabulary, built in time slices with `pause` between them (where a stop is heard). */
export function buildWordPieceVocabInSlices(texts: Iterable<string>, options: BuildVocabOptions, pause: Pause): Promise<string[]> {
  return finishInSlices(wordPieceVocabSteps(texts, options), pause);
}

/** The building, pausable after each text and each word of the piece counts. */
function* wordPieceVocabSteps(texts: Iterable<string>, options: BuildVocabOptions): Steps<string[]> {
  const { size, normalizer = UNCASED_SETTINGS, minCharCount = 2, wordShare = 0.6, maxPieceLength = 8 } = options;
  if (!Number.isInteger(size) || size < SPECIALS.length + 2) throw new Error(`vocabulary size must be an integer >= ${SPECIALS.length + 2}, got ${size}`);
  const words = new Map<string, number>();
  for (const text of texts) {
    for (const w of bertPreTokenize(text, normalizer)) bump(words, w, 1);
    yield;
  }
  if (words.size === 0) throw new UserError('cannot build a vocabulary: the texts hold no words');

  const vocab: string[] = [...SPECIALS];
  const has = new Set(vocab);
  const add = (t: string) => {
    if (vocab.length < size && !has.has(t)) {
      has.add(t);
      vocab.push(t);
    }
  };

  const chars = new Map<string, number>();
  for (const [w, n] of words) for (const c of w) bump(chars, c, n);
  const keptChars = ranked(chars).filter((c) => chars.get(c)! >= minCharCount);
  for (const c of keptChars) add(c);
  for (const c of keptChars) add(`##${c}`);

  const wordBudget = vocab.length + Math.floor((size - vocab.length) * wordShare);
  const byFrequency = ranked(words);
  let next = 0;
  for (; next < byFrequency.length && vocab.length < wordBudget; next++) {
    if (words.get(byFrequency[next])! >= 2) add(byFrequency[next]);
  }

  const pieces = new Map<string, number>();
  for (const w of byFrequency.slice(next)) {
    const n = words.get(w)!;
    const cs = [...w];
    for (let start = 0; start < cs.length; start++) {
      for (let len = 2; len <= maxPieceLength && start + len <= cs.length; len++) {
        const piece = cs.slice(start, start + len).join('');
        bump(pieces, start === 0 ? piece : `##${piece}`, n * (len - 1));
      }
    }
    yield;
  }
  for (const p of ranked(pieces)) {
    if (vocab.length >= size) break;
    add(p);
  }
  return vocab;
}
