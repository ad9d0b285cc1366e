// BERT WordPiece tokenization: loadTokenizer.ts says which implementation a folder gets and why.
export { loadTokenizer, specFromTokenizerJson, specFromVocabTxt, type LoadTokenizerOptions } from './loadTokenizer';
export { encodeIds, padBatch, longestFirstLengths, type EncodedBatch, type EncodedInput } from './encode';
export { encodeTexts } from './encodeTexts';
export { TypeScriptBertTokenizer } from './typescriptTokenizer';
export { LibraryBertTokenizer } from './libraryTokenizer';
export { Vocabulary, SPECIAL_TOKENS } from './vocabulary';
export { UNCASED_SETTINGS, type BertNormalizerSettings } from './bertPreTokenize';
export type { BertTokenizer, BertTokenizerSpec } from './types';
