// A Hugging Face model folder: config.json + model.safetensors (BertForSequenceClassification names,
// (out, in) Linear weights), with the tokenizer files beside them (vocab.txt, tokenizer.json,
// tokenizer_config.json, special_tokens_map.json). Read with every mismatch named; written atomically.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bert, type BertOptions } from '../model/bert';
import { parseBertConfig } from '../model/config';
import type { BertConfig, BertModel } from '../model/types';
import type { BertNormalizerSettings } from '../tokenizer/bertPreTokenize';
import { specFromTokenizerJson, specFromVocabTxt } from '../tokenizer/loadTokenizer';
import type { Vocabulary } from '../tokenizer/vocabulary';
import { writeFileAtomic, writeFolderAtomic } from '../util/atomicFile';
import { assignHfArrays, hfWeightProblems, modelToHfArrays, normalizeHfName } from './hfWeights';
import { readSafetensors, serializeSafetensors, type LoadedTensor, type TensorToWrite, type WritableDtype } from './safetensors';

export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export interface HfFolderContent {
  config: BertConfig;
  /** By Hugging Face name (LayerNorm gamma/beta renamed weight/bias), Hugging Face layout, float32. */
  tensors: Map<string, LoadedTensor>;
  /** The vocabulary of vocab.txt or tokenizer.json, when the folder has one. */
  vocab?: Vocabulary;
  /** Things worth telling that are not errors (a vocabulary smaller than the embedding, ...). */
  notes: string[];
}

