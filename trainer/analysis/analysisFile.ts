// Writing, reading and listing a run's analysis files (format: analysisSchema.ts). Files are named
// step-<step, 6+ digits>.json in the run's analysis folder, written atomically, one case record per line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { runPaths } from '../runs/runFolder';
import { writeFileAtomic } from '../util/atomicFile';
import type { AnalysisResult, CaseRecord, StudentCase } from './accumulate';
import type { ModelPrediction, StudentRole } from './batchAnalysis';
import {
  ANALYSIS_FORMAT, ANALYSIS_VERSION, AnalysisFileSchema, AnalysisHeaderSchema, formatIssuePath, type AnalysisFile, type AnalysisHeader, type CaseRecordJson,
} from './analysisSchema';
import { UserError } from '../errors';

/** Texts longer than this are cut (with an ellipsis) so that thousands of cases stay a few MB. */
export const DEFAULT_MAX_TEXT_CHARS = 200;

export interface AnalysisFileMeta {
  step: number;
  /** Training stage (1, 2) at this step. */
  stage: number;
  /** The run's own student: 'lrc' for an LRC run, 'mse' for the baseline run. */
  run: StudentRole;
  /** Class names in label order; [] for regression. */
  labelNames: readonly string[];
  maxTextChars?: number;
  /** ISO time; default now. */
  createdAt?: string;
}

/** 5 significant digits; null for NaN and infinities (JSON has neither). */
export function round5(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(5)) : null;
}

/** At most `max` characters (UTF-16 units), the last an ellipsis when cut; never splits a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

function predictionJson(p: ModelPrediction) {
  return p.probabilities ? { prediction: round5(p.prediction), probabilities: p.probabilities.map(round5) } : { prediction: round5(p.prediction) };
}

function studentCaseJson(s: StudentCase) {
  return { ...predictionJson(s), angular: s.angular.map(round5), mse: s.mse.map(round5) };
}

function caseJson(c: CaseRecord, maxTextChars: number): CaseRecordJson {
  return {
    id: c.id,
    text: truncateText(c.text, maxTextChars),
    ...(c.textPair === undefined ? {} : { textPair: truncateText(c.textPair, maxTextChars) }),
    label: c.label,
    teacher: predictionJson(c.teacher),
    ...(c.lrc ? { lrc: studentCaseJson(c.lrc) } : {}),
    ...(c.mse ? { mse: studentCaseJson(c.mse) } : {}),
  };
}

/** The file's content for an analysis result, checked against the schema. */
export function toAnalysisFile(result: AnalysisResult, meta: AnalysisFileMeta): AnalysisFile {
  const maxTextChars = meta.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const grid = (g: (number[] | null)[]) => g.map((row) => (row ? row.map(round5) : null));
  const students: AnalysisFile['students'] = {};
  for (const role of ['lrc', 'mse'] as const) {
    const s = result.students[role];
    if (s) students[role] = { layers: s.layers, hidden: s.hidden, mapping: s.mapping, rows: s.rows, grid: { angular: grid(s.grid.angular), mse: grid(s.grid.mse) } };
  }
  const file = {
    format: ANALYSIS_FORMAT,
    version: ANALYSIS_VERSION,
    step: meta.step,
    stage: meta.stage,
    createdAt: meta.createdAt ?? new Date().toISOString(),
    run: meta.run,
    task: { kind: result.numLabels === 1 ? 'regression' : 'classification', labelNames: [...meta.labelNames] },
    settings: { vectorize: result.vectorize, angularEps: result.angularEps, unprojected: result.unprojected, maxTextChars },
    counts: { examples: result.examples, cases: result.cases.length },
    teacher: result.teacher,
    students,
    cases: result.cases.map((c) => caseJson(c, maxTextChars)),
  };
  const parsed = AnalysisFileSchema.safeParse(file);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`analysis of step ${meta.step} does not fit the file format: ${formatIssuePath(i.path)}: ${i.message}`);
  }
  return parsed.data;
}

/** "step-000120.json" */
export function analysisFileName(step: number): string {
  if (!Number.isInteger(step) || step < 0) throw new Error(`analysis file: step must be a whole number >= 0, got ${step}`);
  return `step-${String(step).padStart(6, '0')}.json`;
}

const FILE_NAME = /^step-(\d+)\.json$/;

/**
 * JSON indented to the level of the records: arrays and objects of plain values (grid rows, mappings)
 * and each case record on one line, which keeps a file of thousands of cases small and readable.
 */
export function formatAnalysisJson(value: unknown, indent = ''): string {
  const plain = (v: unknown) => v === null || typeof v !== 'object';
  if (plain(value)) return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every(plain)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + formatAnalysisJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.every(([, v]) => plain(v))) return JSON.stringify(value);
  const line = ([k, v]: [string, unknown]) => `${inner}${JSON.stringify(k)}: ${k === 'cases' && Array.isArray(v) ? casesJson(v, inner) : formatAnalysisJson(v, inner)}`;
  return `{\n${entries.map(line).join(',\n')}\n${indent}}`;
}

function casesJson(cases: unknown[], indent: string): string {
  if (cases.length === 0) return '[]';
  return `[\n${cases.map((c) => `${indent}  ${JSON.stringify(c)}`).join(',\n')}\n${indent}]`;
}

/** Writes the file into the run's analysis folder, atomically; returns its path. */
export function writeAnalysisFile(runDir: string, file: AnalysisFile): string {
  const path = join(runPaths(runDir).analysis, analysisFileName(file.step));
  writeFileAtomic(path, formatAnalysisJson(file) + '\n');
  return path;
}

/** An analysis file's text; the error names the file. */
function readAnalysisText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read the analysis file (${(e as Error).message})`);
  }
}

/** The JSON of (a part of) an analysis file; the error names the file. */
export function parseAnalysisJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Validates what was read from `path` with the schema and against the file's name; errors name the file and the field (5 at most). */
function checked<T extends { step: number }>(path: string, json: unknown, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const shown = parsed.error.issues.slice(0, 5).map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
    const more = parsed.error.issues.length > 5 ? `; and ${parsed.error.issues.length - 5} more` : '';
    throw new UserError(`${path}: not a valid analysis file: ${shown.join('; ')}${more}`);
  }
  const named = FILE_NAME.exec(path.split(/[\\/]/).pop() ?? '');
  if (named && Number(named[1]) !== parsed.data.step) {
    throw new UserError(`${path}: step: the file name says step ${Number(named[1])} but the file holds step ${parsed.data.step}`);
  }
  return parsed.data;
}

/** Checks the header of the file at `path` (everything but the case records), parsed on its own. */
export function checkAnalysisHeader(path: string, json: unknown): AnalysisHeader {
  return checked(path, json, AnalysisHeaderSchema);
}

/** Reads and validates an analysis file; errors name the file and the field. */
export function readAnalysisFile(path: string): AnalysisFile {
  return checked(path, parseAnalysisJson(path, readAnalysisText(path)), AnalysisFileSchema);
}

export interface AnalysisFileEntry {
  step: number;
  path: string;
}

/** The run's analysis files (step-<n>.json), in step order; none when the folder does not exist. */
export function listAnalysisFiles(runDir: string): AnalysisFileEntry[] {
  const dir = runPaths(runDir).analysis;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const m = FILE_NAME.exec(name);
      return m ? [{ step: Number(m[1]), path: join(dir, name) }] : [];
    })
    .sort((a, b) => a.step - b.step);
}
