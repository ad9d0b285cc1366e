// A Hugging Face model folder: config.json + model.safetensors (BertForSequenceClassification names,
// (out, in) Linear weights), with the tokenizer files beside them (vocab.txt, tokenizer.json,
// tokenizer_config.json, special_tokens_map.json). Read with every mismatch named; written atomically.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Bert, type BertOptions } from '../model/bert';
import { MLM_HEAD_NAMES, TIED_OR_UNUSED_PRETRAINING_TENSORS, type MlmHead } from '../model/mlmHead';
import { parseBertConfig } from '../model/config';
import type { BertConfig, BertModel } from '../model/types';
import type { BertNormalizerSettings } from '../tokenizer/bertPreTokenize';
import { specFromTokenizerJson, specFromVocabTxt } from '../tokenizer/loadTokenizer';
import type { Vocabulary } from '../tokenizer/vocabulary';
import { writeFileAtomic, writeFolderAtomic } from '../util/atomicFile';
import { finishNow, type Steps } from '../util/timeSlices';
import { InputError, parseJsonFile, shown } from '../errors';
import { assignHfArraysSteps, hfWeightProblems, weightProblemsError, mlmHeadToHfArrays, modelToHfArrays, normalizeHfName } from './hfWeights';
import { readSafetensorsSteps, serializeSafetensors, type LoadedTensor, type TensorToWrite, type WritableDtype } from './safetensors';

export const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

export interface HfFolderContent {
  config: BertConfig;
  /** By Hugging Face name (LayerNorm gamma/beta renamed weight/bias), Hugging Face layout, float32. */
  tensors: Map<string, LoadedTensor>;
  /** The vocabulary of vocab.txt or tokenizer.json, when the folder has one. */
  vocab?: Vocabulary;
  /** Things worth telling that are not errors (a vocabulary smaller than the embedding, ...). */
  notes: string[];
  /** With `allowNewHead`: the task-head weights the folder lacks (pooler, classifier), to initialise fresh. */
  missingHead: string[];
  /** With `allowNewHead`: the masked-LM head (`cls.predictions.*`) when the folder has one. */
  mlmHead?: Map<string, LoadedTensor>;
}

export interface ReadHfFolderOptions {
  /**
   * Accept a pre-trained BERT without this task's head (BertModel, BertForMaskedLM, BertForPreTraining,
   * a pretrain run's export): a missing pooler or classifier is listed in `missingHead`, the masked-LM
   * head is returned apart, the tied decoder copy and the next-sentence head are ignored, and names
   * without the `bert.` prefix (a BertModel saved alone) get it.
   */
  allowNewHead?: boolean;
}

/** The task head of BertForSequenceClassification: what a pre-trained BERT may lack. */
export const TASK_HEAD_NAMES = ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias'];

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new InputError({ file: path, expected: what, found: 'no file at this path' });
  return parseJsonFile(readFileSync(path, 'utf8'), path, what);
}

