// The catalogue of bad inputs: one row per case, each the bad input, the exact fragment of the one-line
// message it must give and the exit code. catalogue.unit.test.ts runs every row through the CLI (and
// checks that nothing else in the row's folder changed); printCatalogue.ts prints docs/errors.md from
// the same rows. No node:test here, so that the printer can import it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './cliRun';
import { tempDir } from '../helpers/tempDir';
import { writeTinyTask } from '../session/tinyTask';
import { parseSafetensors, serializeSafetensors, type TensorToWrite } from '../../../trainer/checkpoint/safetensors';

export type Area = 'usage' | 'run config' | 'data file' | 'corpus' | 'tokenizer' | 'checkpoint' | 'run folder' | 'control request' | 'sweep file';

export const AREAS: readonly { area: Area; title: string; about: string }[] = [
  { area: 'usage', title: 'Command line', about: 'commands, flags and their values' },
  { area: 'run config', title: 'Run configs', about: 'the `--config` file and the fields the flags set (trainer/config/runConfig.ts); a field of the file is named with its line' },
  { area: 'data file', title: 'Data files', about: 'the `--train` / `--dev` files of `--task file` (CSV, TSV, JSON lines; `--no-header` for files without a header line)' },
  { area: 'corpus', title: 'Corpus files', about: 'the `--corpus` files and folders of `distill-general` (.txt, .jsonl, .tsv, .csv; docs/general-distillation.md): a path that gives no corpus file fails before a run folder is made, a bad line in a file fails the run at that line' },
  { area: 'tokenizer', title: 'Tokenizer folders', about: '`--tokenizer <folder>`: vocab.txt or tokenizer.json' },
  { area: 'checkpoint', title: 'Checkpoints', about: 'Hugging Face folders given as `--teacher` (config.json, model.safetensors) and a run\'s own checkpoints/last/' },
  { area: 'run folder', title: 'Run folders', about: 'run ids and the files of a run folder (run.json, metrics.jsonl)' },
  { area: 'control request', title: 'Control requests', about: '`lrc-distill control <run> <request>`' },
  { area: 'sweep file', title: 'Sweep files', about: '`lrc-distill sweep <file> [--dry-run]`: every run config is checked before anything is created' },
];

/** What a row's setup may use: its own folder (the CLI runs there) and the fixtures. */
export interface RowContext {
  /** The row's folder, the working folder of the command; nothing in it may change but what the row allows. */
  dir: string;
  /** dir/.lrc/runs, the default runs folder. */
  runsDir: string;
  /** Writes a file in `dir` (folders made as needed) and returns its absolute path. */
  write(name: string, content: string | Uint8Array): string;
  /** Reads a file of `dir`. */
  read(name: string): Buffer;
  /** Removes a file of `dir`. */
  remove(name: string): void;
  /** A tiny task, train.tsv and dev.tsv with the header "sentence<TAB>label" and labels pos/neg. */
  tinyTask(): { train: string; dev: string };
  /** A copy of a tiny teacher's Hugging Face folder (1 layer, hidden 16, 2 labels) at dir/<name>. */
  teacherFolder(name?: string): string;
  /** A copy of a finished tiny teacher run in runsDir under a new id, with the changes given to its run.json; its id. */
  run(change?: (record: Record<string, unknown>) => void): string;
  /** An owner block that makes a run live: this (the test's) process, now. */
  liveOwner(): Record<string, unknown>;
}

export interface CatalogueRow {
  area: Area;
  /** The case, in a few words. */
  case: string;
  /** The bad input, for the table. */
  input: string;
  /** Exactly this text is in the message (stderr for an error, stdout for an accepted input). */
  fragment: string;
  exit: number;
  /** The command's arguments, after the row's files are written. */
  setup(ctx: RowContext): string[];
  /**
   * What may change in the row's folder: nothing (default); 'failed run': one new run folder whose
   * run.json and metrics.jsonl end failed with the same message, and nothing else; 'run folder': the
   * files of the run the command resumes (an accepted input).
   */
  changes?: 'failed run' | 'run folder';
  /** More checks, given the row's folder. */
  check?(ctx: RowContext, out: { stdout: string; stderr: string }): void;
}

/** Small shapes and steps for every command that trains. */
export const TINY = ['--max-length', '16', '--batch-size', '8', '--max-steps', '2', '--eval-every', '2', '--no-analysis', '--plain', '--backend', 'wasm'];
export const SHAPE = ['--layers', '1', '--hidden', '16', '--heads', '2', '--ffn', '32'];

/** A finished tiny teacher run, trained through the CLI in a new folder (`prefix` names it): the fixture
 * the catalogue's rows and the run-lock tests copy. */
