// Messages between the extension host and the run dashboard webview. Both sides check what they
// receive with the guards below (`X.is(msg)`): a message that does not fit is dropped, never half-used.
import { IpcNotification, isFiniteNumber, isObject, isString } from '../shared/protocol';

// ---- the trainer (the dashboard without a run) -------------------------------------------------

export interface TrainerInfo {
  /** 'not started', 'starting', 'ready' or 'failed'. */
  status: string;
  backend?: string;
  device?: string;
  detail?: string;
}

const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);

const isTrainerInfo = (v: unknown): v is TrainerInfo =>
  isObject(v) && isString(v.status) && ['backend', 'device', 'detail'].every((k) => optional(v[k], isString));

/** host -> webview: the trainer process and its backend. */
export const DidChangeTrainerNotification = new IpcNotification<TrainerInfo>('dashboard/didChangeTrainer', isTrainerInfo);

/** webview -> host: the user asks to start (or ask) the trainer. */
export const StartTrainerNotification = new IpcNotification<Record<string, never>>(
  'dashboard/startTrainer',
  (v): v is Record<string, never> => isObject(v),
);

/** One line of the overview's list of runs. */
export interface RunSummary {
  id: string;
  name: string;
  kind: string;
  status: string;
  step: number;
  totalSteps: number;
  best?: string;
}

const isRunSummary = (v: unknown): v is RunSummary =>
  isObject(v) && ['id', 'name', 'kind', 'status'].every((k) => isString(v[k])) && isFiniteNumber(v.step) && isFiniteNumber(v.totalSteps) && optional(v.best, isString);

/** host -> webview (overview): the runs of the workspace, newest first. */
export const DidChangeRunsNotification = new IpcNotification<{ runs: RunSummary[] }>(
  'dashboard/didChangeRuns',
  (v): v is { runs: RunSummary[] } => isObject(v) && Array.isArray(v.runs) && v.runs.every(isRunSummary),
);

// ---- a run -------------------------------------------------------------------------------------

export interface StageWeightsView {
  alpha: number;
  beta: number;
  gamma: number;
}

/** What the dashboard shows of a run's record and config. */
export interface RunView {
  id: string;
  name: string;
  kind: string;
  status: string;
  preset?: string;
  step: number;
  totalSteps: number;
  stage: number;
  /** lrc / mse runs: the planned share of steps in stage 1, and the weights of each stage. */
  split?: number;
  stage1?: StageWeightsView;
  stage2?: StageWeightsView;
  temperature?: number;
  epsilon?: number;
  best?: { metric: string; value: number; step: number };
  backend?: string;
  device?: string;
  /** The better backends the run's trainer tried and why it did not use them ("name: reason; ..."). */
  rejected?: string;
  /** 'extension': a trainer of this window runs it; 'other': another process (the CLI); 'none': not live. */
  owner: 'extension' | 'other' | 'none';
  pid?: number;
  error?: string;
  pairedRunId?: string;
}

export interface LossTermsView {
  total: number;
  mid?: number;
  soft?: number;
  hard?: number;
  /** Masked-language-model loss (pre-training runs). */
  mlm?: number;
}

export interface WeightsView extends StageWeightsView {
  temperature: number;
  epsilon: number;
}

/** One record of the run's metrics, as the charts need it. */
export type MetricPoint =
  | {
      type: 'progress';
      step: number;
      stage: number;
      clean: LossTermsView;
      perturbed?: LossTermsView;
      learningRate: number;
      examplesPerSecond: number;
      gradNorm: number;
      weights?: WeightsView;
    }
  | { type: 'eval'; step: number; metrics: Record<string, number>; primary: string; score: number; best: boolean }
  | { type: 'mark'; step: number; level: 'info' | 'warn' | 'error'; text: string };

const isWeights = (v: unknown): v is StageWeightsView => isObject(v) && ['alpha', 'beta', 'gamma'].every((k) => isFiniteNumber(v[k]));
const isWeightsView = (v: unknown): v is WeightsView => isObject(v) && isWeights(v) && isFiniteNumber(v.temperature) && isFiniteNumber(v.epsilon);

const isLossTerms = (v: unknown): v is LossTermsView =>
  isObject(v) && isFiniteNumber(v.total) && ['mid', 'soft', 'hard', 'mlm'].every((k) => optional(v[k], isFiniteNumber));

const isNumberRecord = (v: unknown): v is Record<string, number> => isObject(v) && Object.values(v).every(isFiniteNumber);

export function isMetricPoint(v: unknown): v is MetricPoint {
  if (!isObject(v) || !isFiniteNumber(v.step)) return false;
  switch (v.type) {
    case 'progress':
      return isFiniteNumber(v.stage) && isLossTerms(v.clean) && optional(v.perturbed, isLossTerms) && isFiniteNumber(v.learningRate) &&
        isFiniteNumber(v.examplesPerSecond) && isFiniteNumber(v.gradNorm) && optional(v.weights, isWeightsView);
    case 'eval':
      return isNumberRecord(v.metrics) && isString(v.primary) && isFiniteNumber(v.score) && typeof v.best === 'boolean';
    case 'mark':
      return (v.level === 'info' || v.level === 'warn' || v.level === 'error') && isString(v.text);
    default:
      return false;
  }
}

