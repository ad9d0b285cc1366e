// The analysis file of one evaluation (analysis/step-000120.json in the run folder): the distance grids
// of each student, its layer mapping, and the case records. Version 1. Computed values are rounded to 5
// significant digits; a value that is not a finite number (a diverged model) is stored as null.
//
//   { "format": "lrc-distill-analysis", "version": 1, "step": 120, "stage": 1, "createdAt": "...",
//     "run": "lrc",                                   the run's own student ('lrc' or 'mse')
//     "task": { "kind": "classification", "labelNames": ["ham", "spam"] },
//     "settings": { "vectorize": "flatten", "angularEps": 1e-6, "unprojected": "nearest", "maxTextChars": 200 },
//     "counts": { "examples": 872, "cases": 872 },   grid examples; case records
//     "teacher": { "layers": 12, "hidden": 768 },
//     "students": { "lrc": { "layers": 4, "hidden": 312,
//                            "mapping": [{ "student": 1, "teacher": 3 }, ...],
//                            "rows": [{ "projection": 0 }, { "projection": 0 }, ...],   W of each grid row
//                            "grid": { "angular": [[...N+1], ...M+1], "mse": [[...], ...] } },
//                   "mse": { ... } },                 the paired baseline, when it was given
//     "cases": [ { "id": "dev.tsv:2", "text": "...", "textPair"?: "...", "label": 1,
//                  "teacher": { "prediction": 1, "probabilities": [0.1, 0.9] },
//                  "lrc": { "prediction": 1, "probabilities": [...], "angular": [per mapping entry], "mse": [...] },
//                  "mse"?: { ... } }, ... ] }
// Regression (one label): "prediction" is the score and "probabilities" is absent; labelNames is [].
import { z } from 'zod';
import { VECTORIZE_MODES, type VectorizeMode } from '../losses/config';
import { UNPROJECTED_LAYER_POLICIES, type UnprojectedLayerPolicy } from './rowProjections';

export const ANALYSIS_FORMAT = 'lrc-distill-analysis';
export const ANALYSIS_VERSION = 1;

const count = z.number().int().nonnegative();
const layers = z.number().int().positive();
/** A computed value; null when it was not a finite number. */
const value = z.number().nullable();
const roles = ['lrc', 'mse'] as const;

const PredictionSchema = z.object({ prediction: value, probabilities: z.array(value).optional() }).strict();
const StudentCaseSchema = PredictionSchema.extend({ angular: z.array(value), mse: z.array(value) }).strict();

export const CaseRecordSchema = z
  .object({
    id: z.string(),
    text: z.string(),
    textPair: z.string().optional(),
    label: z.number(),
    teacher: PredictionSchema,
    lrc: StudentCaseSchema.optional(),
    mse: StudentCaseSchema.optional(),
  })
  .strict();

const GridSchema = z.array(z.array(value).nullable());

export const StudentAnalysisSchema = z
  .object({
    layers,
    hidden: layers,
    mapping: z.array(z.object({ student: count, teacher: count }).strict()).min(1),
    rows: z.array(z.union([z.object({ projection: count }).strict(), z.literal('identity'), z.null()])),
    grid: z.object({ angular: GridSchema, mse: GridSchema }).strict(),
  })
  .strict();

/** Everything of the file but its case records (what the heatmap reads), without the checks across fields. */
export const AnalysisHeaderObject = z
  .object({
    format: z.literal(ANALYSIS_FORMAT),
    version: z.literal(ANALYSIS_VERSION),
    step: count,
    stage: z.number().int().min(1),
    createdAt: z.string(),
    run: z.enum(roles),
    task: z.object({ kind: z.enum(['classification', 'regression']), labelNames: z.array(z.string()) }).strict(),
    settings: z
      .object({
        vectorize: z.enum(VECTORIZE_MODES as unknown as [VectorizeMode, ...VectorizeMode[]]),
        angularEps: z.number().positive(),
        unprojected: z.enum(UNPROJECTED_LAYER_POLICIES as unknown as [UnprojectedLayerPolicy, ...UnprojectedLayerPolicy[]]),
        maxTextChars: layers,
      })
      .strict(),
    counts: z.object({ examples: count, cases: count }).strict(),
    teacher: z.object({ layers, hidden: layers }).strict(),
    students: z.object({ lrc: StudentAnalysisSchema.optional(), mse: StudentAnalysisSchema.optional() }).strict(),
  })
  .strict();

export type AnalysisHeader = z.infer<typeof AnalysisHeaderObject>;
export type CaseRecordJson = z.infer<typeof CaseRecordSchema>;

/** A field ("students.lrc.grid.angular", 2) and what is wrong with it. */
export interface AnalysisIssue {
  path: (string | number)[];
  message: string;
}

