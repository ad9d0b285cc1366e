// Messages between the extension host and the sweep panel. The host sends the whole sweep (its runs'
// states and the report's tables) on load and again whenever it changes; the page sends the user's
// actions. Numbers that have no value (a seed that did not finish, an sd of one value) are null, never
// NaN. Both sides check what they receive with the guards below.
import { IpcNotification, isFiniteNumber, isObject, isString } from '../shared/protocol';
import { isOptionalFrontView, type FrontView } from './frontProtocol';

export type { FrontCellView, FrontSeedView, FrontTeacherView, FrontView, TaskFrontView } from './frontProtocol';

export const SWEEP_STATES = ['finished', 'running', 'pending', 'waiting', 'failed'] as const;
export type SweepStateName = (typeof SWEEP_STATES)[number];

/** A number of the report, or null for none. */
export type Num = number | null;

/** One teacher or run of the sweep and where it stands. */
export interface SweepMemberView {
  runId: string;
  name: string;
  role: 'teacher' | 'general' | 'run';
  /** "task A, method LRC" */
  cellText: string;
  seed?: number;
  kind: string;
  state: SweepStateName;
  /** A few words: "accuracy 0.9583", "step 12/36", "pending (Priority)", "stopped at step 10/36: ...". */
  detail: string;
  /** The run folder's status, once it exists. */
  status?: string;
  step?: number;
  totalSteps?: number;
  /** From the report's runs table, once known. */
  details?: MemberDetailsView;
}

export interface MemberDetailsView {
  /** The exported model's primary metric, and 100 x it over its teacher's. */
  value: Num;
  keptOfTeacher: Num;
  /** The step of the evaluation the exported model is from, and whether it was in stage 1. */
  bestStep?: number;
  bestInStage1?: boolean;
  trainSeconds?: number;
  parameters?: number;
}

export interface SummaryView {
  n: number;
  mean: Num;
  sd: Num;
}

export interface SeedValueView {
  seed: number;
  runId: string;
  status: string;
  /** The exported model's primary metric (null unless the run finished with a value). */
  value: Num;
  last: Num;
}

export interface CellView {
  /** Axis -> level, in axis order. */
  cell: Record<string, string>;
  primary: string | null;
  runs: number;
  finished: number;
  seeds: SeedValueView[];
  missingSeeds: number[];
  value: SummaryView;
  last: SummaryView;
  teacherRunId: string | null;
  teacherValue: Num;
  /** Percent of the teacher's value. */
  keptOfTeacher: Num;
  /** 100 x (teacher - mean), points. */
  teacherLead: Num;
  notes: string[];
}

export interface PairedSeedView {
  seed: number;
  a: Num;
  b: Num;
  /** 100 x (a - b), points; null when the seed is dropped. */
  difference: Num;
  /** The same at the last evaluation of each run. */
  lastDifference: Num;
  dropped: string | null;
}

export interface ComparisonGroupView {
  /** The other axes' levels. */
  cell: Record<string, string>;
  primary: string | null;
  seeds: PairedSeedView[];
  a: SummaryView;
  b: SummaryView;
  /** Over the seeds that count, in points; its n is the n of "a ahead on k of n". */
  difference: SummaryView;
  lastDifference: SummaryView;
  aAhead: number;
  bAhead: number;
  ties: number;
  /** Exact two-sided sign test; null when no seed differs. */
  p: Num;
}

export interface ComparisonView {
  name: string;
  axis: string;
  a: string;
  b: string;
  otherAxes: string[];
  groups: ComparisonGroupView[];
}

export interface SweepView {
  id: string;
  name: string;
  executor: 'local' | 'slurm';
  /** The sweep file it was made from, and the sweep folder. */
  file: string;
  dir: string;
  createdAt: string;
  cancelledAt?: string;
  workers?: number;
  /** Runs are running or queued in a live pool or scheduler: Cancel applies. */
  live: boolean;
  /** Every teacher and run finished. */
  done: boolean;
  counts: Record<SweepStateName, number>;
  /** Slurm: when the scheduler last answered, or why it could not. */
  scheduler?: string;
  members: SweepMemberView[];
  axes: { name: string; levels: string[] }[];
  cells: CellView[];
  comparisons: ComparisonView[];
  notes: string[];
  /** Score against serving cost per task (frontProtocol.ts); absent when the report has no front. */
  front?: FrontView;
}