/** The weights of a folder: model.safetensors, or the shards listed in model.safetensors.index.json. */
function* weightSteps(folder: string): Steps<Map<string, LoadedTensor>> {
  const single = join(folder, 'model.safetensors');
  const index = join(folder, 'model.safetensors.index.json');
  const files: string[] = [];
  if (existsSync(single)) files.push(single);
  else if (existsSync(index)) {
    const map = (readJson(index, 'the index of the weight shards (JSON)') as { weight_map?: Record<string, string> }).weight_map;
    if (!map || typeof map !== 'object') throw new InputError({ file: index, field: 'weight_map', expected: 'an object { tensor: shard file }', found: shown(map) });
    files.push(...[...new Set(Object.values(map))].map((f) => join(folder, f)));
  } else if (existsSync(join(folder, 'pytorch_model.bin'))) {
    throw new InputError({ file: folder, expected: 'model.safetensors', found: 'only pytorch_model.bin (a PyTorch pickle)', hint: 'save the model as model.safetensors (transformers: save_pretrained(..., safe_serialization=True))' });
  } else {
    throw new InputError({ file: folder, expected: 'model.safetensors (or model.safetensors.index.json and its shards)', found: 'neither' });
  }
  const tensors = new Map<string, LoadedTensor>();
  for (const file of files) {
    for (const [name, t] of (yield* readSafetensorsSteps(file)).tensors) {
      const key = normalizeHfName(name);
      if (tensors.has(key)) throw new InputError({ file, field: `tensor ${key}`, expected: 'each tensor once in the shards', found: 'it a second time' });
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
    throw new InputError({ file: where, expected: `a vocabulary of at most ${config.vocab_size} tokens (vocab_size, the rows of the word embedding)`, found: `${vocab.size} tokens: token ids ${config.vocab_size}..${vocab.size - 1} would have no embedding` });
  }
  if (vocab.size < config.vocab_size) return `${where}: the vocabulary has ${vocab.size} tokens, the embedding ${config.vocab_size} rows (the extra rows are never used)`;
  return undefined;
}

/** Splits the pre-training parts off a pre-trained BERT's tensors (see ReadHfFolderOptions.allowNewHead). */
function splitPretrainingTensors(tensors: Map<string, LoadedTensor>, notes: string[]): { tensors: Map<string, LoadedTensor>; mlmHead?: Map<string, LoadedTensor> } {
  const prefixed = [...tensors.keys()].some((n) => n.startsWith('bert.'));
  const encoder = new Map<string, LoadedTensor>();
  const head = new Map<string, LoadedTensor>();
  const ignored: string[] = [];
  for (const [raw, t] of tensors) {
    const name = !prefixed && /^(embeddings|encoder|pooler)\./.test(raw) ? `bert.${raw}` : raw;
    if (Object.values(MLM_HEAD_NAMES).includes(name as never)) head.set(name, t);
    else if (TIED_OR_UNUSED_PRETRAINING_TENSORS.test(name)) ignored.push(name);
    else encoder.set(name, t);
  }
  if (ignored.length) notes.push(`ignored ${ignored.join(', ')} (the tied decoder copy or the next-sentence head of pre-training)`);
  const complete = Object.values(MLM_HEAD_NAMES).every((n) => head.has(n));
  if (head.size && !complete) notes.push(`ignored an incomplete masked-LM head (${[...head.keys()].join(', ')})`);
  return { tensors: encoder, mlmHead: complete ? head : undefined };
}

/** The weights file of a folder, for messages: model.safetensors (or the index of its shards). */
function weightsFileOf(folder: string): string {
  const index = join(folder, 'model.safetensors.index.json');
  return !existsSync(join(folder, 'model.safetensors')) && existsSync(index) ? index : join(folder, 'model.safetensors');
}

/** Reads and checks a Hugging Face BERT folder. */
export function readHfFolder(folder: string, options: ReadHfFolderOptions = {}): HfFolderContent {
  return finishNow(hfFolderSteps(folder, options));
}

/** The same, with a step after reading each weights file and decoding each tensor (a 440 MB BERT-base
 *  file: 2 s on WASM in all; see util/timeSlices.ts). */
export function* hfFolderSteps(folder: string, options: ReadHfFolderOptions = {}): Steps<HfFolderContent> {
  if (!existsSync(folder)) throw new InputError({ file: folder, expected: 'a Hugging Face BERT folder', found: 'no folder at this path' });
  const configPath = join(folder, 'config.json');
  const config = parseBertConfig(readJson(configPath, 'the config.json of a Hugging Face BERT folder'), configPath);
  const notes: string[] = [];
  const weights = yield* weightSteps(folder);
  const split = options.allowNewHead ? splitPretrainingTensors(weights, notes) : { tensors: weights, mlmHead: undefined };
  const tensors = split.tensors;
  const missingHead = options.allowNewHead ? TASK_HEAD_NAMES.filter((n) => !tensors.has(n)) : [];
  const problems = hfWeightProblems(config, tensors).filter((p) => !missingHead.some((n) => p.startsWith(`missing tensor ${n} `)));
  if (problems.length) throw weightProblemsError(weightsFileOf(folder), `the tensors of ${basename(configPath)}`, problems);
  for (const [name, t] of tensors) {
    if (!(t.values instanceof Float32Array) && name !== 'bert.embeddings.position_ids') throw new InputError({ file: weightsFileOf(folder), field: `tensor ${name}`, expected: 'a float dtype', found: `the integer dtype ${t.dtype}` });
  }
  const vocab = readVocab(folder);
  if (vocab) {
    const note = vocabNote(vocab, config, folder);
    if (note) notes.push(note);
  }
  return { config, tensors, vocab, notes, missingHead, mlmHead: split.mlmHead };
}

/** A model with the weights of a Hugging Face folder. */
export function loadHfModel(folder: string, options: BertOptions = {}): { model: Bert } & HfFolderContent {
  return finishNow(hfModelSteps(folder, options));
}

/** The same, made in steps: a pause after each layer made and each tensor assigned (util/timeSlices.ts). */
export function* hfModelSteps(folder: string, options: BertOptions = {}): Steps<{ model: Bert } & HfFolderContent> {
  const content = yield* hfFolderSteps(folder);
  const model = yield* Bert.steps(content.config, options);
  try {
    yield* assignHfArraysSteps(model, content.tensors, folder);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, ...content };
}

/**
 * A model with the weights of a pre-trained BERT folder (see ReadHfFolderOptions.allowNewHead), given
 * the head of `labels` (num_labels, id2label, label2id): a pooler or classifier the folder lacks keeps
 * its seeded initial values, and `notes` says which. A folder with its own classifier keeps it (and its
 * labels): the caller checks that it fits the task.
 */
export function loadPretrainedHfModel(folder: string, labels: Pick<BertConfig, 'num_labels' | 'id2label' | 'label2id'>, options: BertOptions = {}): { model: Bert } & HfFolderContent {
  return finishNow(pretrainedHfModelSteps(folder, labels, options));
}

/** The same, made in steps (as hfModelSteps). */
export function* pretrainedHfModelSteps(folder: string, labels: Pick<BertConfig, 'num_labels' | 'id2label' | 'label2id'>, options: BertOptions = {}): Steps<{ model: Bert } & HfFolderContent> {
  const content = yield* hfFolderSteps(folder, { allowNewHead: true });
  const freshClassifier = content.missingHead.includes('classifier.weight');
  const config: BertConfig = freshClassifier ? { ...content.config, ...labels } : content.config;
  const model = yield* Bert.steps(config, options);
  try {
    yield* assignHfArraysSteps(model, content.tensors, folder, { keepFresh: new Set(content.missingHead) });
  } catch (e) {
    model.dispose();
    throw e;
  }
  if (content.missingHead.length) content.notes.push(`${folder} has no ${content.missingHead.join(', ')}: initialised fresh (a pre-trained BERT given this task's head)`);
  return { model, ...content, config };
}

/** The config.json object of a config, as transformers writes it for BertForSequenceClassification (or BertForMaskedLM). */
export function hfConfigJson(config: BertConfig, architecture: 'BertForSequenceClassification' | 'BertForMaskedLM' | 'BertModel' = 'BertForSequenceClassification'): Record<string, unknown> {
  const id2label = config.id2label ?? Object.fromEntries(Array.from({ length: config.num_labels }, (_, i) => [String(i), `LABEL_${i}`]));
  return {
    architectures: [architecture],
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
  /** Write a BertForMaskedLM folder: the encoder and this masked-LM head, without pooler and classifier. */
  mlmHead?: MlmHead;
  /** Write a bare BertModel folder (a general run's student): embeddings, encoder and pooler under
   *  transformers' BertModel names (no `bert.` prefix), without the classifier. */
  bertModel?: boolean;
}

/** Writes `model` as a Hugging Face folder at `target` (replacing it), atomically. */
export async function writeHfFolder(model: BertModel, target: string, options: WriteHfFolderOptions = {}): Promise<void> {
  const { config } = model;
  const tokenizerVocab = options.tokenizerFrom ? readVocab(options.tokenizerFrom) : options.vocab;
  if (options.tokenizerFrom && !tokenizerVocab) throw new InputError({ file: options.tokenizerFrom, expected: 'vocab.txt or tokenizer.json to copy', found: 'neither' });
  if (tokenizerVocab) vocabNote(tokenizerVocab, config, options.tokenizerFrom ?? 'the vocabulary');
  let arrays = modelToHfArrays(model);
  if (options.mlmHead) {
    arrays = new Map([...arrays].filter(([name]) => !TASK_HEAD_NAMES.includes(name)));
    for (const [name, a] of mlmHeadToHfArrays(options.mlmHead)) arrays.set(name, a);
  } else if (options.bertModel) {
    arrays = new Map([...arrays].filter(([name]) => name.startsWith('bert.')).map(([name, a]) => [name.slice('bert.'.length), a]));
  }
  const tensors = new Map<string, TensorToWrite>([...arrays].map(([name, a]) => [name, { ...a, dtype: options.dtype ?? 'F32' }]));
  const bytes = serializeSafetensors(tensors, { format: 'pt' });
  await writeFolderAtomic(target, (dir) => {
    writeFileAtomic(join(dir, 'config.json'), JSON.stringify(hfConfigJson(config, options.mlmHead ? 'BertForMaskedLM' : options.bertModel ? 'BertModel' : undefined), null, 2) + '\n');
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