/** The checks across the header's fields: label names, the run's own student, mappings, rows and grid sizes. */
export function analysisHeaderIssues(header: AnalysisHeader): AnalysisIssue[] {
  const issues: AnalysisIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });
  const { task, teacher, students } = header;
  const classes = task.labelNames.length;
  if (task.kind === 'classification' && classes < 2) issue(['task', 'labelNames'], `a classification task needs at least 2 label names, got ${classes}`);
  if (task.kind === 'regression' && classes !== 0) issue(['task', 'labelNames'], `a regression task has no label names, got ${classes}`);
  if (!students[header.run]) issue(['students', header.run], `the run's own student '${header.run}' has no entry`);
  if (header.counts.cases > header.counts.examples) issue(['counts', 'cases'], `${header.counts.cases} case records but only ${header.counts.examples} examples`);
  for (const role of roles) {
    const s = students[role];
    if (!s) continue;
    const at = ['students', role];
    s.mapping.forEach(({ student, teacher: t }, k) => {
      if (student < 1 || student > s.layers) issue([...at, 'mapping', k, 'student'], `student layer ${student} is outside 1..${s.layers}`);
      if (t > teacher.layers) issue([...at, 'mapping', k, 'teacher'], `teacher layer ${t} is outside 0..${teacher.layers}`);
    });
    if (s.rows.length !== s.layers + 1) issue([...at, 'rows'], `has ${s.rows.length} entries, expected ${s.layers + 1} (student layers 0..${s.layers})`);
    s.rows.forEach((r, i) => {
      if (r && typeof r === 'object' && r.projection >= s.mapping.length) issue([...at, 'rows', i, 'projection'], `projection ${r.projection} does not exist (${s.mapping.length} mapped layers)`);
    });
    for (const kind of ['angular', 'mse'] as const) {
      const grid = s.grid[kind];
      if (grid.length !== s.layers + 1) issue([...at, 'grid', kind], `has ${grid.length} rows, expected ${s.layers + 1} (student layers 0..${s.layers})`);
      grid.forEach((row, i) => {
        if (row && row.length !== teacher.layers + 1) issue([...at, 'grid', kind, i], `has ${row.length} columns, expected ${teacher.layers + 1} (teacher layers 0..${teacher.layers})`);
        if ((row === null) !== (s.rows[i] === null)) issue([...at, 'grid', kind, i], `is ${row === null ? 'null' : 'present'} but rows[${i}] is ${JSON.stringify(s.rows[i])}`);
      });
    }
  }
  return issues;
}

/** The checks of the case records against the header: their number, probabilities, one distance per mapped layer. */
export function analysisCaseIssues(header: AnalysisHeader, cases: readonly CaseRecordJson[]): AnalysisIssue[] {
  const issues: AnalysisIssue[] = [];
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message });
  const { task, students } = header;
  if (header.counts.cases !== cases.length) issue(['counts', 'cases'], `says ${header.counts.cases} but there are ${cases.length} case records`);
  const probabilities = task.kind === 'classification' ? task.labelNames.length : 0;
  cases.forEach((c, n) => {
    const models = [['teacher', c.teacher], ['lrc', c.lrc], ['mse', c.mse]] as const;
    for (const [name, m] of models) {
      if (!m) continue;
      const got = m.probabilities?.length ?? 0;
      if (got !== probabilities) issue(['cases', n, name, 'probabilities'], `has ${got} values, expected ${probabilities}`);
    }
    for (const role of roles) {
      const m = c[role];
      const s = students[role];
      if (m && !s) issue(['cases', n, role], `a case of the ${role} student, but the file has no ${role} student`);
      if (!m || !s) continue;
      if (m.angular.length !== s.mapping.length) issue(['cases', n, role, 'angular'], `has ${m.angular.length} values, expected ${s.mapping.length} (one per mapped layer)`);
      if (m.mse.length !== s.mapping.length) issue(['cases', n, role, 'mse'], `has ${m.mse.length} values, expected ${s.mapping.length} (one per mapped layer)`);
    }
  });
  return issues;
}

function addIssues(ctx: z.RefinementCtx, issues: AnalysisIssue[]): void {
  for (const { path, message } of issues) ctx.addIssue({ code: 'custom', path, message });
}

/** The header checked on its own, for a reader that stops before the case records. */
export const AnalysisHeaderSchema = AnalysisHeaderObject.superRefine((header, ctx) => addIssues(ctx, analysisHeaderIssues(header)));

export const AnalysisFileSchema = AnalysisHeaderObject.extend({ cases: z.array(CaseRecordSchema) }).superRefine((file, ctx) =>
  addIssues(ctx, [...analysisHeaderIssues(file), ...analysisCaseIssues(file, file.cases)]),
);

export type AnalysisFile = z.infer<typeof AnalysisFileSchema>;
export type StudentAnalysisJson = z.infer<typeof StudentAnalysisSchema>;

/** "cases[3].lrc.angular[1]" */
export function formatIssuePath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '(file)';
}