const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
const isNum = (v: unknown): v is Num => v === null || isFiniteNumber(v);
const isStringRecord = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);
const isArrayOf = <T>(v: unknown, check: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(check);
const isNullableString = (v: unknown): v is string | null => v === null || isString(v);
const isState = (v: unknown): v is SweepStateName => (SWEEP_STATES as readonly unknown[]).includes(v);

const isDetails = (v: unknown): v is MemberDetailsView =>
  isObject(v) && isNum(v.value) && isNum(v.keptOfTeacher) && ['bestStep', 'trainSeconds', 'parameters'].every((k) => optional(v[k], isFiniteNumber)) &&
  optional(v.bestInStage1, (x) => typeof x === 'boolean');

const isMember = (v: unknown): v is SweepMemberView =>
  isObject(v) && ['runId', 'name', 'cellText', 'kind', 'detail'].every((k) => isString(v[k])) && (v.role === 'teacher' || v.role === 'general' || v.role === 'run') &&
  isState(v.state) && optional(v.seed, isFiniteNumber) && optional(v.status, isString) && optional(v.step, isFiniteNumber) && optional(v.totalSteps, isFiniteNumber) &&
  optional(v.details, isDetails);

const isSummary = (v: unknown): v is SummaryView => isObject(v) && isFiniteNumber(v.n) && isNum(v.mean) && isNum(v.sd);

const isSeedValue = (v: unknown): v is SeedValueView =>
  isObject(v) && isFiniteNumber(v.seed) && isString(v.runId) && isString(v.status) && isNum(v.value) && isNum(v.last);

const isCell = (v: unknown): v is CellView =>
  isObject(v) && isStringRecord(v.cell) && isNullableString(v.primary) && isFiniteNumber(v.runs) && isFiniteNumber(v.finished) &&
  isArrayOf(v.seeds, isSeedValue) && isArrayOf(v.missingSeeds, isFiniteNumber) && isSummary(v.value) && isSummary(v.last) &&
  isNullableString(v.teacherRunId) && isNum(v.teacherValue) && isNum(v.keptOfTeacher) && isNum(v.teacherLead) && isArrayOf(v.notes, isString);

const isPairedSeed = (v: unknown): v is PairedSeedView =>
  isObject(v) && isFiniteNumber(v.seed) && isNum(v.a) && isNum(v.b) && isNum(v.difference) && isNum(v.lastDifference) && isNullableString(v.dropped);

const isGroup = (v: unknown): v is ComparisonGroupView =>
  isObject(v) && isStringRecord(v.cell) && isNullableString(v.primary) && isArrayOf(v.seeds, isPairedSeed) && isSummary(v.a) && isSummary(v.b) &&
  isSummary(v.difference) && isSummary(v.lastDifference) && isFiniteNumber(v.aAhead) && isFiniteNumber(v.bAhead) && isFiniteNumber(v.ties) && isNum(v.p);

const isComparison = (v: unknown): v is ComparisonView =>
  isObject(v) && ['name', 'axis', 'a', 'b'].every((k) => isString(v[k])) && isArrayOf(v.otherAxes, isString) && isArrayOf(v.groups, isGroup);

const isAxis = (v: unknown): v is { name: string; levels: string[] } => isObject(v) && isString(v.name) && isArrayOf(v.levels, isString);

export function isSweepView(v: unknown): v is SweepView {
  return (
    isObject(v) && ['id', 'name', 'file', 'dir', 'createdAt'].every((k) => isString(v[k])) && (v.executor === 'local' || v.executor === 'slurm') &&
    optional(v.cancelledAt, isString) && optional(v.workers, isFiniteNumber) && typeof v.live === 'boolean' && typeof v.done === 'boolean' &&
    isObject(v.counts) && SWEEP_STATES.every((s) => isFiniteNumber((v.counts as Record<string, unknown>)[s])) && optional(v.scheduler, isString) &&
    isArrayOf(v.members, isMember) && isArrayOf(v.axes, isAxis) && isArrayOf(v.cells, isCell) && isArrayOf(v.comparisons, isComparison) &&
    isArrayOf(v.notes, isString) && isOptionalFrontView(v.front)
  );
}

/** host -> webview: the whole sweep, on load. */
export const DidLoadSweepNotification = new IpcNotification<{ sweep: SweepView }>(
  'sweep/didLoad',
  (v): v is { sweep: SweepView } => isObject(v) && isSweepView(v.sweep),
);

/** host -> webview: the sweep changed (a run's state, a new evaluation, a cancel). */
export const DidChangeSweepNotification = new IpcNotification<{ sweep: SweepView }>(
  'sweep/didChange',
  (v): v is { sweep: SweepView } => isObject(v) && isSweepView(v.sweep),
);

/** host -> webview: how an action went. */
export const DidActionNotification = new IpcNotification<{ ok: boolean; message: string }>(
  'sweep/didAction',
  (v): v is { ok: boolean; message: string } => isObject(v) && typeof v.ok === 'boolean' && isString(v.message),
);

export type SweepAction =
  | { type: 'cancel' | 'resume' | 'openReport' | 'openFile' | 'showOutput' }
  | { type: 'openRun'; runId: string }
  /** Export the recommended student of a task (its level; "" without a task axis). */
  | { type: 'exportRecommended'; task: string };

const SIMPLE = ['cancel', 'resume', 'openReport', 'openFile', 'showOutput'];

export function isSweepAction(v: unknown): v is SweepAction {
  if (!isObject(v) || !isString(v.type)) return false;
  if (SIMPLE.includes(v.type)) return Object.keys(v).length === 1;
  if (v.type === 'exportRecommended') return isString(v.task) && Object.keys(v).length === 2;
  return v.type === 'openRun' && isString(v.runId) && Object.keys(v).length === 2;
}

/** webview -> host: a button of the page. */
export const SweepActionNotification = new IpcNotification<{ sweepId: string; action: SweepAction }>(
  'sweep/action',
  (v): v is { sweepId: string; action: SweepAction } => isObject(v) && isString(v.sweepId) && isSweepAction(v.action),
);

/** State kept by the webview across reloads (vscode.getState / panel serializer). */
export interface SweepPanelState {
  sweepId: string;
  /** The x axis of the front charts the user chose (a hidden panel's page is loaded again when shown). */
  frontAxis?: 'latency' | 'speedUp';
}

export const isSweepPanelState = (v: unknown): v is SweepPanelState => isObject(v) && isString(v.sweepId);
