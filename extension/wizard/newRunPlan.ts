// The choices of the new-run wizard, and the plan they make (pure: the wizard's UI only collects them).
import type { DataConfig, ModelShape } from '../../trainer/config/runConfig';
import { PAPER_STUDENT } from '../../trainer/config/runConfig';
import type { RunPlan } from '../runs/runPlan';
import type { BackendSetting, StudentPresetName } from '../settings';
import { deepMerge, type Json } from '../../trainer/util/deepMerge';

export interface ShapePreset {
  id: string;
  label: string;
  detail: string;
  shape: ModelShape;
}

export const STUDENT_PRESETS: Record<StudentPresetName, ShapePreset> = {
  paper: { id: 'paper', label: 'Paper student: 4 layers x 312', detail: '12 heads, FFN 1200, 14.5M parameters with BERT\'s vocabulary (LRC-BERT, TinyBERT-4)', shape: PAPER_STUDENT },
  small: { id: 'small', label: 'Small: 2 layers x 128', detail: '2 heads, FFN 512: minutes on a CPU', shape: { layers: 2, hidden: 128, heads: 2, intermediate: 512, dropout: 0.1 } },
  tiny: { id: 'tiny', label: 'Tiny: 1 layer x 32', detail: '2 heads, FFN 64: seconds, to check a setup', shape: { layers: 1, hidden: 32, heads: 2, intermediate: 64, dropout: 0.1 } },
};

export const TEACHER_PRESETS: ShapePreset[] = [
  { id: 'base', label: 'BERT-base: 12 layers x 768', detail: '12 heads, FFN 3072: the paper\'s teacher (slow on a CPU)', shape: { layers: 12, hidden: 768, heads: 12, intermediate: 3072, dropout: 0.1 } },
  { id: 'small', label: 'Small: 4 layers x 256', detail: '4 heads, FFN 1024', shape: { layers: 4, hidden: 256, heads: 4, intermediate: 1024, dropout: 0.1 } },
  { id: 'mini', label: 'Mini: 2 layers x 128', detail: '2 heads, FFN 512: minutes on a CPU', shape: { layers: 2, hidden: 128, heads: 2, intermediate: 512, dropout: 0.1 } },
];

export type TeacherChoice =
  | { kind: 'folder'; path: string }
  | { kind: 'run'; runId: string }
  | { kind: 'trainFirst'; shape: ModelShape; epochs?: number; learningRate?: number };

export type LossChoice = 'lrc' | 'mse' | 'both';

/** Everything the wizard asks. `overrides` are merged into the run config last (and `teacherOverrides`
 *  into a teacher trained first): settings the wizard does not ask, e.g. maxSteps for a quick check. */
export interface NewRunAnswers {
  name: string;
  teacher: TeacherChoice;
  data: DataConfig | Record<string, unknown>;
  student: ModelShape;
  loss: LossChoice;
  split: number;
  epochs: number;
  learningRate: number;
  backend: BackendSetting;
  evalEverySteps?: number;
  maxLength?: number;
  /** Start the student from this folder (a general run's export): its shape is the folder's. */
  studentInit?: string;
  overrides?: Record<string, unknown>;
  teacherOverrides?: Record<string, unknown>;
}

/** What the general-distillation wizard asks (docs/general-distillation.md). */
export interface GeneralAnswers {
  name: string;
  teacher: Extract<TeacherChoice, { kind: 'folder' | 'run' }>;
  /** Corpus files and folders (.txt, .jsonl, .tsv, .csv). */
  corpus: string[];
  /** .txt files: a passage a line, or blank-line separated documents cut into windows. */
  text: 'lines' | 'documents';
  /** .jsonl: the text field; .tsv / .csv: the text column. */
  field?: string;
  column?: string;
  student: ModelShape;
  epochs: number;
  learningRate: number;
  backend: BackendSetting;
  evalEverySteps?: number;
  maxLength?: number;
  overrides?: Record<string, unknown>;
}

