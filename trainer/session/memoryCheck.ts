// The memory check of a run (trainer/perf/runMemory.ts) from its config: the dimensions of the model it
// trains and of its teacher, read from the shapes and the folders' config.json files (never their
// weights), before anything is allocated. The CLI runs it before it makes a run folder (the vocabulary
// guessed from the tokenizer or model folder when it is not built yet); the session again once the
// data is read (the real vocabulary, labels and teacher-cache size) and the backend is known.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../config/runConfig';
import { BERT_POSITIONS } from '../config/runConfig';
import { parseJsonFile, UserError } from '../errors';
import { autoCapBytes, estimateTeacherCacheBytesOf, type TeacherCacheSetting } from '../perf/teacherCacheSetting';
import { checkRunMemory, estimateRunMemory, type BertDims, type RunMemoryInput } from '../perf/runMemory';
import { teacherFolderOf } from './models';

interface FolderConfig {
  vocab_size?: number;
  max_position_embeddings?: number;
  type_vocab_size?: number;
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  intermediate_size?: number;
  num_labels?: number;
  id2label?: Record<string, string>;
}

/** A folder's config.json; undefined when there is none or it cannot be read (the model's loader says
 *  what is wrong with it, where it reads it: the check is then left to the next one). */
function folderConfig(folder: string | undefined): FolderConfig | undefined {
  const file = folder && join(folder, 'config.json');
  if (!file || !existsSync(file)) return undefined;
  try {
    const c = parseJsonFile(readFileSync(file, 'utf8'), file, 'a Hugging Face config.json');
    return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as FolderConfig) : undefined;
  } catch {
    return undefined;
  }
}

function dimsOfFolder(c: FolderConfig, labels: number): BertDims {
  return {
    vocab: c.vocab_size ?? 30522, positions: c.max_position_embeddings ?? BERT_POSITIONS, types: c.type_vocab_size ?? 2, hidden: c.hidden_size ?? 768,
    layers: c.num_hidden_layers ?? 12, heads: c.num_attention_heads ?? 12, intermediate: c.intermediate_size ?? 3072, labels,
  };
}

/** The size of a tokenizer folder's vocabulary (vocab.txt lines, tokenizer.json's model.vocab), when there is one. */
function tokenizerSize(folder: string | undefined): number | undefined {
  if (!folder) return undefined;
  const txt = join(folder, 'vocab.txt');
  if (existsSync(txt)) return readFileSync(txt, 'utf8').split('\n').filter((l) => l !== '').length;
  const json = join(folder, 'tokenizer.json');
  if (existsSync(json)) {
    try {
      const vocab = (JSON.parse(readFileSync(json, 'utf8')) as { model?: { vocab?: object } }).model?.vocab;
      if (vocab) return Object.keys(vocab).length;
    } catch {
      // the tokenizer's own reader says what is wrong with it
    }
  }
  return undefined;
}

export interface KnownData {
  vocabSize: number;
  labels: number;
  /** The training set's examples and real tokens (the teacher cache's size). */
  train?: { examples: number; tokens: number };
}

/** The memory input of a run: what it trains, its teacher, batch, length and teacher-cache budget. */
export function runMemoryInput(config: RunConfig, runsDir: string, known: KnownData | undefined, teacherCache: TeacherCacheSetting | undefined): RunMemoryInput | undefined {
  let teacherFolder: string | undefined;
  try {
    teacherFolder = teacherFolderOf(config, runsDir);
  } catch {
    return undefined; // a teacher without a folder fails where it is read, with its own message
  }
  const teacherConfig = folderConfig(teacherFolder);
  if (config.teacher && !teacherConfig) return undefined;
  const labels = known?.labels ?? teacherConfig?.num_labels ?? 2;
  const vocab = known?.vocabSize ?? teacherConfig?.vocab_size ?? tokenizerSize(config.tokenizer) ?? folderConfig(config.init)?.vocab_size ?? config.builtVocabSize;
  const teacher = teacherConfig && dimsOfFolder(teacherConfig, labels);
  if (teacher && teacher.positions < config.maxLength) {
    throw new UserError(`maxLength ${config.maxLength} is longer than the teacher's max_position_embeddings ${teacher.positions} (${teacherFolder})`, 'maxLength');
  }
  let trained: BertDims;
  const initFolder = config.studentInit ?? (config.kind === 'teacher' || config.kind === 'pretrain' || config.kind === 'student' ? config.init : undefined);
  const fromFolder = folderConfig(initFolder);
  if (initFolder && !fromFolder) return undefined;
  if (fromFolder) {
    trained = dimsOfFolder(fromFolder, labels);
  } else {
    const shape = config.kind === 'teacher' || config.kind === 'pretrain' ? config.model : config.student;
    if (!shape) return undefined;
    trained = { vocab, positions: teacher?.positions ?? shape.maxPositions ?? BERT_POSITIONS, types: 2, hidden: shape.hidden, layers: shape.layers, heads: shape.heads, intermediate: shape.intermediate, labels };
  }
  let teacherCacheBytes = 0;
  if (teacher && teacherCache?.mode === 'budget') teacherCacheBytes = teacherCache.mib * 2 ** 20;
  else if (teacher && teacherCache?.mode !== 'off' && known?.train) {
    teacherCacheBytes = Math.min(autoCapBytes(), estimateTeacherCacheBytesOf(known.train, { layers: trained.layers, hidden: teacher.hidden, labels }));
  }
  return {
    trained, teacher, batchSize: config.optim.batchSize, maxLength: config.maxLength, teacherCacheBytes,
    ...(config.kind === 'pretrain' ? { mlm: { maskProbability: config.pretraining.maskProbability } } : {}),
  };
}

/** Refuses a run that does not fit the machine (or the backend's heap): one line, exit 2. */
export function checkRunFits(config: RunConfig, runsDir: string, what: string, backend: string | undefined, teacherCache?: TeacherCacheSetting, known?: KnownData): void {
  const input = runMemoryInput(config, runsDir, known, teacherCache);
  if (!input) return;
  checkRunMemory(estimateRunMemory(input), input, backend, what);
}
