// Reading a run's analysis files (analysis/step-XXXXXX.json, format: trainer/analysis/analysisSchema.ts)
// in the extension host. The trainer's own reader validates with a schema that imports TensorFlow.js
// (through the vectorize modes), which would put 4 MB of tfjs into the extension bundle; this reader
// checks what the views rely on: the shapes of the grids, mappings and case records, each error naming
// the file and the field. The header (everything but the cases) is read on its own: the heatmap needs
// only the grids, and the file writer puts the cases last, one record per line.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { z } from 'zod';

export { ANALYSIS_FORMAT } from '../../trainer/analysis/analysisSchema';
import { ANALYSIS_FORMAT } from '../../trainer/analysis/analysisSchema';
const FILE_NAME = /^step-(\d+)\.json$/;

const count = z.number().int().nonnegative();
const value = z.number().nullable();
const prediction = z.object({ prediction: value, probabilities: z.array(value).optional() });
const studentCase = prediction.extend({ angular: z.array(value), mse: z.array(value) });

const CaseSchema = z.object({
  id: z.string(),
  text: z.string(),
  textPair: z.string().optional(),
  label: z.number(),
  teacher: prediction,
  lrc: studentCase.optional(),
  mse: studentCase.optional(),
});

const StudentSchema = z.object({
  layers: z.number().int().positive(),
  hidden: z.number().int().positive(),
  mapping: z.array(z.object({ student: count, teacher: count })).min(1),
  rows: z.array(z.union([z.object({ projection: count }), z.literal('identity'), z.null()])),
  grid: z.object({ angular: z.array(z.array(value).nullable()), mse: z.array(z.array(value).nullable()) }),
});

const HeaderSchema = z.object({
  format: z.literal(ANALYSIS_FORMAT),
  version: z.literal(1),
  step: count,
  stage: z.number().int().min(1),
  createdAt: z.string(),
  run: z.enum(['lrc', 'mse']),
  task: z.object({ kind: z.enum(['classification', 'regression']), labelNames: z.array(z.string()) }),
  counts: z.object({ examples: count, cases: count }),
  teacher: z.object({ layers: z.number().int().positive(), hidden: z.number().int().positive() }),
  students: z.object({ lrc: StudentSchema.optional(), mse: StudentSchema.optional() }),
});

export type AnalysisCase = z.infer<typeof CaseSchema>;
export type AnalysisStudent = z.infer<typeof StudentSchema>;
export type AnalysisHeader = z.infer<typeof HeaderSchema>;
export interface AnalysisFileView extends AnalysisHeader {
  cases: AnalysisCase[];
}

type Issue = { path: (string | number)[]; message: string };

function where(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '(file)';
}

/** The checks across fields that the views rely on (grid sizes, mapping ranges, per-layer lists). */
function headerIssues(h: AnalysisHeader): Issue[] {
  const issues: Issue[] = [];
  const cols = h.teacher.layers + 1;
  if (!h.students[h.run]) issues.push({ path: ['students', h.run], message: `the run's own student '${h.run}' has no entry` });
  for (const role of ['lrc', 'mse'] as const) {
    const s = h.students[role];
    if (!s) continue;
    const at = ['students', role];
    s.mapping.forEach((m, k) => {
      if (m.student < 1 || m.student > s.layers) issues.push({ path: [...at, 'mapping', k, 'student'], message: `student layer ${m.student} is outside 1..${s.layers}` });
      if (m.teacher > h.teacher.layers) issues.push({ path: [...at, 'mapping', k, 'teacher'], message: `teacher layer ${m.teacher} is outside 0..${h.teacher.layers}` });
    });
    if (s.rows.length !== s.layers + 1) issues.push({ path: [...at, 'rows'], message: `has ${s.rows.length} entries, expected ${s.layers + 1}` });
    for (const kind of ['angular', 'mse'] as const) {
      const grid = s.grid[kind];
      if (grid.length !== s.layers + 1) issues.push({ path: [...at, 'grid', kind], message: `has ${grid.length} rows, expected ${s.layers + 1} (student layers 0..${s.layers})` });
      grid.forEach((row, i) => {
        if (row && row.length !== cols) issues.push({ path: [...at, 'grid', kind, i], message: `has ${row.length} columns, expected ${cols} (teacher layers 0..${h.teacher.layers})` });
      });
    }
  }
  return issues;
}

