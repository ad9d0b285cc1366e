// The text side of BERT tokenization, before WordPiece: Hugging Face's BertNormalizer followed by its
// BertPreTokenizer, written from their documented behaviour (tokenizers' `normalizers/bert.rs` and
// `pre_tokenizers/bert.rs`, transformers' `BasicTokenizer`):
//   1. clean text: drop U+0000, U+FFFD and control/format characters (Unicode category C, except tab,
//      newline and carriage return); every whitespace character becomes a space;
//   2. put spaces around CJK ideographs, so that each becomes a word of its own;
//   3. strip accents (NFD, then drop non-spacing marks, category Mn), by default when lowercasing;
//   4. lowercase;
//   5. split on whitespace, and split every punctuation character (ASCII punctuation or Unicode
//      category P) into a word of its own.

export interface BertNormalizerSettings {
  /** Lowercase the text (`do_lower_case`). */
  lowercase: boolean;
  /** Strip accents; Hugging Face's default (null) means "when lowercasing". */
  stripAccents: boolean;
  /** Put spaces around CJK ideographs (`tokenize_chinese_chars`). */
  handleChineseChars: boolean;
  /** Remove control characters and map whitespace to a space. */
  cleanText: boolean;
}

export const UNCASED_SETTINGS: BertNormalizerSettings = {
  lowercase: true,
  stripAccents: true,
  handleChineseChars: true,
  cleanText: true,
};

const CONTROL = /\p{C}/u;
const WHITESPACE = /\p{White_Space}/u;
const NONSPACING_MARKS = /\p{Mn}/gu;
const UNICODE_PUNCTUATION = /\p{P}/u;

/** The CJK Unified Ideographs blocks that BERT treats as one word each (not Hangul or kana). */
export function isChineseChar(codePoint: number): boolean {
  return (
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x20000 && codePoint <= 0x2a6df) ||
    (codePoint >= 0x2a700 && codePoint <= 0x2b73f) ||
    (codePoint >= 0x2b740 && codePoint <= 0x2b81f) ||
    (codePoint >= 0x2b820 && codePoint <= 0x2ceaf) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0x2f800 && codePoint <= 0x2fa1f)
  );
}

/** ASCII !"#$%&'()*+,-./ :;<=>?@ [\]^_` {|}~ count as punctuation although some are symbols in Unicode. */
export function isPunctuation(char: string): boolean {
  const cp = char.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return UNICODE_PUNCTUATION.test(char);
}

function isWhitespace(char: string): boolean {
  return char === '\t' || char === '\n' || char === '\r' || WHITESPACE.test(char);
}

function isControl(char: string): boolean {
  if (char === '\t' || char === '\n' || char === '\r') return false;
  return CONTROL.test(char);
}

/** Steps 1 to 4: the normalized text. */
export function normalizeBertText(text: string, settings: BertNormalizerSettings): string {
  let out = text;
  if (settings.cleanText || settings.handleChineseChars) {
    let cleaned = '';
    for (const char of out) {
      const cp = char.codePointAt(0)!;
      if (settings.cleanText) {
        if (cp === 0 || cp === 0xfffd || isControl(char)) continue;
        if (isWhitespace(char)) {
          cleaned += ' ';
          continue;
        }
      }
      cleaned += settings.handleChineseChars && isChineseChar(cp) ? ` ${char} ` : char;
    }
    out = cleaned;
  }
  if (settings.stripAccents) out = out.normalize('NFD').replace(NONSPACING_MARKS, '');
  if (settings.lowercase) out = out.toLowerCase();
  return out;
}

/** Step 5 on a normalized text: the words that WordPiece then splits. */
export function splitBertWords(normalized: string): string[] {
  const words: string[] = [];
  let current = '';
  for (const char of normalized) {
    if (isWhitespace(char)) {
      if (current) words.push(current);
      current = '';
    } else if (isPunctuation(char)) {
      if (current) words.push(current);
      words.push(char);
      current = '';
    } else {
      current += char;
    }
  }
  if (current) words.push(current);
  return words;
}

/** Steps 1 to 5. */
export function bertPreTokenize(text: string, settings: BertNormalizerSettings): string[] {
  return splitBertWords(normalizeBertText(text, settings));
}