export function isRunView(v: unknown): v is RunView {
  return (
    isObject(v) && isString(v.id) && isString(v.name) && isString(v.kind) && isString(v.status) &&
    isFiniteNumber(v.step) && isFiniteNumber(v.totalSteps) && isFiniteNumber(v.stage) &&
    (v.owner === 'extension' || v.owner === 'other' || v.owner === 'none') &&
    optional(v.split, isFiniteNumber) && optional(v.stage1, isWeights) && optional(v.stage2, isWeights) &&
    optional(v.temperature, isFiniteNumber) && optional(v.epsilon, isFiniteNumber) && optional(v.pid, isFiniteNumber) &&
    ['preset', 'backend', 'device', 'rejected', 'error', 'pairedRunId'].every((k) => optional(v[k], isString)) &&
    optional(v.best, (b) => isObject(b) && isString(b.metric) && isFiniteNumber(b.value) && isFiniteNumber(b.step))
  );
}

/** host -> webview: a run's state and its whole history so far (on open, and after a reset). */
export const DidLoadRunNotification = new IpcNotification<{ run: RunView; points: MetricPoint[] }>(
  'dashboard/didLoadRun',
  (v): v is { run: RunView; points: MetricPoint[] } => isObject(v) && isRunView(v.run) && Array.isArray(v.points) && v.points.every(isMetricPoint),
);

/** host -> webview: records appended to the run's metrics since the last message. */
export const DidAppendPointsNotification = new IpcNotification<{ runId: string; points: MetricPoint[] }>(
  'dashboard/didAppendPoints',
  (v): v is { runId: string; points: MetricPoint[] } => isObject(v) && isString(v.runId) && Array.isArray(v.points) && v.points.every(isMetricPoint),
);

/** host -> webview: the run's record changed (status, step, best, owner). */
export const DidChangeRunNotification = new IpcNotification<{ run: RunView }>(
  'dashboard/didChangeRun',
  (v): v is { run: RunView } => isObject(v) && isRunView(v.run),
);

/** host -> webview: the outcome of a control request. */
export const DidControlNotification = new IpcNotification<{ ok: boolean; message: string }>(
  'dashboard/didControl',
  (v): v is { ok: boolean; message: string } => isObject(v) && typeof v.ok === 'boolean' && isString(v.message),
);

// ---- stage controls ------------------------------------------------------------------------------

/** The weights the dashboard may change on a running trainer, and their bounds. */
export const WEIGHT_FIELDS = ['alpha', 'beta', 'gamma', 'temperature', 'epsilon'] as const;
export type WeightField = (typeof WEIGHT_FIELDS)[number];

/** alpha, beta, gamma and epsilon >= 0, temperature > 0, all finite (the trainer's schema says the same). */
export function weightProblem(field: WeightField, value: number): string | undefined {
  if (!Number.isFinite(value)) return `${field} must be a number`;
  if (field === 'temperature' ? value <= 0 : value < 0) return `${field} must be ${field === 'temperature' ? '> 0' : '>= 0'}, got ${value}`;
  if (value > 1e6) return `${field} ${value} is too large`;
  return undefined;
}

export type DashboardAction =
  | { type: 'pause' | 'resume' | 'stop' | 'nextStage' | 'evaluate' | 'startOrResume' }
  | ({ type: 'setWeights' } & Partial<Record<WeightField, number>>);

const SIMPLE_ACTIONS = ['pause', 'resume', 'stop', 'nextStage', 'evaluate', 'startOrResume'];

export function isDashboardAction(v: unknown): v is DashboardAction {
  if (!isObject(v) || !isString(v.type)) return false;
  if (SIMPLE_ACTIONS.includes(v.type)) return Object.keys(v).length === 1;
  if (v.type !== 'setWeights') return false;
  const keys = Object.keys(v).filter((k) => k !== 'type');
  return keys.length > 0 && keys.every((k) => (WEIGHT_FIELDS as readonly string[]).includes(k) && isFiniteNumber(v[k]) && !weightProblem(k as WeightField, v[k] as number));
}

/** webview -> host: a control for the run the dashboard shows. */
export const ControlNotification = new IpcNotification<{ runId: string; action: DashboardAction }>(
  'dashboard/control',
  (v): v is { runId: string; action: DashboardAction } => isObject(v) && isString(v.runId) && isDashboardAction(v.action),
);

/** webview -> host: open the dashboard of another run (the paired baseline). */
export const OpenRunNotification = new IpcNotification<{ runId: string }>(
  'dashboard/openRun',
  (v): v is { runId: string } => isObject(v) && isString(v.runId),
);

/** State kept by the webview across reloads (vscode.getState / panel serializer). */
export interface DashboardState {
  runId?: string;
}

export const isDashboardState = (v: unknown): v is DashboardState => isObject(v) && optional(v.runId, isString);