function caseIssues(h: AnalysisHeader, cases: AnalysisCase[]): Issue[] {
  const issues: Issue[] = [];
  if (cases.length !== h.counts.cases) issues.push({ path: ['counts', 'cases'], message: `says ${h.counts.cases} but there are ${cases.length} case records` });
  const classes = h.task.kind === 'classification' ? h.task.labelNames.length : 0;
  for (let n = 0; n < cases.length && issues.length < 5; n++) {
    const c = cases[n];
    for (const [name, p] of [['teacher', c.teacher], ['lrc', c.lrc], ['mse', c.mse]] as const) {
      if (p && (p.probabilities?.length ?? 0) !== classes) issues.push({ path: ['cases', n, name, 'probabilities'], message: `has ${p.probabilities?.length ?? 0} values, expected ${classes}` });
    }
    for (const role of ['lrc', 'mse'] as const) {
      const m = c[role];
      if (!m) continue;
      const s = h.students[role];
      if (!s) issues.push({ path: ['cases', n, role], message: `a case of the ${role} student, but the file has no ${role} student` });
      else if (m.angular.length !== s.mapping.length || m.mse.length !== s.mapping.length) {
        issues.push({ path: ['cases', n, role], message: `has ${m.angular.length} angular and ${m.mse.length} mse values, expected ${s.mapping.length} each (one per mapped layer)` });
      }
    }
  }
  return issues;
}

function fail(path: string, issues: Issue[]): never {
  const shown = issues.slice(0, 5).map((i) => `${where(i.path)}: ${i.message}`);
  throw new Error(`${path}: not a valid analysis file: ${shown.join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`);
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

function checkName(path: string, step: number): void {
  const named = FILE_NAME.exec(path.split(/[\\/]/).pop() ?? '');
  if (named && Number(named[1]) !== step) throw new Error(`${path}: step: the file name says step ${Number(named[1])} but the file holds step ${step}`);
}

function validHeader(path: string, json: unknown): AnalysisHeader {
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) fail(path, parsed.error.issues.map((i) => ({ path: i.path, message: i.message })));
  const issues = headerIssues(parsed.data);
  if (issues.length) fail(path, issues);
  checkName(path, parsed.data.step);
  return parsed.data;
}

/** Reads and checks a whole analysis file, its case records included. */
export function readAnalysisView(path: string): AnalysisFileView {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read the analysis file (${(e as Error).message})`);
  }
  const json = parseJson(path, text);
  const header = validHeader(path, json);
  const cases = z.array(CaseSchema).safeParse((json as { cases?: unknown }).cases);
  if (!cases.success) fail(path, cases.error.issues.map((i) => ({ path: ['cases', ...i.path], message: i.message })));
  const issues = caseIssues(header, cases.data);
  if (issues.length) fail(path, issues);
  return { ...header, cases: cases.data };
}

/** Where the file writer starts the case records (trainer/analysis/analysisFile.ts, formatAnalysisJson). */
const CASES_KEY = '\n  "cases": ';
const HEADER_LIMIT = 8 << 20;

/**
 * Reads the file only up to its case records and checks that part: the grids of a file of thousands
 * of cases in a few milliseconds. A file laid out differently is read whole.
 */
export function readAnalysisHeader(path: string): AnalysisHeader {
  let head = '';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`${path}: cannot read the analysis file (${(e as Error).message})`);
  }
  try {
    const chunk = Buffer.alloc(64 << 10);
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, size);
      if (n <= 0) break;
      parts.push(Buffer.from(chunk.subarray(0, n)));
      size += n;
      // a multi-byte character may straddle chunks: decode everything read so far
      head = Buffer.concat(parts).toString('utf8');
      if (head.includes(CASES_KEY) || size >= HEADER_LIMIT) break;
    }
  } finally {
    closeSync(fd);
  }
  const at = head.indexOf(CASES_KEY);
  const before = at >= 0 ? head.slice(0, at).replace(/,\s*$/, '') : '';
  if (at < 0 || !before.startsWith('{')) {
    const { cases: _cases, ...header } = readAnalysisView(path);
    return header;
  }
  return validHeader(path, parseJson(path, `${before}\n}`));
}

/** A run's analysis files in step order (the trainer's own listing). */
export { listAnalysisFiles as listStepFiles, type AnalysisFileEntry as StepFile } from '../../trainer/analysis/analysisFile';
