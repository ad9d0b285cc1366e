// Command-line flags of `lrc-distill`, and how they become a run config: a --config file (optional)
// as the base, each flag overriding one field. Validation is the config schema's.
import { absoluteConfigPaths } from '../config/configPaths';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConfigOrigin } from '../config/effective';
import { InputError, parseJsonFile, shown, UserError } from '../errors';

/** Flags every command understands, for util.parseArgs. */
export const FLAGS = {
  runs: { type: 'string' },
  config: { type: 'string' },
  task: { type: 'string' },
  'glue-dir': { type: 'string' },
  train: { type: 'string' },
  dev: { type: 'string' },
  'text-column': { type: 'string' },
  'pair-column': { type: 'string' },
  'label-column': { type: 'string' },
  regression: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  teacher: { type: 'string' },
  tokenizer: { type: 'string' },
  init: { type: 'string' },
  'student-init': { type: 'string' },
  corpus: { type: 'string' },
  'corpus-field': { type: 'string' },
  'corpus-column': { type: 'string' },
  'corpus-text': { type: 'string' },
  'corpus-dev-passages': { type: 'string' },
  'mask-probability': { type: 'string' },
  layers: { type: 'string' },
  hidden: { type: 'string' },
  heads: { type: 'string' },
  ffn: { type: 'string' },
  dropout: { type: 'string' },
  'max-positions': { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  'max-steps': { type: 'string' },
  'max-length': { type: 'string' },
  'max-train': { type: 'string' },
  'max-dev': { type: 'string' },
  seed: { type: 'string' },
  split: { type: 'string' },
  epsilon: { type: 'string' },
  temperature: { type: 'string' },
  'eval-every': { type: 'string' },
  'log-every': { type: 'string' },
  patience: { type: 'string' },
  'no-analysis': { type: 'boolean' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  'teacher-cache': { type: 'string' },
  'teacher-store': { type: 'string' },
  'teacher-store-dtype': { type: 'string' },
  'teacher-store-max': { type: 'string' },
  max: { type: 'string' },
  'older-than': { type: 'string' },
  all: { type: 'boolean' },
  preset: { type: 'string' },
  name: { type: 'string' },
  baseline: { type: 'boolean' },
  loss: { type: 'string' },
  out: { type: 'string' },
  dtype: { type: 'string' },
  json: { type: 'boolean' },
  plain: { type: 'boolean' },
  quick: { type: 'boolean' },
  sweeps: { type: 'string' },
  results: { type: 'string' },
  records: { type: 'string' },
  executor: { type: 'string' },
  workers: { type: 'string' },
  wait: { type: 'boolean' },
  poll: { type: 'string' },
  format: { type: 'string' },
  rule: { type: 'string' },
  'serving-batch': { type: 'string' },
  'dry-run': { type: 'boolean' },
  gpu: { type: 'boolean' },
  wheel: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Flags = { [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

function num(flags: Flags, name: keyof Flags): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new InputError({ field: `--${name}`, expected: 'a number', found: shown(v) });
  return n;
}

type Json = Record<string, unknown>;

function set(target: Json, path: string[], value: unknown): void {
  if (value === undefined) return;
  let t = target;
  for (const key of path.slice(0, -1)) t = (t[key] ??= {}) as Json;
  t[path[path.length - 1]] = value;
}

/** The --config file: its path, text and object; undefined without one. */
export function configOrigin(flags: Flags): ConfigOrigin | undefined {
  if (!flags.config) return undefined;
  const file = resolve(flags.config);
  if (!existsSync(file)) throw new InputError({ field: '--config', expected: 'a run config file (JSON)', found: `no file at ${file}` });
  if (statSync(file).isDirectory()) throw new InputError({ field: '--config', expected: 'a run config file (JSON)', found: `the folder ${file}` });
  const text = readFileSync(file, 'utf8');
  const json = parseJsonFile(text, file, 'a run config (a JSON object)');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError({ file, expected: 'a run config (a JSON object)', found: shown(json) });
  return { file, text, json };
}

/** The --config file, parsed; {} without one. */
/** The --config file's fields; its paths made absolute against the working folder, so that the run's
 *  config means the same wherever it is resumed or inherited from. */
export function readConfigFile(flags: Flags): Json {
  return absoluteConfigPaths((configOrigin(flags)?.json ?? {}) as Json, process.cwd());
}

/** --task demo | glue:<TASK> | file, with the flags of each. */
function dataFromFlags(flags: Flags): Json | undefined {
  const task = flags.task;
  if (!task) return undefined;
  if (flags['no-header'] && task !== 'file') throw new InputError({ field: '--no-header', expected: 'a file task (--task file: CSV or TSV files without a header line)', found: `--task ${task}` });
  if (task === 'demo') return { task: 'demo' };
  if (task.startsWith('glue:')) {
    if (!flags['glue-dir']) throw new UserError('--task glue:<TASK> needs --glue-dir <folder holding CoLA/, SST-2/, ...>', '--glue-dir');
    return { task: 'glue', name: task.slice(5), dir: resolve(flags['glue-dir']) };
  }
  if (task === 'file') {
    if (!flags.train || !flags.dev) throw new UserError('--task file needs --train <file> and --dev <file>', '--train');
    return {
      task: 'file', train: resolve(flags.train), dev: resolve(flags.dev),
      columns: { text: flags['text-column'] ?? 'text', label: flags['label-column'] ?? 'label', ...(flags['pair-column'] ? { textPair: flags['pair-column'] } : {}) },
      ...(flags['no-header'] ? { header: false } : {}),
      ...(flags.regression ? { kind: 'regression' } : {}),
    };
  }
  throw new InputError({ field: '--task', expected: 'demo, glue:<TASK> (e.g. glue:SST-2) or file', found: shown(task) });
}

/** Without --task, the file-task flags (--train, --dev, the columns, --regression) change the fields of a
 *  file task given otherwise (the --config file's, or the one a distillation inherits from its teacher run). */
function fileFieldsOver(flags: Flags, data: Json | undefined): Json | undefined {
  if (!data || data.task !== 'file') return data;
  const d: Json = { ...data, columns: { ...(data.columns as Json) } };
  set(d, ['train'], flags.train && resolve(flags.train));
  set(d, ['dev'], flags.dev && resolve(flags.dev));
  set(d, ['columns', 'text'], flags['text-column']);
  set(d, ['columns', 'label'], flags['label-column']);
  set(d, ['columns', 'textPair'], flags['pair-column']);
  if (flags.regression) d.kind = 'regression';
  return d;
}

/** The shape flags as a model shape over `base` (undefined when no shape flag is given). */
function shapeFromFlags(flags: Flags, base: Json | undefined): Json | undefined {
  const fields = { layers: num(flags, 'layers'), hidden: num(flags, 'hidden'), heads: num(flags, 'heads'), intermediate: num(flags, 'ffn'), dropout: num(flags, 'dropout'), maxPositions: num(flags, 'max-positions') };
  if (Object.values(fields).every((v) => v === undefined)) return base;
  return { ...(base ?? {}), ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

/** A run config object (not yet validated) from the --config file and the flags. */
export function configFromFlags(kind: string, flags: Flags, extra: Json = {}, inherited: Json = {}): Json {
  // what a distillation inherits from its teacher run lies under the --config file and the flags
  const c: Json = { ...inherited, ...readConfigFile(flags), kind, ...extra };
  if (flags['no-header'] && !flags.task && kind !== 'general') {
    // --no-header over a --config file's data (the data of a file task)
    const data = c.data as Json | undefined;
    if (!data || data.task !== 'file') throw new InputError({ field: '--no-header', expected: 'a file task (--task file, or data.task "file" in --config)', found: data ? `data.task ${shown(data.task)}` : 'no data' });
    c.data = { ...data, header: false };
  }
  set(c, ['data'], dataFromFlags(flags) ?? fileFieldsOver(flags, c.data as Json | undefined) ?? { task: 'demo' });
  set(c, ['name'], flags.name);
  set(c, ['seed'], num(flags, 'seed'));
  set(c, ['backend'], flags.backend);
  set(c, ['maxLength'], num(flags, 'max-length'));
  set(c, ['maxTrainExamples'], num(flags, 'max-train'));
  set(c, ['maxDevExamples'], num(flags, 'max-dev'));
  set(c, ['tokenizer'], flags.tokenizer && resolve(flags.tokenizer));
  set(c, ['preset'], flags.preset);
  set(c, ['optim', 'epochs'], num(flags, 'epochs'));
  set(c, ['optim', 'batchSize'], num(flags, 'batch-size'));
  set(c, ['optim', 'learningRate'], num(flags, 'lr'));
  set(c, ['optim', 'maxSteps'], num(flags, 'max-steps'));
  set(c, ['stages', 'split'], num(flags, 'split'));
  set(c, ['stages', 'epsilon'], num(flags, 'epsilon'));
  set(c, ['stages', 'temperature'], num(flags, 'temperature'));
  set(c, ['eval', 'everySteps'], num(flags, 'eval-every'));
  set(c, ['eval', 'earlyStoppingPatience'], num(flags, 'patience'));
  if (flags['no-analysis']) set(c, ['eval', 'analysis'], false);
  set(c, ['logEverySteps'], num(flags, 'log-every'));
  set(c, ['pretraining', 'maskProbability'], num(flags, 'mask-probability'));
  const shapeKey = kind === 'teacher' || kind === 'pretrain' ? 'model' : 'student';
  set(c, [shapeKey], shapeFromFlags(flags, c[shapeKey] as Json | undefined));
  return c;
}

/** A general run's corpus: --corpus <path> [more paths] and its flags, over a --config file's corpus. */
export function corpusFromFlags(flags: Flags, morePaths: readonly string[], base: Json | undefined): Json {
  const given = flags.corpus === undefined ? [] : [flags.corpus, ...morePaths];
  if (given.length === 0 && morePaths.length > 0) throw new UserError(`unexpected argument '${morePaths[0]}': give the corpus as --corpus <file or folder> [more files or folders]`, '--corpus');
  const fromFile = base && base.task === 'corpus' ? base : undefined;
  if (given.length === 0 && !fromFile) throw new UserError('distill-general needs --corpus <file or folder> [more files or folders] (.txt, .jsonl, .tsv, .csv)', '--corpus');
  const text = flags['corpus-text'];
  if (text !== undefined && text !== 'lines' && text !== 'documents') throw new InputError({ field: '--corpus-text', expected: 'lines (a passage a line) or documents (blank-line separated, cut into windows)', found: shown(text) });
  const c: Json = { ...(fromFile ?? {}), task: 'corpus' };
  set(c, ['paths'], given.length ? given.map((p) => resolve(p)) : undefined);
  set(c, ['text'], text);
  set(c, ['field'], flags['corpus-field']);
  set(c, ['column'], flags['corpus-column']);
  set(c, ['devPassages'], num(flags, 'corpus-dev-passages'));
  if (flags['no-header']) c.header = false;
  return c;
}

/** --init: a Hugging Face folder (has config.json), or a finished run (id or prefix) whose export/ is one. */
export function modelFolderFromFlag(flag: string, value: string | undefined, resolveRun: (id: string) => string): string | undefined {
  if (!value) return undefined;
  if (existsSync(resolve(value, 'config.json'))) return resolve(value);
  if (existsSync(resolve(value))) throw new UserError(`${flag} ${value}: the folder has no config.json (expected a Hugging Face BERT folder)`, flag);
  const dir = resolveRun(value);
  const folder = join(dir, 'export');
  if (!existsSync(join(folder, 'config.json'))) throw new UserError(`${flag} ${value}: run ${dir.split(/[\\/]/).pop()} has no exported model yet (${folder})`, flag);
  return folder;
}

/** --teacher: a Hugging Face folder (has config.json) or a run id (prefix) in the runs folder. */
export function teacherFromFlag(value: string | undefined, resolveRun: (id: string) => string): Json | undefined {
  if (!value) return undefined;
  if (existsSync(resolve(value, 'config.json'))) return { path: resolve(value) };
  const dir = resolveRun(value);
  return { runId: dir.split(/[\\/]/).pop() };
}
