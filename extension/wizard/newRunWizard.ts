// The UI of "New Distillation Run" and "Train Teacher": a multi-step quick pick that collects the
// answers (teacher, task and data, shapes, loss, stage split, epochs, learning rate, backend, name).
import * as vscode from 'vscode';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { DataConfig, ModelShape } from '../../trainer/config/runConfig';
import { listRuns } from '../../trainer/runs/runStore';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { configPath } from '../runs/runPlan';
import { BACKEND_SETTINGS, backendSetting, runsFolder, wizardDefaults, workspaceFolder, type BackendSetting } from '../settings';
import { MultiStepInput, type Step } from './multiStepInput';
import { STUDENT_PRESETS, TEACHER_PRESETS, parseShape, type GeneralAnswers, type LossChoice, type NewRunAnswers, type ShapePreset, type TeacherAnswers, type TeacherChoice } from './newRunPlan';
import { corpusFormatOf } from '../../trainer/general/corpusFiles';

const GLUE_NAMES = ['CoLA', 'SST-2', 'MRPC', 'STS-B', 'QQP', 'MNLI', 'QNLI', 'RTE', 'WNLI'] as const;

interface Item<T> extends vscode.QuickPickItem {
  value: T;
}

const numberCheck = (what: string, ok: (n: number) => boolean, rule: string) => (v: string) => {
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) && ok(n) ? undefined : `${what} must be ${rule}`;
};

/** The finished teacher runs of the store, whose export a student can distil from. */
function teacherRuns(): RunRecord[] {
  const dir = runsFolder();
  if (!dir) return [];
  return listRuns(dir).runs.filter((r) => r.kind === 'teacher' && r.status === 'finished' && existsSync(join(dir, r.id, 'export', 'config.json')));
}

/** The finished runs of the store with an exported model of `kinds`. */
function exportedRuns(kinds: readonly RunRecord['kind'][]): RunRecord[] {
  const dir = runsFolder();
  if (!dir) return [];
  return listRuns(dir).runs.filter((r) => kinds.includes(r.kind) && r.status === 'finished' && existsSync(join(dir, r.id, 'export', 'config.json')));
}

