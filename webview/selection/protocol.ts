// Messages between the extension host and the "Analyze Selection" webview: a text (or pair) the user
// selected, run through the teacher, the LRC student and its MSE baseline by the trainer.
import { IpcNotification, isObject, isString } from '../shared/protocol';
import { isMapping, isPrediction, isStudentCase as isStudent, optional, probeMessages, type MappingEntry, type PredictionView, type StudentCaseView } from '../cases/protocol';

export interface SelectionAnalysis {
  /** When the host asked the trainer (ISO time): tells analyses apart. */
  at: string;
  runId: string;
  runName: string;
  text: string;
  textPair?: string;
  labelNames: string[];
  teacher: PredictionView;
  lrc?: StudentCaseView;
  mse?: StudentCaseView;
  /** The layer mapping of the students (for the chart's labels), when the host knows it. */
  mapping?: MappingEntry[];
  /** Where the selection came from ("dev.tsv:12"). */
  source?: string;
}


export const isSelectionAnalysis = (v: unknown): v is SelectionAnalysis =>
  isObject(v) && isString(v.at) && isString(v.runId) && isString(v.runName) && isString(v.text) && optional(v.textPair, isString) &&
  Array.isArray(v.labelNames) && v.labelNames.every(isString) && isPrediction(v.teacher) && optional(v.lrc, isStudent) && optional(v.mse, isStudent) &&
  optional(v.mapping, isMapping) && optional(v.source, isString);

/** host -> webview: the trainer is working on this text. */
export const DidStartNotification = new IpcNotification<{ runName: string; text: string; textPair?: string }>('selection/didStart', (v): v is { runName: string; text: string; textPair?: string } =>
  isObject(v) && isString(v.runName) && isString(v.text) && optional(v.textPair, isString));

/** host -> webview: the three models' answer. */
export const DidAnalyzeNotification = new IpcNotification<SelectionAnalysis>('selection/didAnalyze', isSelectionAnalysis);

/** host -> webview: the trainer could not analyse the text. */
export const DidFailNotification = new IpcNotification<{ message: string }>('selection/didFail', (v): v is { message: string } => isObject(v) && isString(v.message));

export const SelectionProbe = probeMessages('selection');

/** Kept across reloads: the latest analyses, newest first. */
export interface SelectionState {
  history: SelectionAnalysis[];
}

export const MAX_HISTORY = 10;

export const isSelectionState = (v: unknown): v is SelectionState => isObject(v) && Array.isArray(v.history) && v.history.every(isSelectionAnalysis);
