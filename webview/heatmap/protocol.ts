// Messages between the extension host and the layer heatmap webview. The host reads the run's analysis
// files and sends the grids of each step (never the case records); the page draws them. Both sides check
// what they receive with the guards below.
import { IpcNotification, isFiniteNumber, isObject, isString } from '../shared/protocol';
import { isMapping, isNumArray, optional, probeMessages, type MappingEntry, type Num, type StudentRole } from '../cases/protocol';

/** What a grid row (student layer) is compared through: its projection W, the identity (same width), or nothing. */
export type RowKind = 'projected' | 'identity' | 'none';

/** One student's grids at one step: rows student layers 0..M, columns teacher layers 0..N. */
export interface GridSideView {
  role: StudentRole;
  /** The run whose analysis file holds this grid, and that file's step. */
  runId: string;
  sourceStep: number;
  /** Student layers M (the grid has M + 1 rows). */
  layers: number;
  mapping: MappingEntry[];
  rows: RowKind[];
  /** Mean angular distance (0..2) and mean MSE; a row without projection is all null. */
  angular: Num[][];
  mse: Num[][];
  /** Evaluation examples the means are over. */
  examples: number;
}

export interface HeatmapStepView {
  step: number;
  stage: number;
  /** Teacher layers N (the grids have N + 1 columns). */
  teacherLayers: number;
  sides: { lrc?: GridSideView; mse?: GridSideView };
}

export interface HeatmapRunView {
  runId: string;
  runName: string;
  kind: string;
  status: string;
  /** The paired run (the MSE baseline of an LRC run, or the LRC run of a baseline). */
  pair?: { runId: string; runName: string };
  /** Every step with an analysis file in either run, ascending. */
  steps: number[];
}

export type GridKind = 'angular' | 'mse';

const isCount = (v: unknown): v is number => isFiniteNumber(v) && Number.isInteger(v) && v >= 0;
const isGrid = (v: unknown): v is Num[][] => Array.isArray(v) && v.every(isNumArray);
const isRowKind = (v: unknown): v is RowKind => v === 'projected' || v === 'identity' || v === 'none';

export function isGridSide(v: unknown): v is GridSideView {
  if (!isObject(v) || !(v.role === 'lrc' || v.role === 'mse') || !isString(v.runId) || !isCount(v.sourceStep) || !isCount(v.layers)) return false;
  if (!isMapping(v.mapping) || !Array.isArray(v.rows) || !v.rows.every(isRowKind) || !isGrid(v.angular) || !isGrid(v.mse) || !isCount(v.examples)) return false;
  const rows = v.layers + 1;
  return v.rows.length === rows && v.angular.length === rows && v.mse.length === rows;
}

export function isHeatmapStep(v: unknown): v is HeatmapStepView {
  if (!isObject(v) || !isCount(v.step) || !isCount(v.stage) || !isCount(v.teacherLayers) || !isObject(v.sides)) return false;
  const cols = v.teacherLayers + 1;
  const sides = [v.sides.lrc, v.sides.mse].filter((s) => s !== undefined);
  return sides.length > 0 && sides.every((s) => isGridSide(s) && [...s.angular, ...s.mse].every((row) => row.length === cols));
}

export const isHeatmapRun = (v: unknown): v is HeatmapRunView =>
  isObject(v) && isString(v.runId) && isString(v.runName) && isString(v.kind) && isString(v.status) &&
  optional(v.pair, (p) => isObject(p) && isString(p.runId) && isString(p.runName)) && Array.isArray(v.steps) && v.steps.every(isCount);

/** host -> webview: the run, its pair and the steps with analysis files (on open, and when files appear). */
export const DidLoadRunNotification = new IpcNotification<{ run: HeatmapRunView }>('heatmap/didLoadRun', (v): v is { run: HeatmapRunView } => isObject(v) && isHeatmapRun(v.run));

/** host -> webview: the grids of one step. */
export const DidLoadStepNotification = new IpcNotification<{ runId: string; step: HeatmapStepView }>('heatmap/didLoadStep', (v): v is { runId: string; step: HeatmapStepView } =>
  isObject(v) && isString(v.runId) && isHeatmapStep(v.step));

/** host -> webview: something went wrong (no analysis files, a broken file). */
export const DidFailNotification = new IpcNotification<{ message: string }>('heatmap/didFail', (v): v is { message: string } => isObject(v) && isString(v.message));

/** host -> webview: the outcome of an export. */
export const DidSaveNotification = new IpcNotification<{ ok: boolean; message: string }>('heatmap/didSave', (v): v is { ok: boolean; message: string } =>
  isObject(v) && typeof v.ok === 'boolean' && isString(v.message));

/** webview -> host: send the grids of this step first. */
export const RequestStepNotification = new IpcNotification<{ runId: string; step: number }>('heatmap/requestStep', (v): v is { runId: string; step: number } =>
  isObject(v) && isString(v.runId) && isCount(v.step));

export type SaveFormat = 'png' | 'csv';
export interface SaveRequest {
  runId: string;
  format: SaveFormat;
  /** The suggested file name. */
  name: string;
  /** png: a data URL (canvas.toDataURL); csv: the text. */
  data: string;
}

const PNG_PREFIX = 'data:image/png;base64,';
/** A PNG data URL of at most 20 MB, or CSV text of at most 20 MB. */
export function isSaveRequest(v: unknown): v is SaveRequest {
  if (!isObject(v) || !isString(v.runId) || !isString(v.name) || !/^[\w.() -]+\.(png|csv)$/.test(v.name) || !isString(v.data) || v.data.length > 20e6) return false;
  if (v.format === 'png') return v.data.startsWith(PNG_PREFIX) && v.name.endsWith('.png');
  return v.format === 'csv' && v.name.endsWith('.csv');
}

/** webview -> host: save the figure (PNG) or the grids (CSV) to a file the user picks. */
export const SaveFileNotification = new IpcNotification<SaveRequest>('heatmap/save', isSaveRequest);

export const HeatmapProbe = probeMessages('heatmap');

/** State kept across reloads (vscode.getState / panel serializer). */
export interface HeatmapState {
  runId: string;
  /** The run folder, so that a run outside the runs folder comes back after a reload too. */
  runDir?: string;
  /** The step shown; undefined: follow the latest. */
  step?: number;
  kind: GridKind;
}

export const isHeatmapState = (v: unknown): v is HeatmapState =>
  isObject(v) && isString(v.runId) && optional(v.runDir, isString) && optional(v.step, isCount) && (v.kind === 'angular' || v.kind === 'mse');