/** The column names of a CSV, TSV or JSON-lines file (its header, or the keys of its first record). */
export function columnsOf(file: string): string[] {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(64 * 1024);
  let n: number;
  try {
    n = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  const first = buffer.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.json' || first.trim().startsWith('{')) {
    try {
      return Object.keys(JSON.parse(first) as object);
    } catch {
      return [];
    }
  }
  const sep = ext === '.tsv' || first.includes('\t') ? '\t' : ',';
  return first.split(sep).map((c) => c.trim().replace(/^"|"$/g, '')).filter(Boolean);
}

/** Shared state of both wizards. */
interface State {
  title: string;
  teacher?: TeacherChoice;
  teacherRun?: RunRecord;
  data?: DataConfig | Record<string, unknown>;
  /** The teacher run's max length, taken with its task (as `distill --teacher <run>` inherits it). */
  maxLength?: number;
  shape?: ModelShape;
  loss?: LossChoice;
  split?: number;
  epochs?: number;
  learningRate?: number;
  backend?: BackendSetting;
  name?: string;
  trainFile?: string;
  /** A general run's export the student starts from. */
  studentInit?: string;
  corpus?: string[];
  corpusText?: 'lines' | 'documents';
  corpusField?: string;
  corpusColumn?: string;
}

function pickFile(title: string, filters?: Record<string, string[]>): Thenable<string | undefined> {
  const ws = workspaceFolder();
  return vscode.window
    .showOpenDialog({ title, canSelectFiles: true, canSelectFolders: false, canSelectMany: false, filters, defaultUri: ws ? vscode.Uri.file(ws) : undefined })
    .then((u) => u?.[0]?.fsPath);
}

function pickFolder(title: string): Thenable<string | undefined> {
  const ws = workspaceFolder();
  return vscode.window
    .showOpenDialog({ title, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Select', defaultUri: ws ? vscode.Uri.file(ws) : undefined })
    .then((u) => u?.[0]?.fsPath);
}

const rel = (p: string) => configPath(p, workspaceFolder());

// ---- steps ---------------------------------------------------------------------------------------

function teacherStep(s: State): Step {
  return async (input) => {
    const runs = teacherRuns();
    const items: Item<string>[] = [
      { label: '$(folder-opened) A Hugging Face folder…', detail: 'a fine-tuned BERT folder with config.json and model.safetensors (or pytorch_model.bin)', value: 'folder' },
      ...runs.map((r) => ({
        label: `$(mortar-board) ${r.name}`,
        description: `teacher run${r.best ? ` · best ${r.best.metric} ${r.best.value.toFixed(4)}` : ''}`,
        detail: r.id,
        value: `run:${r.id}`,
      })),
      { label: '$(add) Train a teacher first', detail: 'fine-tune a teacher on the task, then distil from it when it finishes', value: 'train' },
    ];
    const choice = await input.pick({ title: s.title, placeholder: 'The teacher to distil from', items });
    if (choice.value === 'folder') {
      const folder = await input.outside(() => pickFolder('The teacher: a Hugging Face BERT folder'));
      if (!existsSync(join(folder, 'config.json'))) {
        void vscode.window.showWarningMessage(`${folder} has no config.json: pick a Hugging Face model folder.`);
        return teacherStep(s);
      }
      s.teacher = { kind: 'folder', path: rel(folder) };
      s.teacherRun = undefined;
      return taskStep(s, studentStep);
    }
    if (choice.value === 'train') return teacherShapeStep(s);
    const runId = choice.value.slice(4);
    s.teacher = { kind: 'run', runId };
    s.teacherRun = runs.find((r) => r.id === runId);
    return taskStep(s, studentStep);
  };
}

function teacherShapeStep(s: State): Step {
  return async (input) => {
    const items: Item<ShapePreset>[] = TEACHER_PRESETS.map((p) => ({ label: p.label, detail: p.detail, value: p }));
    const choice = await input.pick({ title: s.title, placeholder: 'The shape of the teacher to train first', items, active: items[1] });
    s.teacher = { kind: 'trainFirst', shape: choice.value.shape };
    s.teacherRun = undefined;
    return taskStep(s, studentStep);
  };
}

function taskStep(s: State, next: (s: State) => Step): Step {
  return async (input) => {
    const items: Item<string>[] = [];
    if (s.teacherRun) {
      const d = (s.teacherRun.config as { data?: Record<string, unknown> }).data;
      if (d) items.push({ label: '$(link) The teacher run\'s task', description: describeData(d), value: 'same' });
    }
    items.push(
      { label: '$(mail) Demo: SpamAssassin ham vs spam', description: 'bundled, no download', value: 'demo' },
      { label: '$(table) A GLUE task…', description: 'CoLA, SST-2, MRPC, STS-B, QQP, MNLI, QNLI, RTE, WNLI', value: 'glue' },
      { label: '$(file) Data files…', description: 'CSV, TSV or JSON lines, with text and label columns', value: 'file' },
    );
    const choice = await input.pick({ title: s.title, placeholder: 'The task and its data', items });
    if (choice.value === 'same') {
      s.data = structuredClone((s.teacherRun!.config as { data: Record<string, unknown> }).data);
      s.maxLength = (s.teacherRun!.config as { maxLength?: number }).maxLength;
      return next(s);
    }
    s.maxLength = undefined;
    if (choice.value === 'demo') {
      s.data = { task: 'demo' };
      return next(s);
    }
    if (choice.value === 'glue') return glueStep(s, next);
    return filesStep(s, next);
  };
}

function describeData(d: Record<string, unknown>): string {
  if (d.task === 'demo') return 'demo (SpamAssassin)';
  if (d.task === 'glue') return `GLUE ${String(d.name)}`;
  if (d.task === 'file') return `files ${basename(String(d.train))}, ${basename(String(d.dev))}`;
  return String(d.task);
}

function glueStep(s: State, next: (s: State) => Step): Step {
  return async (input) => {
    const items: Item<string>[] = GLUE_NAMES.map((n) => ({ label: n, value: n }));
    const task = await input.pick({ title: s.title, placeholder: 'The GLUE task', items });
    const dir = await input.outside(() => pickFolder(`The folder that holds ${task.value}/ (or the task's own files)`));
    s.data = { task: 'glue', name: task.value, dir: rel(dir) };
    return next(s);
  };
}

function filesStep(s: State, next: (s: State) => Step): Step {
  return async (input) => {
    const filters = { 'Data files': ['csv', 'tsv', 'jsonl', 'json', 'txt'] };
    const train = await input.outside(() => pickFile('The training file', filters));
    const dev = await input.outside(() => pickFile('The dev (evaluation) file', filters));
    const columns = columnsOf(train);
    if (columns.length < 2) {
      void vscode.window.showWarningMessage(`${train}: could not read at least two column names from its first line (a header, or the keys of the first JSON record).`);
      return filesStep(s, next);
    }
    const col = (placeholder: string, extra: Item<string>[] = []) =>
      input.pick({ title: s.title, placeholder, items: [...extra, ...columns.map((c) => ({ label: c, value: c }))] });
    const text = await col('The column with the text');
    const pair = await col('The column with the second text of a pair, if any', [{ label: '(none: single sentences)', value: '' }]);
    const label = await col('The column with the label');
    const kind = await input.pick({
      title: s.title, placeholder: 'What the label is',
      items: [{ label: 'Classes', value: 'classification' }, { label: 'A number (regression)', value: 'regression' }] as Item<string>[],
    });
    s.data = {
      task: 'file', train: rel(train), dev: rel(dev),
      columns: { text: text.value, label: label.value, ...(pair.value ? { textPair: pair.value } : {}) },
      ...(kind.value === 'regression' ? { kind: 'regression' } : {}),
    };
    return next(s);
  };
}

/** The student: a shape, or (task distillation) a finished general run to start from, whose shape it keeps. */
function studentStep(s: State, next: (s: State) => Step = lossStep, offerGeneral = true): Step {
  return async (input) => {
    const presets = Object.values(STUDENT_PRESETS);
    const generals = offerGeneral ? exportedRuns(['general']) : [];
    const items: Item<ModelShape | RunRecord | undefined>[] = [
      ...presets.map((p) => ({ label: p.label, detail: p.detail, value: p.shape })),
      ...generals.map((r) => {
        const st = (r.config as { student?: ModelShape }).student;
        return { label: `$(rocket) From general run ${r.name}`, description: st ? `${st.layers} layers x ${st.hidden}` : undefined, detail: `the student of ${r.id} (general distillation), its projections and classifier fresh`, value: r };
      }),
      { label: 'Custom…', detail: 'layers x hidden, heads, FFN size', value: undefined },
    ];
    const choice = await input.pick({ title: s.title, placeholder: 'The student\'s shape', items, active: items[presets.findIndex((p) => p.id === wizardDefaults().student)] });
    s.studentInit = undefined;
    if (choice.value && 'id' in choice.value) {
      const run = choice.value;
      s.studentInit = rel(join(runsFolder()!, run.id, 'export'));
      s.shape = (run.config as { student: ModelShape }).student;
      return next(s);
    }
    if (choice.value) {
      s.shape = choice.value;
      return next(s);
    }
    const text = await input.input({
      title: s.title, prompt: 'Layers x hidden, heads, FFN size', value: '4x312, 12, 1200',
      validate: (v) => {
        const r = parseShape(v);
        return typeof r === 'string' ? r : undefined;
      },
    });
    s.shape = parseShape(text) as ModelShape;
    return next(s);
  };
}

// ---- general distillation --------------------------------------------------------------------------

function generalTeacherStep(s: State): Step {
  return async (input) => {
    const runs = exportedRuns(['teacher', 'pretrain']);
    const items: Item<string>[] = [
      { label: '$(folder-opened) A pre-trained BERT folder…', detail: 'a Hugging Face folder (BertModel, BertForMaskedLM, ...) with config.json, model.safetensors and vocab.txt', value: 'folder' },
      ...runs.map((r) => ({ label: `$(mortar-board) ${r.name}`, description: `${r.kind} run`, detail: r.id, value: `run:${r.id}` })),
    ];
    const choice = await input.pick({ title: s.title, placeholder: 'The teacher to distil from (pre-trained; no task needed)', items });
    if (choice.value === 'folder') {
      const folder = await input.outside(() => pickFolder('The teacher: a pre-trained BERT folder'));
      if (!existsSync(join(folder, 'config.json'))) {
        void vscode.window.showWarningMessage(`${folder} has no config.json: pick a Hugging Face model folder.`);
        return generalTeacherStep(s);
      }
      s.teacher = { kind: 'folder', path: rel(folder) };
    } else {
      s.teacher = { kind: 'run', runId: choice.value.slice(4) };
    }
    return corpusStep(s);
  };
}

function pickCorpus(): Thenable<string[] | undefined> {
  const ws = workspaceFolder();
  return vscode.window
    .showOpenDialog({ title: 'The corpus: .txt, .jsonl, .tsv or .csv files, or folders holding them', canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Use as corpus', defaultUri: ws ? vscode.Uri.file(ws) : undefined })
    .then((u) => u?.map((x) => x.fsPath));
}

function corpusStep(s: State): Step {
  return async (input) => {
    const paths = await input.outside(() => pickCorpus().then((p) => (p?.length ? p : undefined)));
    const formats = new Set(paths.map((p) => corpusFormatOf(p) ?? 'folder'));
    s.corpus = paths.map(rel);
    s.corpusText = 'lines';
    s.corpusField = s.corpusColumn = undefined;
    if (formats.has('txt') || formats.has('folder')) {
      const items: Item<'lines' | 'documents'>[] = [
        { label: 'A passage a line', detail: 'each non-blank line is one passage, cut at the max length', value: 'lines' },
        { label: 'Documents', detail: 'blank-line separated documents, cut into windows of the max length', value: 'documents' },
      ];
      s.corpusText = (await input.pick({ title: s.title, placeholder: 'How the .txt files hold their text', items })).value;
    }
    const table = paths.find((p) => ['jsonl', 'tsv', 'csv'].includes(corpusFormatOf(p) ?? ''));
    if (table) {
      const columns = columnsOf(table);
      const items: Item<string>[] = columns.map((c) => ({ label: c, value: c }));
      const what = corpusFormatOf(table) === 'jsonl' ? 'field' : 'column';
      const choice = items.length ? (await input.pick({ title: s.title, placeholder: `The ${what} with the text (${basename(table)})`, items })).value : 'text';
      if (what === 'field') s.corpusField = choice;
      else s.corpusColumn = choice;
    }
    return studentStep(s, (st) => epochsStep(st, backendStep), false);
  };
}

/** Asks what a general-distillation run needs; undefined when the user cancels. */
export async function askGeneral(): Promise<GeneralAnswers | undefined> {
  const d = wizardDefaults();
  const s: State = { title: 'LRC: New General Distillation Run' };
  const done = await MultiStepInput.run(generalTeacherStep(s), 7);
  if (!done || !s.teacher || s.teacher.kind === 'trainFirst' || !s.corpus || !s.shape || !s.epochs || !s.learningRate || !s.backend || !s.name) return undefined;
  return {
    name: s.name.trim(), teacher: s.teacher, corpus: s.corpus, text: s.corpusText ?? 'lines', ...(s.corpusField ? { field: s.corpusField } : {}), ...(s.corpusColumn ? { column: s.corpusColumn } : {}),
    student: s.shape, epochs: s.epochs, learningRate: s.learningRate, backend: s.backend, evalEverySteps: d.evalEverySteps,
  };
}

function lossStep(s: State): Step {
  return async (input) => {
    const items: Item<LossChoice>[] = [
      { label: 'LRC-BERT', detail: 'COS-NCE contrastive loss on the intermediate layers, then soft and hard labels', value: 'lrc' },
      { label: 'MSE baseline', detail: 'the same run with mean squared error on the intermediate layers', value: 'mse' },
      { label: 'Both, paired', detail: 'an LRC run and its MSE baseline on the same config, one after the other, to compare', value: 'both' },
    ];
    s.loss = (await input.pick({ title: s.title, placeholder: 'The intermediate-layer loss', items })).value;
    return splitStep(s);
  };
}

function splitStep(s: State): Step {
  return async (input) => {
    const v = await input.input({
      title: s.title, prompt: 'Share of the steps in stage 1 (intermediate layers only); the rest is stage 2 (with soft and hard labels)',
      value: String(s.split ?? wizardDefaults().split), validate: numberCheck('the split', (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    });
    s.split = Number(v);
    return epochsStep(s, backendStep);
  };
}

function epochsStep(s: State, next: (s: State) => Step): Step {
  return async (input) => {
    const epochs = await input.input({
      title: s.title, prompt: 'Epochs (passes over the training set)', value: String(s.epochs ?? wizardDefaults().epochs),
      validate: numberCheck('epochs', (n) => n > 0, 'a number > 0'),
    });
    s.epochs = Number(epochs);
    const lr = await input.input({
      title: s.title, prompt: 'Peak learning rate (the paper picks from 5e-5, 1e-4, 3e-4)', value: String(s.learningRate ?? wizardDefaults().learningRate),
      validate: numberCheck('the learning rate', (n) => n > 0 && n < 1, 'a number between 0 and 1'),
    });
    s.learningRate = Number(lr);
    return next(s);
  };
}

function backendStep(s: State): Step {
  return async (input) => {
    const current = backendSetting();
    const items: Item<BackendSetting>[] = BACKEND_SETTINGS.map((b) => ({ label: b, description: b === current ? '(setting lrcDistill.backend)' : undefined, detail: BACKEND_DETAILS[b], value: b }));
    s.backend = (await input.pick({ title: s.title, placeholder: 'The TensorFlow.js backend of the trainer', items, active: items.find((i) => i.value === current) })).value;
    return nameStep(s);
  };
}

export const BACKEND_DETAILS: Record<BackendSetting, string> = {
  auto: 'the best that loads: TensorFlow (tfjs-node-gpu, tfjs-node), then WASM, then plain JavaScript',
  tensorflow: 'native TensorFlow (@tensorflow/tfjs-node or -gpu, when installed)',
  wasm: 'WebAssembly with SIMD: works everywhere',
  cpu: 'plain JavaScript: slow, for checks',
};

function nameStep(s: State): Step {
  return async (input) => {
    const task = s.data ? describeData(s.data as Record<string, unknown>).split(' ')[0].replace(/[^A-Za-z0-9-]/g, '') : 'run';
    const proposed = s.corpus ? `general-${s.shape?.layers}x${s.shape?.hidden}`
      : s.loss ? `${task}-${s.loss === 'both' ? 'lrc' : s.loss}-${s.shape?.layers}x${s.shape?.hidden}${s.studentInit ? '-from-general' : ''}` : `${task}-teacher-${s.shape?.layers}x${s.shape?.hidden}`;
    s.name = await input.input({
      title: s.title, prompt: 'A name for the run (and its config file in .lrc/configs/)', value: s.name ?? proposed,
      validate: (v) => (/^[\w .()-]{1,80}$/.test(v.trim()) ? undefined : 'use 1 to 80 letters, digits, spaces, dots, dashes or parentheses'),
    });
  };
}

// ---- the two wizards -----------------------------------------------------------------------------

/** Asks everything a distillation run needs; undefined when the user cancels. */
export async function askNewRun(): Promise<NewRunAnswers | undefined> {
  const d = wizardDefaults();
  const s: State = { title: 'LRC: New Distillation Run' };
  const done = await MultiStepInput.run(teacherStep(s), 9);
  if (!done || !s.teacher || !s.data || !s.shape || !s.loss || s.split === undefined || !s.epochs || !s.learningRate || !s.backend || !s.name) return undefined;
  return {
    name: s.name.trim(), teacher: s.teacher, data: s.data, student: s.shape, loss: s.loss, split: s.split, epochs: s.epochs,
    learningRate: s.learningRate, backend: s.backend, evalEverySteps: d.evalEverySteps, ...(s.studentInit ? { studentInit: s.studentInit } : {}),
    ...(s.maxLength ? { maxLength: s.maxLength } : {}),
  };
}

/** Asks what a teacher fine-tuning run needs; undefined when the user cancels. */
export async function askTeacher(): Promise<TeacherAnswers | undefined> {
  const d = wizardDefaults();
  const s: State = { title: 'LRC: Train Teacher' };
  const shapeStep: Step = async (input) => {
    const items: Item<ShapePreset>[] = TEACHER_PRESETS.map((p) => ({ label: p.label, detail: p.detail, value: p }));
    s.shape = (await input.pick({ title: s.title, placeholder: 'The shape of the teacher', items, active: items[1] })).value.shape;
    return epochsStep(s, backendStep);
  };
  const done = await MultiStepInput.run(taskStep(s, () => shapeStep), 6);
  if (!done || !s.data || !s.shape || !s.epochs || !s.learningRate || !s.backend || !s.name) return undefined;
  return { name: s.name.trim(), data: s.data, model: s.shape, epochs: s.epochs, learningRate: s.learningRate, backend: s.backend, evalEverySteps: d.evalEverySteps };
}
