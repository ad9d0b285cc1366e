// The CLI commands that read or steer runs: runs (list), eval, export, control.
import { appendFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { selectBackend } from '../backend/select';
import { selectProcessBackend } from '../backend/processBackend';
import { loadHfModel, loadPretrainedHfModel, writeHfFolder } from '../checkpoint/hfFolder';
import { parseRunConfig } from '../config/effective';
import { ControlRequestSchema, type ControlRequest } from '../protocol';
import { findRunDir, listRuns, readRun } from '../runs/runStore';
import { describeZodError, InputError, shown, shownList, UserError } from '../errors';
import { scoreTask } from '../session/evaluate';
import { loadTaskData, type Scores } from '../session/taskData';
import { loadMaskedLm } from '../pretrain/maskedLmFolder';
import { maskingSettingsOf, scoreMaskedLm } from '../pretrain/pretrainRun';
import { EXIT, type CliContext } from './runCommands';

export function runsCommand(ctx: CliContext): number {
  const { runs, broken } = listRuns(ctx.runsDir);
  if (ctx.flags.json) {
    console.log(JSON.stringify({ runs, broken }, null, 2));
    return EXIT.ok;
  }
  if (runs.length === 0 && broken.length === 0) {
    console.log(`no runs in ${ctx.runsDir}`);
    return EXIT.ok;
  }
  const rows = runs.map((r) => [
    r.id, r.kind + (r.preset ? `/${r.preset}` : ''), r.status, `${r.progress.step}/${r.progress.totalSteps}`, r.kind === 'lrc' || r.kind === 'mse' ? String(r.progress.stage) : '-',
    r.best ? `${r.best.metric} ${r.best.value.toFixed(4)}` : '-', r.pairedRunId ?? '',
  ]);
  const header = ['id', 'kind', 'status', 'step', 'stage', 'best', 'paired with'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  for (const b of broken) console.log(`unreadable: ${b.dir}: ${b.error}`);
  return EXIT.ok;
}

/** The folder of a run's model: export/ when it finished, else its best checkpoint. */
export function modelFolderOfRun(runDir: string): string {
  for (const sub of ['export', join('checkpoints', 'best')]) {
    if (existsSync(join(runDir, sub, 'config.json'))) return join(runDir, sub);
  }
  throw new UserError(`run ${runDir} has no model yet (no export/ and no checkpoints/best/)`, 'run');
}

export async function evalCommand(ctx: CliContext): Promise<number> {
  const id = ctx.positionals[0];
  if (!id) throw new UserError('eval needs a run id: lrc-distill eval <run>', 'run');
  const dir = findRunDir(ctx.runsDir, id);
  const config = parseRunConfig(readRun(dir).config, `${dir}/run.json (config)`);
  if (config.kind === 'general') {
    throw new UserError(`run ${readRun(dir).id} is a general run: it has no task to evaluate on; its evaluations (the mapped layers' cosine and COS-NCE on the held-out passages) are the eval records of its metrics.jsonl, and distill --student-init ${readRun(dir).id} starts a task run from its student`, 'run');
  }
  const folder = modelFolderOfRun(dir);
  await selectProcessBackend(config.backend, ctx.flags.threads);
  const data = await loadTaskData({ ...config, tokenizer: folder }, dir, folder, () => {});
  // `seconds` is the prediction pass alone, not the loading
  const timed = async (score: () => Promise<Scores>) => {
    const started = Date.now();
    return { scores: await score(), seconds: (Date.now() - started) / 1000 };
  };
  let result: { scores: Scores; seconds: number };
  if (config.kind === 'pretrain') {
    const { model, head, dispose } = loadMaskedLm(folder);
    try {
      result = await timed(() => scoreMaskedLm(model, head, maskingSettingsOf(config, data, model.config.vocab_size), data.dev, config.eval.batchSize));
    } finally {
      dispose();
    }
  } else {
    const { model } = loadHfModel(folder, { trainable: false });
    try {
      result = await timed(() => scoreTask(model, data, config));
    } finally {
      model.dispose();
    }
  }
  const { scores, seconds } = result;
  if (ctx.flags.json) console.log(JSON.stringify({ run: id, model: folder, examples: data.dev.examples.length, seconds, ...scores }, null, 2));
  else console.log(`${folder} on ${data.dev.dataset.name} (${data.dev.examples.length} examples, ${seconds.toFixed(1)} s): ${Object.entries(scores.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
  return EXIT.ok;
}

/** What a model folder holds: a folder of only these may be replaced by an export. */
const MODEL_FOLDER_FILE = /^(config\.json|model\.safetensors|model\.safetensors\.index\.json|model-\d+-of-\d+\.safetensors|vocab\.txt|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|README\.md|\.gitattributes)$/;

/**
 * An export replaces its target folder whole: refused, before anything is written, for a file or a folder
 * holding anything but a model's files (`--out .` in a project would otherwise replace the project).
 */
export function checkExportTarget(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new InputError({ field: '--out', expected: 'a folder to write the model into', found: `the file ${target}` });
  const others = readdirSync(target).filter((name) => !MODEL_FOLDER_FILE.test(name));
  if (others.length) {
    throw new InputError({ field: '--out', expected: 'a new folder, or a model folder to replace (config.json, model.safetensors, tokenizer files)', found: `${target} holding ${shownList(others, 5)}`, hint: 'nothing was written: an export replaces the whole folder' });
  }
}

export async function exportCommand(ctx: CliContext): Promise<number> {
  const id = ctx.positionals[0];
  const out = ctx.flags.out;
  if (!id || !out) throw new UserError('export needs a run and a target: lrc-distill export <run> --out <folder> [--dtype f32|f16|bf16]', 'run');
  const dtype = ({ f32: 'F32', f16: 'F16', bf16: 'BF16' } as const)[(ctx.flags.dtype ?? 'f32').toLowerCase() as 'f32'];
  if (!dtype) throw new InputError({ field: '--dtype', expected: 'f32, f16 or bf16', found: shown(ctx.flags.dtype) });
  checkExportTarget(resolve(out));
  const dir = findRunDir(ctx.runsDir, id);
  const folder = modelFolderOfRun(dir);
  await selectBackend({ force: 'cpu' });
  if (readRun(dir).kind === 'pretrain') {
    const { model, head, dispose } = loadMaskedLm(folder);
    try {
      await writeHfFolder(model, resolve(out), { tokenizerFrom: folder, dtype, mlmHead: head });
    } finally {
      dispose();
    }
  } else if (readRun(dir).kind === 'general') {
    // a BertModel folder (no classifier): read as a pre-trained BERT, written as one again
    const { model } = loadPretrainedHfModel(folder, { num_labels: 2 }, { trainable: false });
    try {
      await writeHfFolder(model, resolve(out), { tokenizerFrom: folder, dtype, bertModel: true });
    } finally {
      model.dispose();
    }
  } else {
    const { model } = loadHfModel(folder, { trainable: false });
    try {
      await writeHfFolder(model, resolve(out), { tokenizerFrom: folder, dtype });
    } finally {
      model.dispose();
    }
  }
  console.log(`wrote ${resolve(out)} (${dtype}) from ${folder}`);
  return EXIT.ok;
}

const CONTROL_WORDS: Record<string, ControlRequest['type']> = {
  pause: 'pause', resume: 'resume', stop: 'stop', 'next-stage': 'nextStage', evaluate: 'evaluate', analyze: 'analyze', set: 'setWeights',
};

/** The request of `control <run> <word> [name=number ...]`, checked before any run is looked at. */
export function controlRequestOf(word: string | undefined, assignments: readonly string[]): ControlRequest {
  const type = word === undefined ? undefined : CONTROL_WORDS[word];
  if (!type) throw new InputError({ field: 'control request', expected: `one of ${Object.keys(CONTROL_WORDS).join(', ')} (lrc-distill control <run> next-stage)`, found: word === undefined ? 'nothing' : shown(word) });
  const request: Record<string, unknown> = { type };
  if (type !== 'setWeights' && assignments.length) throw new InputError({ field: `control ${word}`, expected: 'no further arguments', found: shownList(assignments) });
  if (type === 'setWeights' && !assignments.length) throw new InputError({ field: 'control set', expected: 'name=number assignments, e.g. set alpha=1 gamma=3', found: 'none' });
  for (const a of assignments) {
    const eq = a.indexOf('=');
    const key = eq < 0 ? a : a.slice(0, eq);
    const value = eq < 0 ? undefined : a.slice(eq + 1);
    if (!WEIGHT_NAMES.includes(key)) throw new InputError({ field: `control set ${a}`, expected: `a weight: ${WEIGHT_NAMES.join(', ')}`, found: shown(key) });
    if (value === undefined || value.trim() === '' || !Number.isFinite(Number(value))) throw new InputError({ field: `control set ${key}`, expected: 'a number (name=number, e.g. alpha=1)', found: shown(value ?? a) });
    request[key] = Number(value);
  }
  const parsed = ControlRequestSchema.safeParse(request);
  if (!parsed.success) throw new InputError({ field: 'control request', expected: 'a valid request', found: describeZodError(parsed.error, request) });
  return parsed.data;
}

const WEIGHT_NAMES = ['alpha', 'beta', 'gamma', 'temperature', 'epsilon'];

/** control <run> pause|resume|stop|next-stage|evaluate|analyze|set alpha=1 beta=0 ...: a line in the run's control.jsonl. */
export function controlCommand(ctx: CliContext): number {
  const [id, word, ...assignments] = ctx.positionals;
  if (!id) throw new InputError({ field: 'run', expected: 'a run and a request: lrc-distill control <run> next-stage', found: 'nothing' });
  const request = controlRequestOf(word, assignments);
  const dir = findRunDir(ctx.runsDir, id);
  const record = readRun(dir);
  if (record.status !== 'running' && record.status !== 'paused') throw new UserError(`run ${record.id} is ${record.status}: only a running or paused run takes control requests`, 'run');
  appendFileSync(join(dir, 'control.jsonl'), JSON.stringify(request) + '\n');
  console.log(`sent ${word} to run ${record.id}`);
  return EXIT.ok;
}