export function trainTinyTeacherRun(prefix: string): { dir: string; runDir: string; id: string } {
  const dir = tempDir(prefix);
  const files = writeTinyTask(dir, 32, 16);
  const r = cli(['train-teacher', '--task', 'file', '--train', files.train, '--dev', files.dev, '--text-column', 'sentence', '--label-column', 'label', ...SHAPE, ...TINY], dir);
  if (r.code !== 0) throw new Error(`the tiny teacher run failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
  const id = /teacher run (\S+): finished/.exec(r.stdout)![1];
  return { dir, runDir: join(dir, '.lrc', 'runs', id), id };
}
const fileTask = (train: string, dev: string, columns: string[] = ['--text-column', 'sentence', '--label-column', 'label']) => ['--task', 'file', '--train', train, '--dev', dev, ...columns];
const teacher = (ctx: RowContext, extra: string[] = []) => {
  const { train, dev } = ctx.tinyTask();
  return ['train-teacher', ...fileTask(train, dev), ...SHAPE, ...TINY, ...extra];
};
const distillFrom = (ctx: RowContext, folder: string) => {
  const { train, dev } = ctx.tinyTask();
  return ['distill', '--teacher', folder, ...fileTask(train, dev), ...SHAPE, ...TINY];
};
const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
const tsv = (header: string | undefined, rows: string[][]) => [...(header ? [header] : []), ...rows.map((r) => r.join('\t'))].join('\n') + '\n';
const GOOD = [['a good film', 'pos'], ['a bad film', 'neg'], ['good acting', 'pos'], ['bad plot', 'neg']];

/** A run config of the tiny task for --config, with `patch` laid over it. */
function configFile(ctx: RowContext, patch: Record<string, unknown>): string {
  const { train, dev } = ctx.tinyTask();
  const base: Record<string, unknown> = {
    kind: 'teacher',
    data: { task: 'file', train, dev, columns: { text: 'sentence', label: 'label' } },
    model: { layers: 1, hidden: 16, heads: 2, intermediate: 32 },
    maxLength: 16,
    backend: 'wasm',
    optim: { batchSize: 8, maxSteps: 2 },
  };
  const merged = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) {
    merged[k] = v && typeof v === 'object' && !Array.isArray(v) && typeof merged[k] === 'object' ? { ...(merged[k] as object), ...v } : v;
  }
  return ctx.write('config.json', json(merged));
}
const withConfig = (ctx: RowContext, patch: Record<string, unknown>) => ['train-teacher', '--config', configFile(ctx, patch), '--plain'];

/** The teacher's model.safetensors rewritten with `change` applied to its tensors. */
function rewriteTensors(ctx: RowContext, folder: string, change: (t: Map<string, TensorToWrite>) => void): void {
  const { tensors } = parseSafetensors(ctx.read(`${folder}/model.safetensors`));
  const out = new Map<string, TensorToWrite>([...tensors].map(([n, t]) => [n, { shape: t.shape, values: t.values }]));
  change(out);
  ctx.write(`${folder}/model.safetensors`, serializeSafetensors(out, { format: 'pt' }));
}

/** distill-general from the tiny teacher over `corpus` (one passage held out), with `extra` flags. */
const general = (ctx: RowContext, corpus: string[], extra: string[] = []) => ['distill-general', '--teacher', ctx.teacherFolder(), '--corpus', ...corpus, '--corpus-dev-passages', '1', ...SHAPE, ...TINY, ...extra];

function sweep(ctx: RowContext, value: unknown, dryRun = true): string[] {
  const file = ctx.write('s.sweep.json', typeof value === 'string' ? value : json(value));
  return ['sweep', file, ...(dryRun ? ['--dry-run'] : [])];
}
const SWEEP_BASE = { kind: 'student', data: { task: 'demo' } };

export const CATALOGUE: CatalogueRow[] = [
  // ---- usage ------------------------------------------------------------------------------------
  { area: 'usage', case: 'unknown command', input: '`lrc-distill frobnicate`', fragment: "unknown command 'frobnicate' (lrc-distill --help lists the commands)", exit: 2, setup: () => ['frobnicate'] },
  { area: 'usage', case: 'unknown option', input: '`lrc-distill runs --colour`', fragment: "unknown option '--colour' (lrc-distill --help lists them)", exit: 2, setup: () => ['runs', '--colour'] },
  { area: 'usage', case: 'option without its value', input: '`lrc-distill train-teacher --epochs`', fragment: "Option '--epochs <value>' argument missing (lrc-distill --help lists the options)", exit: 2, setup: () => ['train-teacher', '--epochs'] },
  { area: 'usage', case: 'flag not a number', input: '`--epochs many`', fragment: '--epochs: expected a number, found "many"', exit: 2, setup: (ctx) => teacher(ctx, ['--epochs', 'many']) },
  { area: 'usage', case: 'unknown task', input: '`--task sst2`', fragment: '--task: expected demo, glue:<TASK> (e.g. glue:SST-2) or file, found "sst2"', exit: 2, setup: () => ['train-teacher', '--task', 'sst2'] },
  { area: 'usage', case: '--no-header on a GLUE task', input: '`--task glue:SST-2 --glue-dir g --no-header`', fragment: '--no-header: expected a file task (--task file: CSV or TSV files without a header line), found --task glue:SST-2', exit: 2, setup: () => ['train-teacher', '--task', 'glue:SST-2', '--glue-dir', 'g', '--no-header'] },
  { area: 'usage', case: 'export over a folder with other files', input: '`export <run> --out project` where project/ holds notes.txt and src/', fragment: '--out: expected a new folder, or a model folder to replace (config.json, model.safetensors, tokenizer files), found ', exit: 2, setup: (ctx) => (ctx.write('project/notes.txt', 'mine\n'), ctx.write('project/src/a.ts', 'x\n'), ['export', ctx.run(), '--out', 'project']), check: (_ctx, out) => assertHas(out.stderr, 'project holding "notes.txt", "src"; nothing was written: an export replaces the whole folder') },
  { area: 'usage', case: 'export onto a file', input: '`export <run> --out model.bin` where model.bin is a file', fragment: '--out: expected a folder to write the model into, found the file ', exit: 2, setup: (ctx) => (ctx.write('model.bin', 'mine\n'), ['export', ctx.run(), '--out', 'model.bin']) },
  { area: 'usage', case: 'export with an unknown dtype', input: '`export <run> --out m --dtype f8`', fragment: '--dtype: expected f32, f16 or bf16, found "f8"', exit: 2, setup: (ctx) => ['export', ctx.run(), '--out', 'm', '--dtype', 'f8'] },
  { area: 'usage', case: 'bad teacher-cache value', input: '`--teacher-cache lots` (or `LRC_TEACHER_CACHE=lots`, named so)', fragment: "--teacher-cache: expected 'auto', 'off' or a budget in MiB (a number, 0 = off), found \"lots\"", exit: 2, setup: (ctx) => teacher(ctx, ['--teacher-cache', 'lots']) },
  { area: 'usage', case: 'bad teacher-store dtype', input: '`--teacher-store-dtype half` (or `LRC_TEACHER_STORE_DTYPE=half`, named so)', fragment: "--teacher-store-dtype: expected 'float32' (f32) or 'float16' (f16), found \"half\"", exit: 2, setup: (ctx) => teacher(ctx, ['--teacher-store-dtype', 'half']) },
  { area: 'usage', case: 'bad teacher-store size limit', input: '`--teacher-store-max lots` (or `LRC_TEACHER_STORE_MAX=lots`, named so)', fragment: '--teacher-store-max: expected a size above 0: bytes, or a number with K, M, G or T (powers of 1024), e.g. 10G or 500M, found "lots"', exit: 2, setup: (ctx) => teacher(ctx, ['--teacher-store-max', 'lots']) },
  { area: 'usage', case: 'teacher-store prune without a limit', input: '`teacher-store prune` with no --max, --older-than nor --teacher-store-max', fragment: 'teacher-store prune needs a limit: --max <size> (e.g. 10G) and/or --older-than <days> (or --teacher-store-max / LRC_TEACHER_STORE_MAX)', exit: 2, setup: () => ['teacher-store', 'prune'] },
  { area: 'usage', case: 'teacher-store prune by a bad age', input: '`teacher-store prune --older-than a-month`', fragment: '--older-than: expected a number of days above 0 (e.g. 30 or 0.5), found "a-month"', exit: 2, setup: () => ['teacher-store', 'prune', '--older-than', 'a-month'] },
  { area: 'usage', case: 'teacher-store id matching nothing', input: '`teacher-store remove ffff` with no such store', fragment: "'ffff' matches no store in ", exit: 2, setup: () => ['teacher-store', 'remove', 'ffff'] },
  { area: 'usage', case: 'setup-native wheel not there', input: '`setup-native --wheel missing.whl`', fragment: '--wheel missing.whl: no such file or folder', exit: 2, setup: () => ['setup-native', '--wheel', 'missing.whl'] },
  { area: 'usage', case: 'setup-native wheel not a wheel', input: '`setup-native --wheel notes.txt`', fragment: 'notes.txt: not a TensorFlow wheel (expected a file like tensorflow_cpu-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl)', exit: 2, setup: (ctx) => ['setup-native', '--wheel', ctx.write('notes.txt', 'notes')] },
  { area: 'usage', case: 'setup-native wheel folder without a wheel', input: '`setup-native --wheel downloads` (a folder with no TensorFlow wheel)', fragment: 'the folder holds no TensorFlow wheel for linux x86_64', exit: 2, setup: (ctx) => { ctx.write('downloads/readme.txt', 'x'); return ['setup-native', '--wheel', 'downloads']; } },
  { area: 'usage', case: 'setup-native wheel damaged', input: 'the pinned wheel\'s file name with other bytes', fragment: ', not the published 810c75d7149d2da0cb2092187817b0dcabb80728ca9f9cf3a61f3f42fadd1298 (a damaged or altered download: fetch it again)', exit: 2, setup: (ctx) => ['setup-native', '--wheel', ctx.write('tensorflow_cpu-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'cut short')] },
  { area: 'usage', case: 'setup-native GPU from a CPU wheel', input: '`setup-native --gpu --wheel tensorflow_cpu-2.16.2-...whl`', fragment: "a CPU-only wheel cannot make the GPU backend (use the 'tensorflow' wheel", exit: 2, setup: (ctx) => ['setup-native', '--gpu', '--wheel', ctx.write('tensorflow_cpu-2.16.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'x')] },
  { area: 'usage', case: 'setup-native with an argument', input: '`setup-native now`', fragment: "setup-native takes no argument 'now'", exit: 2, setup: () => ['setup-native', 'now'] },
  { area: 'usage', case: 'bad thread count', input: '`--threads 0` (or `LRC_THREADS=0`, named so)', fragment: "--threads: expected 'auto' or a whole number of threads from 1 (8 at most are used), found \"0\"", exit: 2, setup: (ctx) => teacher(ctx, ['--threads', '0']) },
  { area: 'usage', case: 'distil without a teacher', input: '`distill` with no `--teacher`', fragment: 'teacher: a lrc run needs a teacher: { "path": "<Hugging Face folder>" } or { "runId": "<teacher run>" }', exit: 2, setup: (ctx) => ['distill', ...fileTask(ctx.tinyTask().train, ctx.tinyTask().dev), ...TINY] },

  // ---- run configs ------------------------------------------------------------------------------
  { area: 'run config', case: 'unknown field', input: '`"optim": { "batchsize": 8 }` (for batchSize)', fragment: "config.json:23: optim: Unrecognized key(s) in object: 'batchsize'", exit: 2, setup: (ctx) => withConfig(ctx, { optim: { batchsize: 8 } }) },
  { area: 'run config', case: 'a key given twice', input: '`"optim": { "batchSize": 8, "maxSteps": 2, "batchSize": 4 }`', fragment: 'config.json:23: optim.batchSize: expected each key once in an object, found "batchSize" given a second time; remove one of them (JSON keeps only the last, silently)', exit: 2, setup: (ctx) => {
    const file = configFile(ctx, {});
    ctx.write('config.json', ctx.read('config.json').toString('utf8').replace('"maxSteps": 2', '"maxSteps": 2,\n    "batchSize": 4'));
    return ['train-teacher', '--config', file, '--plain'];
  } },
  { area: 'run config', case: 'wrong type', input: '`"seed": "42"`', fragment: 'config.json:24: seed: Expected number, received string, found "42"', exit: 2, setup: (ctx) => withConfig(ctx, { seed: '42' }) },
  { area: 'run config', case: 'out-of-range loss weight', input: '`"stages": { "stage2": { "alpha": 1, "beta": 1, "gamma": -1 } }`', fragment: 'stages.stage2.gamma: Number must be greater than or equal to 0, found -1', exit: 2, setup: (ctx) => withConfig(ctx, { stages: { stage2: { alpha: 1, beta: 1, gamma: -1 } } }) },
  { area: 'run config', case: 'negative epsilon', input: '`"stages": { "epsilon": -0.5 }`', fragment: 'stages.epsilon: Number must be greater than or equal to 0, found -0.5', exit: 2, setup: (ctx) => withConfig(ctx, { stages: { epsilon: -0.5 } }) },
  { area: 'run config', case: 'stage split outside [0, 1]', input: '`--split 1.5`', fragment: 'command line: stages.split: Number must be less than or equal to 1, found 1.5', exit: 2, setup: (ctx) => teacher(ctx, ['--split', '1.5']) },
  { area: 'run config', case: 'a model far beyond the machine', input: '`train-student --layers 100 --hidden 8192 --heads 64 --ffn 32768` (80 billion parameters)', fragment: 'the student run: needs about 2317 GiB of memory (80.7 billion parameters trained: weights 301 GiB, optimiser 902 GiB, activations at batch 16 x length 128 1115 GiB) but ', exit: 2, setup: () => ['train-student', '--layers', '100', '--hidden', '8192', '--heads', '64', '--ffn', '32768'], check: (_ctx, out) => assertHas(out.stderr, 'is available (') },
  { area: 'run config', case: 'a model beyond the WASM heap', input: '`train-student --layers 24 --hidden 1024 --heads 16 --ffn 4096 --backend wasm` (BERT-large)', fragment: 'the student run: needs about 40.2 GiB on the WASM backend (312.1 million parameters trained: weights 1.2 GiB, optimiser 3.5 GiB, activations at batch 16 x length 128 35.5 GiB) but its heap holds at most 4 GiB; give a smaller shape (--layers --hidden --ffn), batch (--batch-size) or max length (--max-length), or the native backend (setup-native)', exit: 2, setup: () => ['train-student', '--layers', '24', '--hidden', '1024', '--heads', '16', '--ffn', '4096', '--backend', 'wasm'] },
  { area: 'run config', case: 'max length past the position table', input: '`train-student --max-length 100000` (a model from scratch: BERT\'s 512 positions)', fragment: "maxLength: maxLength 100000 is longer than the model's position table (BERT's 512); give student.maxPositions (--max-positions) of at least 100000 to train a model from scratch with a longer one", exit: 2, setup: () => ['train-student', '--max-length', '100000'] },
  { area: 'run config', case: "max length past the teacher's position table", input: '`distill --teacher <folder> --max-length 1000`, the teacher\'s max_position_embeddings 512', fragment: "maxLength 1000 is longer than the teacher's max_position_embeddings 512 (", exit: 2, setup: (ctx) => [...distillFrom(ctx, ctx.teacherFolder()), '--max-length', '1000'] },
  { area: 'run config', case: 'heads not dividing hidden', input: '`--hidden 30 --heads 4`', fragment: 'model.hidden: hidden 30 is not a multiple of heads 4', exit: 2, setup: (ctx) => [...teacher(ctx), '--hidden', '30', '--heads', '4'] },
  { area: 'run config', case: 'layer mapping not one per student layer', input: 'a 2-layer student with `"loss": { "layerMapping": [1, 2, 3] }`', fragment: 'loss.layerMapping: the layer mapping names 3 teacher layers but the student has 2 layers', exit: 2, setup: (ctx) => withConfig(ctx, { kind: 'student', model: undefined, student: { layers: 2, hidden: 16, heads: 2, intermediate: 32 }, loss: { layerMapping: [1, 2, 3] } }) },
  {
    area: 'run config', case: 'layer mapping past the teacher', input: '`"loss": { "layerMapping": [2] }` for a 1-layer teacher', fragment: 'layer mapping [2] names teacher layer 2 but the teacher has 1', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const { train, dev } = ctx.tinyTask();
      const file = ctx.write('config.json', json({ kind: 'lrc', teacher: { path: ctx.teacherFolder() }, data: { task: 'file', train, dev, columns: { text: 'sentence', label: 'label' } }, student: { layers: 1, hidden: 16, heads: 2, intermediate: 32 }, loss: { layerMapping: [2] }, maxLength: 16, backend: 'wasm', optim: { batchSize: 8, maxSteps: 2 }, eval: { analysis: false } }));
      return ['distill', '--config', file, '--plain'];
    },
  },
  { area: 'run config', case: 'invalid JSON', input: 'a `--config` file with no comma after line 3', fragment: "config.json:4: expected valid JSON: ',' or '}' after a member of an object, found `\"backend\": \"wasm\"`", exit: 2, setup: (ctx) => ['train-teacher', '--config', ctx.write('config.json', '{\n  "kind": "teacher",\n  "seed": 1\n  "backend": "wasm"\n}\n')] },
  { area: 'run config', case: 'not an object', input: 'a `--config` file holding `[1, 2]`', fragment: 'config.json: expected a run config (a JSON object), found [1,2]', exit: 2, setup: (ctx) => ['train-teacher', '--config', ctx.write('config.json', '[1, 2]\n')] },
  { area: 'run config', case: 'config file missing', input: '`--config nope.json`', fragment: '--config: expected a run config file (JSON), found no file at ', exit: 2, setup: () => ['train-teacher', '--config', 'nope.json'] },

  // ---- data files -------------------------------------------------------------------------------
  { area: 'data file', case: 'empty', input: 'an empty train.tsv', fragment: 'train.tsv: expected a header line and examples, found an empty file', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { train: '' }) },
  { area: 'data file', case: 'header only', input: 'train.tsv holding only `sentence<TAB>label`', fragment: 'train.tsv:1: expected examples after the header line, found only the header line ("sentence", "label")', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { train: 'sentence\tlabel\n' }) },
  { area: 'data file', case: 'ragged row', input: 'line 3 of train.tsv with three fields', fragment: 'train.tsv:3: expected 2 tab-separated fields (as the header line has), found 3', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { train: tsv('sentence\tlabel', [GOOD[0], [...GOOD[1], 'extra'], ...GOOD.slice(2)]) }) },
  { area: 'data file', case: 'unknown label in dev', input: 'dev.tsv line 3 labelled `neutral`; train.tsv has pos and neg', fragment: 'dev.tsv:3: column "label": expected one of "pos", "neg" (the labels of train.tsv), found "neutral"', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { dev: tsv('sentence\tlabel', [GOOD[0], ['so so', 'neutral'], GOOD[1]]) }) },
  { area: 'data file', case: 'label column missing', input: 'train.tsv with the header `sentence<TAB>category`, `--label-column label`', fragment: 'train.tsv:1: columns.label: expected a column of the header line ("sentence", "category"), found "label"', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { train: tsv('sentence\tcategory', GOOD) }) },
  { area: 'data file', case: 'non-numeric regression label', input: '`--regression`, line 3 of train.tsv labelled `high`', fragment: 'train.tsv:3: column "label": expected a number (the label of a regression task), found "high"', exit: 2, changes: 'failed run', setup: (ctx) => [...withData(ctx, { train: tsv('sentence\tlabel', [['a', '0.5'], ['b', 'high'], ['c', '1']]) }), '--regression'] },
  { area: 'data file', case: 'invalid UTF-8', input: 'train.tsv in Latin-1: `café` on line 3', fragment: 'train.tsv:3: expected UTF-8 text, found the byte 0xE9 at byte 4 of the line; a Latin-1 or Windows-1252 file? save it as UTF-8', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { train: Buffer.concat([Buffer.from('sentence\tlabel\na good film\tpos\ncaf'), Buffer.from([0xe9]), Buffer.from(' bad\tneg\n')]) }) },
  { area: 'data file', case: 'UTF-16 (byte order mark)', input: 'train.tsv saved as UTF-16 (Excel\'s "Unicode text")', fragment: 'train.tsv:1: expected UTF-8 text, found the UTF-16 byte order mark FF FE; save the file as UTF-8', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { train: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv('sentence\tlabel', GOOD), 'utf16le')]) }) },
  { area: 'data file', case: 'UTF-8 byte order mark', input: 'train.tsv starting with a UTF-8 BOM, `--text-column text`: the BOM is no part of the first column', fragment: 'train.tsv:1: columns.text: expected a column of the header line ("sentence", "label"), found "text"', exit: 2, changes: 'failed run', setup: (ctx) => [...withData(ctx, { train: '\ufeff' + tsv('sentence\tlabel', GOOD) }), '--text-column', 'text'] },
  { area: 'data file', case: 'CRLF line ends', input: 'dev.tsv with CRLF line ends and `neutral` on line 3: the label is shown without its CR', fragment: 'dev.tsv:3: column "label": expected one of "pos", "neg" (the labels of train.tsv), found "neutral"', exit: 2, changes: 'failed run', setup: (ctx) => withData(ctx, { dev: tsv('sentence\tlabel', [GOOD[0], ['so so', 'neutral']]).replace(/\n/g, '\r\n') }) },
  { area: 'data file', case: 'CSV quote not closed', input: 'train.csv whose line 3 opens a quote that never closes', fragment: 'train.csv:3: expected the closing quote of the quoted field that starts on this line, found the end of the file', exit: 2, changes: 'failed run', setup: (ctx) => withCsv(ctx, 'sentence,label\n"a good film",pos\n"a bad, film,neg\nok,pos\n') },
  { area: 'data file', case: 'CSV text after a closing quote', input: 'train.csv line 2: `"a good" film,pos`', fragment: 'train.csv:2: expected "," or the end of the line after a closing quote, found " "; a quote inside a quoted field is written twice ("")', exit: 2, changes: 'failed run', setup: (ctx) => withCsv(ctx, 'sentence,label\n"a good" film,pos\nbad,neg\n') },
  {
    area: 'data file', case: 'no header line, read with one', input: 'a headerless `text<TAB>label` corpus with `--text-column 0 --label-column 1` and no `--no-header`',
    fragment: "news.tsv:1: columns.text: expected a column of the header line (\"Stocks fall as oil prices climb\", \"Business\"), found \"0\"; line 1 looks like data (its cell \"Stocks fall as oil prices cli…\" is no column name): if the file has no header line, use --no-header (header: false in the run config's data) and give the columns by 0-based number", exit: 2, changes: 'failed run',
    setup: (ctx) => news(ctx, false),
  },
  {
    area: 'data file', case: 'first line looks like data', input: 'a headerless file whose first line is `good acting<TAB>pos`, read with a header and column names',
    fragment: "line 1 looks like data (its cell \"pos\" is a value of that column on line 3 too): if the file has no header line, use --no-header (header: false in the run config's data) and give the columns by 0-based number", exit: 2, changes: 'failed run',
    setup: (ctx) => withData(ctx, { train: tsv(undefined, [GOOD[2], GOOD[1], GOOD[0], GOOD[3]]) }),
  },
  {
    area: 'data file', case: 'header line read as data', input: '`--no-header` on train.tsv that has the header line `sentence<TAB>label`', fragment: 'train.tsv:1: column 1: expected a label other lines have too (a file read with --no-header starts with an example), found "label", which no other line has; if line 1 is a header line, leave out --no-header', exit: 2, changes: 'failed run',
    setup: (ctx) => [...withData(ctx, { train: tsv('sentence\tlabel', [...GOOD, ...GOOD]) }), '--no-header', '--text-column', '0', '--label-column', '1'],
  },
  { area: 'data file', case: 'column names without a header', input: '`--no-header` with `--text-column sentence`', fragment: 'train.tsv:1: columns.text: expected a 0-based column number from 0 to 1 (the file has no header line; line 1 has 2 tab-separated fields), found "sentence"; without a header line the columns are numbers, e.g. --text-column 0 --label-column 1', exit: 2, changes: 'failed run', setup: (ctx) => [...withData(ctx, { train: tsv(undefined, GOOD) }), '--no-header'] },
  { area: 'data file', case: 'column number past the last column', input: '`--no-header --text-column 0 --label-column 2` on a 2-column file', fragment: 'train.tsv:1: columns.label: expected a 0-based column number from 0 to 1 (the file has no header line; line 1 has 2 tab-separated fields), found "2"', exit: 2, changes: 'failed run', setup: (ctx) => [...withData(ctx, { train: tsv(undefined, GOOD) }), '--no-header', '--text-column', '0', '--label-column', '2'] },
  { area: 'data file', case: 'file not found', input: '`--train nope.tsv`', fragment: 'nope.tsv: expected a data file, found no file at this path', exit: 2, changes: 'failed run', setup: (ctx) => ['train-teacher', ...fileTask(`${ctx.dir}/nope.tsv`, ctx.tinyTask().dev), ...SHAPE, ...TINY] },
  { area: 'data file', case: 'unknown extension', input: '`--train train.txt`', fragment: 'train.txt: data.format: expected a .csv, .tsv, .tab, .jsonl, .ndjson or .json file, or the format given (csv, tsv or jsonl), found the extension ".txt"', exit: 2, changes: 'failed run', setup: (ctx) => ['train-teacher', ...fileTask(ctx.write('train.txt', tsv('sentence\tlabel', GOOD)), ctx.tinyTask().dev), ...SHAPE, ...TINY] },
  { area: 'data file', case: 'JSON lines: a bad line', input: 'train.jsonl whose line 2 is `{"sentence": "bad"`', fragment: 'train.jsonl:2: expected a JSON object on each line, found `{"sentence": "bad"`, which is not valid JSON', exit: 2, changes: 'failed run', setup: (ctx) => ['train-teacher', ...fileTask(ctx.write('train.jsonl', '{"sentence": "good", "label": "pos"}\n{"sentence": "bad"\n'), ctx.tinyTask().dev), ...SHAPE, ...TINY] },

  // ---- tokenizer folders ------------------------------------------------------------------------
  { area: 'tokenizer', case: 'folder missing', input: '`--tokenizer no-such-folder`', fragment: 'no-such-folder: tokenizer: expected a folder with tokenizer.json or vocab.txt, found no folder at this path', exit: 2, changes: 'failed run', setup: (ctx) => teacher(ctx, ['--tokenizer', 'no-such-folder']) },
  { area: 'tokenizer', case: 'neither file', input: 'a tokenizer folder holding only README.md', fragment: 'tok: tokenizer: expected a folder with tokenizer.json or vocab.txt, found neither', exit: 2, changes: 'failed run', setup: (ctx) => (ctx.write('tok/README.md', 'x\n'), teacher(ctx, ['--tokenizer', 'tok'])) },
  { area: 'tokenizer', case: 'vocab.txt without [CLS] and [SEP]', input: 'vocab.txt of `[PAD] [UNK] good bad`', fragment: "tok/vocab.txt: expected BERT's special tokens [PAD], [UNK], [CLS], [SEP], found the vocabulary has no [CLS], [SEP] tokens (its first tokens: \"[PAD]\", \"[UNK]\", \"good\", \"bad\")", exit: 2, changes: 'failed run', setup: (ctx) => (ctx.write('tok/vocab.txt', '[PAD]\n[UNK]\ngood\nbad\n'), teacher(ctx, ['--tokenizer', 'tok'])) },
  { area: 'tokenizer', case: 'vocab.txt with an empty line', input: 'vocab.txt whose line 3 is empty', fragment: 'tok/vocab.txt:3: expected a token on each line, found an empty line in the vocabulary', exit: 2, changes: 'failed run', setup: (ctx) => (ctx.write('tok/vocab.txt', '[PAD]\n[UNK]\n\n[CLS]\n[SEP]\n'), teacher(ctx, ['--tokenizer', 'tok'])) },
  { area: 'tokenizer', case: 'tokenizer.json of another model type', input: 'a GPT-2 style tokenizer.json (`"model": { "type": "BPE" }`)', fragment: 'tok/tokenizer.json: model.type: expected "WordPiece" (a BERT tokenizer), found "BPE"', exit: 2, changes: 'failed run', setup: (ctx) => (ctx.write('tok/tokenizer.json', json({ version: '1.0', model: { type: 'BPE', vocab: { a: 0 }, merges: [] } })), teacher(ctx, ['--tokenizer', 'tok'])) },
  { area: 'tokenizer', case: 'tokenizer.json not JSON', input: 'a tokenizer.json cut short after line 2', fragment: 'tok/tokenizer.json:2: expected valid JSON: the closing quote of the string before the end of the line, found the end of the line', exit: 2, changes: 'failed run', setup: (ctx) => (ctx.write('tok/tokenizer.json', '{\n  "model": { "type": "WordPi\n'), teacher(ctx, ['--tokenizer', 'tok'])) },

  // ---- checkpoints ------------------------------------------------------------------------------
  {
    area: 'checkpoint', case: 'truncated safetensors', input: 'the teacher\'s model.safetensors cut to its header and 100 bytes of data', fragment: 'teacher/model.safetensors: expected 47496 bytes of tensor data after the header (tensor "classifier.weight" ends at byte 47496), found 100; the file is truncated', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      const bytes = ctx.read('teacher/model.safetensors');
      ctx.write('teacher/model.safetensors', bytes.subarray(0, 8 + Number(bytes.readBigUInt64LE(0)) + 100));
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'header length past the file', input: 'model.safetensors whose 8-byte header length is twice the file\'s size', fragment: 'teacher/model.safetensors: header length: expected a safetensors header length within the 50072 bytes after the length field, found 100160; the file is cut short or not a safetensors file', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      const bytes = Buffer.from(ctx.read('teacher/model.safetensors'));
      bytes.writeBigUInt64LE(BigInt(bytes.length * 2), 0);
      ctx.write('teacher/model.safetensors', bytes);
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'unknown dtype', input: 'a tensor of dtype `Q32` in model.safetensors', fragment: 'teacher/model.safetensors: tensor "bert.embeddings.LayerNorm.bias" dtype: expected a dtype of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, found "Q32"', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      const bytes = ctx.read('teacher/model.safetensors');
      const n = 8 + Number(bytes.readBigUInt64LE(0));
      const header = bytes.subarray(0, n).toString('latin1').replace('"dtype":"F32"', '"dtype":"Q32"');
      ctx.write('teacher/model.safetensors', Buffer.concat([Buffer.from(header, 'latin1'), bytes.subarray(n)]));
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'tensor shape against config.json', input: 'config.json saying `intermediate_size` 48 for weights of 32', fragment: 'teacher/model.safetensors: expected the tensors of config.json, found 3 problems: bert.encoder.layer.0.intermediate.dense.weight has shape [32,16], expected [48,16] (intermediate_size, hidden_size from config.json)', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      const config = JSON.parse(ctx.read('teacher/config.json').toString('utf8')) as Record<string, unknown>;
      ctx.write('teacher/config.json', json({ ...config, intermediate_size: 48 }));
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'missing tensor', input: 'model.safetensors without `bert.pooler.dense.bias`', fragment: 'teacher/model.safetensors: expected the tensors of config.json, found 1 problem: missing tensor bert.pooler.dense.bias (expected [16])', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      rewriteTensors(ctx, 'teacher', (t) => t.delete('bert.pooler.dense.bias'));
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'extra tensor', input: 'model.safetensors with a tensor `extra.weight` no BERT has', fragment: 'teacher/model.safetensors: expected the tensors of config.json, found 1 problem: unexpected tensor extra.weight', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      rewriteTensors(ctx, 'teacher', (t) => t.set('extra.weight', { shape: [2], values: new Float32Array(2) }));
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'config.json not JSON', input: 'the teacher\'s config.json with a trailing comma on line 2', fragment: 'teacher/config.json:3: expected valid JSON: a string in double quotes, found `}`', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      ctx.write('teacher/config.json', '{\n  "hidden_size": 16,\n}\n');
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'PyTorch weights only', input: 'a teacher folder with pytorch_model.bin and no model.safetensors', fragment: 'teacher: expected model.safetensors, found only pytorch_model.bin (a PyTorch pickle); save the model as model.safetensors (transformers: save_pretrained(..., safe_serialization=True))', exit: 2, changes: 'failed run',
    setup: (ctx) => {
      const folder = ctx.teacherFolder();
      ctx.write('teacher/pytorch_model.bin', ctx.read('teacher/model.safetensors'));
      ctx.remove('teacher/model.safetensors');
      return distillFrom(ctx, folder);
    },
  },
  {
    area: 'checkpoint', case: 'resume from a cut checkpoint', input: '`resume` of a stopped run whose checkpoints/last/tensors.safetensors lost its last 1000 bytes', fragment: 'checkpoints/last/tensors.safetensors: expected 142488 bytes of tensor data after the header (tensor "student/classifier.weight" ends at byte 142488), found 141488; the file is truncated', exit: 2,
    setup: (ctx) => {
      const id = ctx.run((r) => (r.status = 'stopped'));
      const file = `.lrc/runs/${id}/checkpoints/last/tensors.safetensors`;
      const bytes = ctx.read(file);
      ctx.write(file, bytes.subarray(0, bytes.length - 1000));
      return ['resume', id, '--plain'];
    },
  },

  // ---- run folders ------------------------------------------------------------------------------
  {
    area: 'run folder', case: 'run.json corrupt', input: '`resume` of a run whose run.json was cut after its first line', fragment: 'run.json:2: expected valid JSON: the closing quote of the string before the end of the line, found the end of the line', exit: 2,
    setup: (ctx) => {
      const id = ctx.run();
      ctx.write(`.lrc/runs/${id}/run.json`, '{\n  "formatVersion": 1, "id": "x\n');
      return ['resume', id];
    },
  },
  {
    area: 'run folder', case: 'checkpoint state file corrupt', input: '`resume` of a stopped run whose checkpoints/last/state.json is not JSON', fragment: 'checkpoints/last/state.json:1: expected valid JSON: a value (an object, array, string, number, true, false or null), found `not json`', exit: 2,
    setup: (ctx) => {
      const id = ctx.run((r) => (r.status = 'stopped'));
      ctx.write(`.lrc/runs/${id}/checkpoints/last/state.json`, 'not json\n');
      return ['resume', id, '--plain'];
    },
  },
  {
    area: 'run folder', case: 'metrics.jsonl with a torn last line', input: '`resume` of a stopped run whose metrics.jsonl ends in `{"type":"progress","st` (a crash mid-write): accepted', fragment: 'ended in a line cut short (22 bytes, from a crash): set aside in ', exit: 0, changes: 'run folder',
    setup: (ctx) => {
      const id = ctx.run((r) => (r.status = 'stopped'));
      const file = `.lrc/runs/${id}/metrics.jsonl`;
      ctx.write(file, Buffer.concat([ctx.read(file), Buffer.from('{"type":"progress","st')]));
      return ['resume', id, '--plain'];
    },
    check: (ctx, out) => {
      const id = /run (\S+): finished/.exec(out.stdout)?.[1];
      if (!id) throw new Error(`the resumed run did not finish: ${out.stdout}`);
      const metrics = ctx.read(`.lrc/runs/${id}/metrics.jsonl`).toString('utf8');
      const aside = ctx.read(`.lrc/runs/${id}/metrics.jsonl.torn`).toString('utf8');
      if (aside !== '{"type":"progress","st\n') throw new Error(`the torn line was not kept as it was: ${JSON.stringify(aside)}`);
      for (const line of metrics.trimEnd().split('\n')) JSON.parse(line); // every line whole
    },
  },
  {
    area: 'run folder', case: 'resume without a checkpoint', input: '`resume` of a stopped run that has trained 2 steps but has no checkpoints/last/ (nothing is rewritten)', fragment: 'has trained 2 steps but has no checkpoint to resume from (no ', exit: 2,
    setup: (ctx) => {
      const id = ctx.run((r) => (r.status = 'stopped'));
      rmSync(join(ctx.dir, `.lrc/runs/${id}/checkpoints/last`), { recursive: true });
      return ['resume', id, '--plain'];
    },
    check: (ctx, out) => {
      const id = /run (\S+) has trained/.exec(out.stderr)?.[1];
      const config = join(ctx.dir, `.lrc/runs/${id}/config.json`);
      assertHas(out.stderr, `its history is kept as it is; start a new run with the same config: lrc-distill train-teacher --config ${config}`);
      // the command it gives makes a new run that trains; the old folder is left as it was
      const before = ctx.read(`.lrc/runs/${id}/metrics.jsonl`);
      const again = cli(['train-teacher', '--config', config, '--plain'], ctx.dir);
      if (again.code !== 0 || !/teacher run (\S+): finished/.test(again.stdout)) throw new Error(`the command given did not train: ${again.stderr}`);
      if (/teacher run (\S+): finished/.exec(again.stdout)?.[1] === id) throw new Error('the command given trained in the old folder');
      if (!ctx.read(`.lrc/runs/${id}/metrics.jsonl`).equals(before)) throw new Error('the old history changed');
    },
  },
  {
    area: 'run folder', case: 'resume of a run another process holds', input: '`resume` of a stopped run whose run.lock is held by a live process (a resume started at the same instant)', fragment: ' (since 2026-12-07T19:00:00.000Z; ', exit: 2,
    setup: (ctx) => {
      const id = ctx.run((r) => (r.status = 'stopped'));
      const owner = ctx.liveOwner();
      ctx.write(`.lrc/runs/${id}/run.lock`, JSON.stringify({ pid: owner.pid, hostname: owner.hostname, startedAt: '2026-12-07T19:00:00.000Z', renewedAt: new Date().toISOString() }) + '\n');
      return ['resume', id, '--plain'];
    },
    check: (ctx, out) => {
      const owner = ctx.liveOwner();
      assertHas(out.stderr, ` is claimed by process ${String(owner.pid)} on ${String(owner.hostname)} (since 2026-12-07T19:00:00.000Z; `);
      assertHas(out.stderr, 'run.lock): it cannot be resumed twice');
    },
  },
  { area: 'run folder', case: 'run id unknown', input: '`eval nope`', fragment: "no run 'nope' in ", exit: 2, setup: (ctx) => (ctx.run(), ['eval', 'nope']) },
  {
    area: 'run folder', case: 'run id ambiguous', input: '`eval 2` where two run ids start with 2', fragment: "'2' matches 2 runs in ", exit: 2,
    setup: (ctx) => {
      ctx.run();
      ctx.run();
      return ['eval', '2'];
    },
  },
  { area: 'run folder', case: 'resume of a finished run', input: '`resume <finished run>`', fragment: 'has finished: nothing to resume', exit: 2, setup: (ctx) => ['resume', ctx.run()] },
  { area: 'run folder', case: 'resume of a live run', input: '`resume <run>` while another process trains it', fragment: ' is running in process ', exit: 2,
    setup: (ctx) => ['resume', ctx.run((r) => Object.assign(r, { status: 'running', owner: ctx.liveOwner() }))],
    check: (ctx, out) => {
      if (!out.stderr.includes(`is running in process ${ctx.liveOwner().pid as number}: it cannot be resumed twice`)) throw new Error(`the owner's pid is not named: ${out.stderr}`);
    },
  },

  // ---- serving costs and the front (issue 23) -----------------------------------------------------
  { area: 'usage', case: 'bad front rule', input: '`sweep report <sweep> --rule quickest`', fragment: '--rule: expected fastest-within:<points> (e.g. fastest-within:1), best-under:<ms>ms (e.g. best-under:5ms), best or fastest, found "quickest"', exit: 2, setup: () => ['sweep', 'report', 'any', '--rule', 'quickest'] },
  { area: 'usage', case: 'front rule without its unit', input: '`sweep report <sweep> --rule best-under:5` (for 5ms)', fragment: '--rule: expected fastest-within:<points> (e.g. fastest-within:1), best-under:<ms>ms (e.g. best-under:5ms), best or fastest, found "best-under:5"', exit: 2, setup: () => ['sweep', 'report', 'any', '--rule', 'best-under:5'] },
  { area: 'usage', case: 'measure without a run', input: '`measure`', fragment: 'measure needs a run: lrc-distill measure <run> [--serving-batch N] [--json]', exit: 2, setup: () => ['measure'] },
  { area: 'usage', case: 'bad serving batch', input: '`measure <run> --serving-batch 0`', fragment: '--serving-batch: expected a whole number of examples from 1 to 4096 (default 32), found "0"', exit: 2, setup: (ctx) => ['measure', ctx.run(), '--serving-batch', '0'] },
  { area: 'usage', case: 'sweep measure without a sweep', input: '`sweep measure`', fragment: 'sweep measure needs a sweep: lrc-distill sweep measure <sweep id, name or folder>', exit: 2, setup: () => ['sweep', 'measure'] },
  { area: 'usage', case: 'export-recommended without a target', input: '`sweep export-recommended <sweep>` with no `--out`', fragment: 'sweep export-recommended needs a sweep and a target: lrc-distill sweep export-recommended <sweep> --out <folder>', exit: 2, setup: () => ['sweep', 'export-recommended', 'any'] },
  { area: 'run folder', case: 'measure of a run without an export', input: '`measure <run>` of a failed run', fragment: ' is failed: no exported model to measure', exit: 2, setup: (ctx) => ['measure', ctx.run((r) => Object.assign(r, { status: 'failed' }))] },
  { area: 'run folder', case: 'measure of an encoder', input: '`measure <pretrain run>` (its export has no task head)', fragment: ' is a pretrain run: its export is an encoder without a task head, which is not served (measure a teacher, lrc, mse or student run)', exit: 2, setup: (ctx) => ['measure', ctx.run((r) => Object.assign(r, { kind: 'pretrain' }))] },

  // ---- corpus files (distill-general) -------------------------------------------------------------
  { area: 'usage', case: 'general distillation without a corpus', input: '`distill-general --teacher t` with no `--corpus`', fragment: 'distill-general needs --corpus <file or folder> [more files or folders] (.txt, .jsonl, .tsv, .csv)', exit: 2, setup: (ctx) => ['distill-general', '--teacher', ctx.teacherFolder(), ...TINY] },
  { area: 'usage', case: 'general distillation without a teacher', input: '`distill-general --corpus c.txt` with no `--teacher`', fragment: 'distill-general needs --teacher <pre-trained BERT folder or run>', exit: 2, setup: (ctx) => ['distill-general', '--corpus', ctx.write('c.txt', 'a good film\n'), ...TINY] },
  { area: 'usage', case: 'unknown --corpus-text', input: '`--corpus-text paragraphs`', fragment: '--corpus-text: expected lines (a passage a line) or documents (blank-line separated, cut into windows), found "paragraphs"', exit: 2, setup: (ctx) => general(ctx, [ctx.write('c.txt', 'a good film\n')], ['--corpus-text', 'paragraphs']) },
  { area: 'corpus', case: 'no such path', input: '`--corpus nope.txt`', fragment: 'nope.txt: corpus: expected a corpus file or folder, found no file or folder at this path', exit: 2, setup: (ctx) => general(ctx, ['nope.txt']) },
  { area: 'corpus', case: 'unknown extension', input: '`--corpus book.pdf`', fragment: 'book.pdf: corpus: expected a .txt, .jsonl, .tsv or .csv file, found the extension ".pdf"', exit: 2, setup: (ctx) => general(ctx, [ctx.write('book.pdf', '%PDF')]) },
  { area: 'corpus', case: 'folder without corpus files', input: '`--corpus texts/` holding only notes.md', fragment: 'texts: corpus: expected a .txt, .jsonl, .tsv or .csv file in the folder, found none', exit: 2, setup: (ctx) => (ctx.write('texts/notes.md', '# notes\n'), general(ctx, ['texts'])) },
  { area: 'corpus', case: 'JSON lines: a bad line', input: 'c.jsonl whose line 2 is `{"text": oops}`', fragment: 'c.jsonl:2: expected a JSON object, found `{"text": oops}`', exit: 2, changes: 'failed run', setup: (ctx) => general(ctx, [ctx.write('c.jsonl', '{"text": "a good film"}\n{"text": oops}\n')]) },
  { area: 'corpus', case: 'JSON lines: no such field', input: '`--corpus-field body` on lines with `"text"` only', fragment: 'c.jsonl:1: field "body": expected a string, found no such field (the fields: "text")', exit: 2, changes: 'failed run', setup: (ctx) => general(ctx, [ctx.write('c.jsonl', '{"text": "a good film"}\n')], ['--corpus-field', 'body']) },
  { area: 'corpus', case: 'CSV: no such column', input: '`--corpus-column body` on a CSV with the header `id,text`', fragment: 'c.csv:1: column "body": expected a column of the header line, found "id", "text"', exit: 2, changes: 'failed run', setup: (ctx) => general(ctx, [ctx.write('c.csv', 'id,text\n1,a good film\n')], ['--corpus-column', 'body']) },
  { area: 'corpus', case: 'TSV: a row too short', input: 'c.tsv whose line 3 has one field, the text column being the second', fragment: 'c.tsv:3: column "text": expected at least 2 fields, found 1 (`2`)', exit: 2, changes: 'failed run', setup: (ctx) => general(ctx, [ctx.write('c.tsv', 'id\ttext\n1\ta good film\n2\n')]) },
  { area: 'corpus', case: 'not UTF-8', input: 'c.txt whose line 2 holds the Latin-1 byte 0xE9', fragment: 'c.txt:2: expected UTF-8 text, found the byte 0xE9 at byte 5 of the line; save the corpus as UTF-8', exit: 2, changes: 'failed run', setup: (ctx) => general(ctx, [ctx.write('c.txt', new Uint8Array([...Buffer.from('a good film\ncaf'), 0x65, 0xe9, ...Buffer.from('\n')]))]) },
  { area: 'corpus', case: 'fewer passages than held out', input: 'a corpus of 2 passages with `--corpus-dev-passages 5`', fragment: 'the corpus (1 files) has 2 passages, not more than the 5 held out for evaluation (data.devPassages, --corpus-dev-passages)', exit: 2, changes: 'failed run', setup: (ctx) => [...general(ctx, [ctx.write('c.txt', 'a good film\na bad film\n')]), '--corpus-dev-passages', '5'] },
  { area: 'run config', case: 'label negatives in a general run', input: '`"loss": { "negatives": "differentLabel" }` with `distill-general`', fragment: "loss.negatives: a general run has no labels: its COS-NCE negatives are 'all' the other passages of the batch", exit: 2, setup: (ctx) => [...general(ctx, [ctx.write('c.txt', 'a good film\na bad film\n')]), '--config', ctx.write('g.json', json({ loss: { negatives: 'differentLabel' } }))] },
  { area: 'run config', case: 'studentInit on a teacher run', input: '`"studentInit": "general-export"` in a teacher run\'s config', fragment: 'studentInit: studentInit starts the student of an lrc or mse run; a teacher run starts from "init"', exit: 2, setup: (ctx) => withConfig(ctx, { studentInit: 'general-export' }) },
  {
    area: 'checkpoint', case: '--student-init a task model', input: '`distill --student-init <folder with a classifier>` (a fine-tuned model, not a general run\'s export)', fragment: 'has a classifier (a task model?): start from a general run\'s export or a pre-trained BERT, whose prediction layer starts fresh', exit: 2, changes: 'failed run',
    setup: (ctx) => [...distillFrom(ctx, ctx.teacherFolder()), '--student-init', ctx.teacherFolder('other')],
  },

  // ---- control requests -------------------------------------------------------------------------
  { area: 'control request', case: 'unknown request', input: '`control <run> frobnicate`', fragment: 'control request: expected one of pause, resume, stop, next-stage, evaluate, analyze, set (lrc-distill control <run> next-stage), found "frobnicate"', exit: 2, setup: (ctx) => ['control', livePaused(ctx), 'frobnicate'] },
  { area: 'control request', case: 'weight not a number', input: '`control <run> set alpha=high`', fragment: 'control set alpha: expected a number (name=number, e.g. alpha=1), found "high"', exit: 2, setup: (ctx) => ['control', livePaused(ctx), 'set', 'alpha=high'] },
  { area: 'control request', case: 'unknown weight', input: '`control <run> set delta=1`', fragment: 'control set delta=1: expected a weight: alpha, beta, gamma, temperature, epsilon, found "delta"', exit: 2, setup: (ctx) => ['control', livePaused(ctx), 'set', 'delta=1'] },
  { area: 'control request', case: 'negative weight', input: '`control <run> set gamma=-1`', fragment: 'control request: expected a valid request, found gamma: Number must be greater than or equal to 0, found -1', exit: 2, setup: (ctx) => ['control', livePaused(ctx), 'set', 'gamma=-1'] },
  { area: 'control request', case: 'set without a weight', input: '`control <run> set`', fragment: 'control set: expected name=number assignments, e.g. set alpha=1 gamma=3, found none', exit: 2, setup: (ctx) => ['control', livePaused(ctx), 'set'] },
  { area: 'control request', case: 'a run that is not live', input: '`control <finished run> pause`', fragment: 'is finished: only a running or paused run takes control requests', exit: 2, setup: (ctx) => ['control', ctx.run(), 'pause'] },

  // ---- sweep files ------------------------------------------------------------------------------
  { area: 'sweep file', case: 'file not found', input: '`sweep nope.sweep.json`', fragment: 'nope.sweep.json: sweep file not found', exit: 2, setup: () => ['sweep', 'nope.sweep.json', '--dry-run'] },
  { area: 'sweep file', case: 'not JSON', input: 'a sweep file with a trailing comma', fragment: 's.sweep.json:1: expected valid JSON: a string in double quotes, found `}`', exit: 2, setup: (ctx) => sweep(ctx, '{ "axes": { "seed": [1, 2] }, }\n') },
  { area: 'sweep file', case: 'a key given twice', input: '`"axes": { "seed": [1, 2], "seed": [3] }`', fragment: 's.sweep.json:4: axes.seed: expected each key once in an object, found "seed" given a second time; remove one of them (JSON keeps only the last, silently)', exit: 2, setup: (ctx) => sweep(ctx, '{\n  "base": { "kind": "student", "data": { "task": "demo" } },\n  "axes": { "seed": [1, 2],\n    "seed": [3] }\n}\n') },
  { area: 'sweep file', case: 'unknown field', input: '`"teachers": {}` (for teacher)', fragment: "s.sweep.json: (message): Unrecognized key(s) in object: 'teachers'", exit: 2, setup: (ctx) => sweep(ctx, { base: SWEEP_BASE, axes: { seed: [1] }, teachers: {} }) },
  { area: 'sweep file', case: 'axis naming no config field', input: '`"axes": { "stages.epsilonn": [0, 0.1] }`', fragment: "run stages.epsilonn=0: stages: Unrecognized key(s) in object: 'epsilonn'", exit: 2, setup: (ctx) => sweep(ctx, { base: SWEEP_BASE, axes: { 'stages.epsilonn': [0, 0.1] } }) },
  { area: 'sweep file', case: 'axis value out of range', input: '`"axes": { "stages.split": [0.5, 2] }`', fragment: 'run stages.split=2: stages.split: Number must be less than or equal to 1, found 2', exit: 2, setup: (ctx) => sweep(ctx, { base: SWEEP_BASE, axes: { 'stages.split': [0.5, 2] } }) },
  { area: 'sweep file', case: 'seeds not whole numbers', input: '`"axes": { "seed": [1, 2.5] }`', fragment: 'axes.seed: seeds must be whole numbers >= 0, got [1,2.5]', exit: 2, setup: (ctx) => sweep(ctx, { base: SWEEP_BASE, axes: { seed: [1, 2.5] } }) },
  { area: 'sweep file', case: 'no kind', input: 'a sweep whose runs get no `kind`', fragment: 'no "kind" (give it in base, students or an axis level: lrc, mse, student, teacher, pretrain, general)', exit: 2, setup: (ctx) => sweep(ctx, { base: { data: { task: 'demo' } }, axes: { seed: [1] } }) },
  { area: 'sweep file', case: 'comparison of an unknown level', input: '`"compare": [{ "axis": "method", "a": "LRC", "b": "MSE" }]` with no MSE level', fragment: "compare.0.b: axis 'method' has no level 'MSE' (levels: LRC)", exit: 2, setup: (ctx) => sweep(ctx, { base: { data: { task: 'demo' } }, axes: { method: { LRC: { kind: 'student' } } }, compare: [{ axis: 'method', a: 'LRC', b: 'MSE' }] }) },
  { area: 'sweep file', case: 'teachers borrowed from a sweep that is not there', input: '`"teacher": { "fromSweep": "pretrained" }` with no such sweep in the sweeps folder', fragment: "s.sweep.json: teacher.fromSweep: no sweep 'pretrained' in", exit: 2, setup: (ctx) => sweep(ctx, { base: { kind: 'lrc', data: { task: 'demo' } }, axes: { seed: [1] }, teacher: { fromSweep: 'pretrained' } }) },
  { area: 'sweep file', case: 'a borrowed teacher given a config', input: '`"teacher": { "fromSweep": "pretrained", "config": { "model": ... } }`', fragment: 'teacher.config: a teacher borrowed with fromSweep is not trained here: give no config', exit: 2, setup: (ctx) => sweep(ctx, { base: { kind: 'lrc', data: { task: 'demo' } }, axes: { seed: [1] }, teacher: { fromSweep: 'pretrained', config: { model: { layers: 2 } } } }) },
  { area: 'sweep file', case: 'bad Slurm time, not a dry run', input: '`"resources": { "time": "2 hours" }`, run for real: nothing is created', fragment: 'resources.time: expected minutes, HH:MM:SS or D-HH:MM:SS', exit: 2, setup: (ctx) => sweep(ctx, { base: SWEEP_BASE, axes: { seed: [1] }, resources: { time: '2 hours' } }, false) },
];

