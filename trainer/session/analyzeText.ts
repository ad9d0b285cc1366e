// "Analyze Selection": one text (or pair) through the teacher, the LRC student and its MSE baseline,
// with the per-layer distances of both students: a case record for an example the user picked. The
// three models stay loaded for the next selection of the same run.
import { join } from 'node:path';
import { analyzeDataset, type CaseRecord } from '../analysis';
import { loadHfModel } from '../checkpoint/hfFolder';
import { tokenizeDataset } from '../data/batches';
import type { TextDataset } from '../data/types';
import { effectiveLoss, parseRunConfig } from '../config/effective';
import type { BertModel } from '../model/types';
import { findRunDir, readRun } from '../runs/runStore';
import { UserError } from '../server';
import { loadTokenizer } from '../tokenizer/loadTokenizer';
import type { BertTokenizer } from '../tokenizer/types';
import { teacherFolderOf } from './models';
import { studentOfRun, type LoadedStudent } from './analysisStep';

interface Loaded {
  key: string;
  teacher: BertModel;
  tokenizer: BertTokenizer;
  students: { lrc?: LoadedStudent; mse?: LoadedStudent };
  labelNames: string[];
  maxLength: number;
  vectorize: ReturnType<typeof effectiveLoss>['vectorize'];
  angularEps: number;
}

let cache: Loaded | undefined;

function dispose(l: Loaded): void {
  l.students.lrc?.dispose();
  l.students.mse?.dispose();
  l.teacher.dispose();
}

async function load(runDir: string): Promise<Loaded> {
  const record = readRun(runDir);
  if (record.kind !== 'lrc' && record.kind !== 'mse') throw new UserError(`run ${record.id} is a ${record.kind} run: pick an LRC run or its MSE baseline`, 'run');
  const runsDir = join(runDir, '..');
  const pairedDir = record.pairedRunId ? findRunDir(runsDir, record.pairedRunId) : undefined;
  const dirs = { [record.kind]: runDir, ...(pairedDir ? { [record.kind === 'lrc' ? 'mse' : 'lrc']: pairedDir } : {}) } as { lrc?: string; mse?: string };
  const key = JSON.stringify(dirs);
  if (cache?.key === key) return cache;
  if (cache) dispose(cache);
  cache = undefined;
  const config = parseRunConfig(record.config, `${runDir}/run.json`);
  const teacherFolder = teacherFolderOf(config, runsDir)!;
  const { model: teacher } = loadHfModel(teacherFolder, { trainable: false });
  const students: Loaded['students'] = {};
  try {
    for (const role of ['lrc', 'mse'] as const) {
      const dir = dirs[role];
      if (dir && readRun(dir).progress.step > 0) students[role] = studentOfRun(dir, teacher);
    }
    if (!students.lrc && !students.mse) throw new UserError(`run ${record.id} has no checkpoint yet`, 'run');
    const loss = effectiveLoss(config);
    const id2label = teacher.config.id2label;
    const labelNames = id2label ? Object.keys(id2label).sort((a, b) => +a - +b).map((k) => id2label[k]) : [];
    cache = { key, teacher, tokenizer: await loadTokenizer(teacherFolder), students, labelNames, maxLength: config.maxLength, vectorize: loss.vectorize, angularEps: loss.angularEps };
    return cache;
  } catch (e) {
    students.lrc?.dispose();
    students.mse?.dispose();
    teacher.dispose();
    throw e;
  }
}

export interface TextAnalysis {
  labelNames: string[];
  record: Omit<CaseRecord, 'label' | 'id'>;
}

export async function analyzeText(runDir: string, text: string, textPair?: string): Promise<TextAnalysis> {
  if (!text.trim()) throw new UserError('the selection is empty', 'text');
  const l = await load(runDir);
  const regression = l.teacher.config.num_labels === 1;
  const dataset: TextDataset = { name: 'selection', kind: regression ? 'regression' : 'classification', labelNames: l.labelNames, source: 'selection', examples: [{ id: 'selection', text, textPair, label: 0 }] };
  const data = await tokenizeDataset(dataset, l.tokenizer, l.maxLength);
  const result = await analyzeDataset({ teacher: l.teacher, lrc: l.students.lrc?.student, mse: l.students.mse?.student }, data, { batchSize: 1, vectorize: l.vectorize, angularEps: l.angularEps });
  const { label: _label, id: _id, ...record } = result.cases[0];
  return { labelNames: l.labelNames, record };
}

/** Frees the models kept for the last selection. */
export function releaseTextAnalysis(): void {
  if (cache) dispose(cache);
  cache = undefined;
}
