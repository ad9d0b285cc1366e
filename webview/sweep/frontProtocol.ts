// The front part of the sweep panel's messages (protocol.ts includes it in SweepView): per task, the
// cells' scores against their serving cost, the Pareto front and the recommended cell, as the report's
// front (trainer/sweep/report/frontTypes.ts) says them, with NaN as null. Latencies in ms at batch 1
// (the median of each run's timed passes), speed-ups over the task's teacher.
import { isFiniteNumber, isObject, isString } from '../shared/protocol';
import type { Num, SummaryView } from './protocol';

export interface FrontSeedView {
  seed: number;
  runId: string;
  status: string;
  score: Num;
  latencyMs: Num;
  p95Ms: Num;
  speedUp: Num;
  /** Whether nothing else of ours ran beside the measurement; null unmeasured. */
  quiet: boolean | null;
}

export interface FrontCellView {
  /** The levels of the axes that make the cell (not the task's, not the seed's). */
  cell: Record<string, string>;
  /** "4x312 · LRC" */
  label: string;
  seeds: FrontSeedView[];
  score: SummaryView;
  latencyMs: SummaryView;
  p95Ms: SummaryView;
  examplesPerSecond: SummaryView;
  speedUp: SummaryView;
  parameters: Num;
  sizeF32Bytes: Num;
  sizeF16Bytes: Num;
  onFront: boolean;
  recommended: boolean;
  notes: string[];
}

export interface FrontTeacherView {
  runId: string;
  score: Num;
  latencyMs: Num;
  p95Ms: Num;
  parameters: Num;
}

export interface TaskFrontView {
  /** The task level ("" without a task axis). */
  task: string;
  primary: string | null;
  cellAxes: string[];
  /** The axis of student shapes among cellAxes, null without one. */
  shapeAxis: string | null;
  cells: FrontCellView[];
  teacher: FrontTeacherView | null;
  /** Indexes into cells, by increasing mean latency. */
  front: number[];
  /** Index into cells, or null. */
  recommended: number | null;
  /** Why that cell, one sentence. */
  reason: string;
  fallback: boolean;
  quiet: boolean;
  oneSession: boolean;
  /** Whether any cell has a measured latency (else the chart says how to measure). */
  measured: boolean;
  notes: string[];
}

export interface FrontView {
  /** The rule as the user wrote it (e.g. "fastest-within:1"). */
  rule: string;
  tasks: TaskFrontView[];
}

const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
const isNum = (v: unknown): v is Num => v === null || isFiniteNumber(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isArrayOf = <T>(v: unknown, check: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(check);
const isStringRecord = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);
const nums = (v: Record<string, unknown>, keys: string[]) => keys.every((k) => isNum(v[k]));

const isSummary = (v: unknown): v is SummaryView => isObject(v) && isFiniteNumber(v.n) && isNum(v.mean) && isNum(v.sd);

const isSeed = (v: unknown): v is FrontSeedView =>
  isObject(v) && isFiniteNumber(v.seed) && isString(v.runId) && isString(v.status) && nums(v, ['score', 'latencyMs', 'p95Ms', 'speedUp']) &&
  (v.quiet === null || isBool(v.quiet));

const isCell = (v: unknown): v is FrontCellView =>
  isObject(v) && isStringRecord(v.cell) && isString(v.label) && isArrayOf(v.seeds, isSeed) &&
  ['score', 'latencyMs', 'p95Ms', 'examplesPerSecond', 'speedUp'].every((k) => isSummary(v[k])) &&
  nums(v, ['parameters', 'sizeF32Bytes', 'sizeF16Bytes']) && isBool(v.onFront) && isBool(v.recommended) && isArrayOf(v.notes, isString);

const isTeacher = (v: unknown): v is FrontTeacherView => isObject(v) && isString(v.runId) && nums(v, ['score', 'latencyMs', 'p95Ms', 'parameters']);

const isIndexOf = (cells: unknown[]) => (i: unknown): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < cells.length;

const isTask = (v: unknown): v is TaskFrontView =>
  isObject(v) && isString(v.task) && (v.primary === null || isString(v.primary)) && isArrayOf(v.cellAxes, isString) && (v.shapeAxis === null || isString(v.shapeAxis)) && isArrayOf(v.cells, isCell) &&
  (v.teacher === null || isTeacher(v.teacher)) && isArrayOf(v.front, isIndexOf(v.cells)) && (v.recommended === null || isIndexOf(v.cells)(v.recommended)) &&
  isString(v.reason) && ['fallback', 'quiet', 'oneSession', 'measured'].every((k) => isBool(v[k])) && isArrayOf(v.notes, isString);

export const isFrontView = (v: unknown): v is FrontView => isObject(v) && isString(v.rule) && isArrayOf(v.tasks, isTask);

/** For SweepView's optional `front`. */
export const isOptionalFrontView = (v: unknown): boolean => optional(v, isFrontView);