/** The tiny task with some of its files replaced; the train-teacher command over it. */
function withData(ctx: RowContext, files: { train?: string | Uint8Array; dev?: string | Uint8Array }): string[] {
  const task = ctx.tinyTask();
  if (files.train !== undefined) ctx.write('train.tsv', files.train);
  if (files.dev !== undefined) ctx.write('dev.tsv', files.dev);
  return ['train-teacher', ...fileTask(task.train, task.dev), ...SHAPE, ...TINY];
}

function withCsv(ctx: RowContext, train: string): string[] {
  return ['train-teacher', ...fileTask(ctx.write('train.csv', train), ctx.write('dev.csv', 'sentence,label\ngood,pos\nbad,neg\n')), ...SHAPE, ...TINY];
}

/** A paused run owned by this process (so that it is live), for the control requests. */
function livePaused(ctx: RowContext): string {
  return ctx.run((r) => Object.assign(r, { status: 'paused', owner: ctx.liveOwner() }));
}

/** A small headerless news corpus, text<TAB>label in four classes (the example of issue 16). */
export const NEWS_LINES: [string, string][] = [
  ['Stocks fall as oil prices climb', 'Business'],
  ['Home side wins the cup final in extra time', 'Sports'],
  ['Leaders meet to sign a border treaty', 'World'],
  ['New chip doubles battery life of phones', 'Sci/Tech'],
];

function news(ctx: RowContext, noHeader: boolean): string[] {
  const train = ctx.write('news.tsv', tsv(undefined, [...NEWS_LINES, ...NEWS_LINES.slice().reverse()]));
  const dev = ctx.write('news-dev.tsv', tsv(undefined, NEWS_LINES));
  return ['train-teacher', '--task', 'file', '--train', train, '--dev', dev, '--text-column', '0', '--label-column', '1', ...(noHeader ? ['--no-header'] : []), ...SHAPE, ...TINY];
}

function assertHas(text: string, fragment: string): void {
  if (!text.includes(fragment)) throw new Error(`expected ${JSON.stringify(fragment)} in ${JSON.stringify(text)}`);
}