/** The run config of a general run: COS-NCE on the corpus from the teacher, the student of the shape. */
export function generalConfigOf(a: GeneralAnswers): Json {
  return deepMerge(
    {
      kind: 'general',
      name: a.name,
      backend: a.backend,
      teacher: a.teacher.kind === 'folder' ? { path: a.teacher.path } : { runId: a.teacher.runId },
      data: { task: 'corpus', paths: a.corpus, text: a.text, ...(a.field ? { field: a.field } : {}), ...(a.column ? { column: a.column } : {}) },
      ...(a.maxLength ? { maxLength: a.maxLength } : {}),
      student: a.student,
      optim: { epochs: a.epochs, learningRate: a.learningRate },
      ...(a.evalEverySteps ? { eval: { everySteps: a.evalEverySteps } } : {}),
    },
    a.overrides,
  );
}

export interface TeacherAnswers {
  name: string;
  data: DataConfig | Record<string, unknown>;
  model: ModelShape;
  epochs: number;
  learningRate: number;
  backend: BackendSetting;
  evalEverySteps?: number;
  maxLength?: number;
  overrides?: Record<string, unknown>;
}

export function teacherConfigOf(a: TeacherAnswers): Json {
  return deepMerge(
    {
      kind: 'teacher',
      name: a.name,
      backend: a.backend,
      data: a.data,
      ...(a.maxLength ? { maxLength: a.maxLength } : {}),
      model: a.model,
      optim: { epochs: a.epochs, learningRate: a.learningRate },
      ...(a.evalEverySteps ? { eval: { everySteps: a.evalEverySteps } } : {}),
    },
    a.overrides,
  );
}

/** The plan of the answers: the run config, a teacher trained first when asked, the baseline for "both". */
export function planOf(a: NewRunAnswers): RunPlan {
  const kind = a.loss === 'mse' ? 'mse' : 'lrc';
  const run = deepMerge(
    {
      kind,
      name: a.name,
      backend: a.backend,
      data: a.data,
      ...(a.maxLength ? { maxLength: a.maxLength } : {}),
      ...(a.teacher.kind === 'folder' ? { teacher: { path: a.teacher.path } } : a.teacher.kind === 'run' ? { teacher: { runId: a.teacher.runId } } : {}),
      student: a.student,
      ...(a.studentInit ? { studentInit: a.studentInit } : {}),
      stages: { split: a.split },
      optim: { epochs: a.epochs, learningRate: a.learningRate },
      ...(a.evalEverySteps ? { eval: { everySteps: a.evalEverySteps } } : {}),
    },
    a.overrides,
  );
  const teacher =
    a.teacher.kind === 'trainFirst'
      ? teacherConfigOf({
          name: `${a.name} teacher`, data: a.data, model: a.teacher.shape, epochs: a.teacher.epochs ?? a.epochs,
          learningRate: a.teacher.learningRate ?? a.learningRate, backend: a.backend, evalEverySteps: a.evalEverySteps, maxLength: a.maxLength,
          overrides: a.teacherOverrides,
        })
      : undefined;
  return { ...(teacher ? { teacher } : {}), run, baseline: a.loss === 'both' };
}

/** "4x312/12/1200" or "4 x 312, 12 heads, ffn 1200": a custom shape, or a message saying what is wrong. */
export function parseShape(text: string): ModelShape | string {
  const nums = text.match(/\d+/g)?.map(Number) ?? [];
  if (nums.length !== 4) return 'give four numbers: layers x hidden, heads, FFN size (e.g. 4x312, 12, 1200)';
  const [layers, hidden, heads, intermediate] = nums;
  if (nums.some((n) => n < 1)) return 'every number must be at least 1';
  if (hidden % heads !== 0) return `hidden ${hidden} is not a multiple of heads ${heads}`;
  return { layers, hidden, heads, intermediate, dropout: 0.1 };
}