function readJson(path: string): unknown {
  if (!existsSync(path)) throw new Error(`${path}: file not found`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** The weights of a folder: model.safetensors, or the shards listed in model.safetensors.index.json. */
function readWeights(folder: string): Map<string, LoadedTensor> {
  const single = join(folder, 'model.safetensors');
  const index = join(folder, 'model.safetensors.index.json');
  const files: string[] = [];
  if (existsSync(single)) files.push(single);
  else if (existsSync(index)) {
    const map = (readJson(index) as { weight_map?: Record<string, string> }).weight_map;
    if (!map || typeof map !== 'object') throw new Error(`${index}: no "weight_map"`);
    files.push(...[...new Set(Object.values(map))].map((f) => join(folder, f)));
  } else if (existsSync(join(folder, 'pytorch_model.bin'))) {
    throw new Error(`${folder}: only pytorch_model.bin (a PyTorch pickle) is there; save the model as model.safetensors (transformers: save_pretrained(..., safe_serialization=True))`);
  } else {
    throw new Error(`${folder}: no model.safetensors`);
  }
  const tensors = new Map<string, LoadedTensor>();
  for (const file of files) {
    for (const [name, t] of readSafetensors(file).tensors) {
      const key = normalizeHfName(name);
      if (tensors.has(key)) throw new Error(`${file}: tensor ${key} appears twice`);
      tensors.set(key, t);
    }
  }
  return tensors;
}

/** The vocabulary of the tokenizer files of a folder, if any. */
function readVocab(folder: string): Vocabulary | undefined {
  if (existsSync(join(folder, 'tokenizer.json'))) return specFromTokenizerJson(join(folder, 'tokenizer.json')).vocab;
  if (existsSync(join(folder, 'vocab.txt'))) return specFromVocabTxt(join(folder, 'vocab.txt')).vocab;
  return undefined;
}

/** Checks a vocabulary against the embedding: more tokens than rows is an error, fewer a note. */
function vocabNote(vocab: Vocabulary, config: BertConfig, where: string): string | undefined {
  if (vocab.size > config.vocab_size) {
    throw new Error(`${where}: the vocabulary has ${vocab.size} tokens but the word embedding has ${config.vocab_size} rows (vocab_size): token ids ${config.vocab_size}..${vocab.size - 1} would have no embedding`);
  }
  if (vocab.size < config.vocab_size) return `${where}: the vocabulary has ${vocab.size} tokens, the embedding ${config.vocab_size} rows (the extra rows are never used)`;
  return undefined;
}

/** Reads and checks a Hugging Face BERT folder. */
export function readHfFolder(folder: string): HfFolderContent {
  if (!existsSync(folder)) throw new Error(`${folder}: folder not found`);
  const configPath = join(folder, 'config.json');
  const config = parseBertConfig(readJson(configPath), configPath);
  const tensors = readWeights(folder);
  const problems = hfWeightProblems(config, tensors);
  if (problems.length) throw new Error(`${folder}: the weights do not match config.json:\n  - ${problems.join('\n  - ')}`);
  for (const [name, t] of tensors) {
    if (!(t.values instanceof Float32Array) && name !== 'bert.embeddings.position_ids') throw new Error(`${folder}: tensor ${name} has integer dtype ${t.dtype}, expected a float type`);
  }
  const notes: string[] = [];
  const vocab = readVocab(folder);
  if (vocab) {
    const note = vocabNote(vocab, config, folder);
    if (note) notes.push(note);
  }
  return { config, tensors, vocab, notes };
}

/** A model with the weights of a Hugging Face folder. */
export function loadHfModel(folder: string, options: BertOptions = {}): { model: Bert } & HfFolderContent {
  const content = readHfFolder(folder);
  const model = new Bert(content.config, options);
  try {
    assignHfArrays(model, content.tensors, folder);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, ...content };
}

/** The config.json object of a config, as transformers writes it for BertForSequenceClassification. */
export function hfConfigJson(config: BertConfig): Record<string, unknown> {
  const id2label = config.id2label ?? Object.fromEntries(Array.from({ length: config.num_labels }, (_, i) => [String(i), `LABEL_${i}`]));
  return {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    attention_probs_dropout_prob: config.attention_probs_dropout_prob,
    classifier_dropout: config.classifier_dropout ?? null,
    hidden_act: config.hidden_act,
    hidden_dropout_prob: config.hidden_dropout_prob,
    hidden_size: config.hidden_size,
    id2label,
    initializer_range: config.initializer_range,
    intermediate_size: config.intermediate_size,
    label2id: Object.fromEntries(Object.entries(id2label).map(([id, name]) => [name, Number(id)])),
    layer_norm_eps: config.layer_norm_eps,
    max_position_embeddings: config.max_position_embeddings,
    num_attention_heads: config.num_attention_heads,
    num_hidden_layers: config.num_hidden_layers,
    pad_token_id: config.pad_token_id,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
    type_vocab_size: config.type_vocab_size,
    vocab_size: config.vocab_size,
  };
}

export interface WriteHfFolderOptions {
  /** Copy the tokenizer files of this folder (e.g. the teacher's), after checking the vocabulary size. */
  tokenizerFrom?: string;
  /** Or write vocab.txt and tokenizer_config.json for this vocabulary. */
  vocab?: Vocabulary;
  normalizer?: BertNormalizerSettings;
  /** Float dtype of the weights in model.safetensors; default F32. */
  dtype?: Extract<WritableDtype, 'F32' | 'F16' | 'BF16'>;
}

/** Writes `model` as a Hugging Face folder at `target` (replacing it), atomically. */
export async function writeHfFolder(model: BertModel, target: string, options: WriteHfFolderOptions = {}): Promise<void> {
  const { config } = model;
  const tokenizerVocab = options.tokenizerFrom ? readVocab(options.tokenizerFrom) : options.vocab;
  if (options.tokenizerFrom && !tokenizerVocab) throw new Error(`${options.tokenizerFrom}: no vocab.txt or tokenizer.json to copy`);
  if (tokenizerVocab) vocabNote(tokenizerVocab, config, options.tokenizerFrom ?? 'the vocabulary');
  const arrays = modelToHfArrays(model);
  const tensors = new Map<string, TensorToWrite>([...arrays].map(([name, a]) => [name, { ...a, dtype: options.dtype ?? 'F32' }]));
  const bytes = serializeSafetensors(tensors, { format: 'pt' });
  await writeFolderAtomic(target, (dir) => {
    writeFileAtomic(join(dir, 'config.json'), JSON.stringify(hfConfigJson(config), null, 2) + '\n');
    writeFileAtomic(join(dir, 'model.safetensors'), bytes);
    if (options.tokenizerFrom) {
      for (const file of TOKENIZER_FILES) {
        if (existsSync(join(options.tokenizerFrom, file))) copyFileSync(join(options.tokenizerFrom, file), join(dir, file));
      }
    } else if (options.vocab) {
      const n = options.normalizer;
      writeFileAtomic(join(dir, 'vocab.txt'), options.vocab.toVocabTxt());
      const tokenizerConfig = {
        tokenizer_class: 'BertTokenizer',
        do_lower_case: n?.lowercase ?? true,
        strip_accents: n && n.stripAccents !== n.lowercase ? n.stripAccents : null,
        tokenize_chinese_chars: n?.handleChineseChars ?? true,
        model_max_length: config.max_position_embeddings,
        unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]',
      };
      writeFileAtomic(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');
    }
  });
}
