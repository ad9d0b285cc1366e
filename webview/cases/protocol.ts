// Messages between the extension host and the case analysis webview, and the case types the three
// analysis panels share (cases, heatmap, selection). Both sides check what they receive with the guards
// below (`X.is(msg)`): a message that does not fit is dropped, never half-used.
import { IpcNotification, isFiniteNumber, isObject, isString } from '../shared/protocol';

// ---- values shared by the analysis panels ------------------------------------------------------

/** A computed value; null when the model gave no finite number (a diverged model). */
export type Num = number | null;
export type StudentRole = 'lrc' | 'mse';
export const STUDENT_ROLES: readonly StudentRole[] = ['lrc', 'mse'];

export interface MappingEntry {
  /** Student layer 1..M. */
  student: number;
  /** Teacher layer 0..N. */
  teacher: number;
}

export interface PredictionView {
  /** Class id, or the score of a regression task. */
  prediction: Num;
  probabilities?: Num[];
}

export interface StudentCaseView extends PredictionView {
  /** Per mapped layer (in mapping order): angular distance and MSE to the teacher. */
  angular: Num[];
  mse: Num[];
}

/** One evaluation example with the three models' outputs (a case record of the analysis file). */
export interface CaseView {
  id: string;
  text: string;
  textPair?: string;
  label: number;
  teacher: PredictionView;
  lrc?: StudentCaseView;
  mse?: StudentCaseView;
}

export const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
export const isNum = (v: unknown): v is Num => v === null || isFiniteNumber(v);
export const isNumArray = (v: unknown): v is Num[] => Array.isArray(v) && v.every(isNum);
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => isFiniteNumber(v) && Number.isInteger(v) && v >= 0;

export const isMappingEntry = (v: unknown): v is MappingEntry => isObject(v) && isCount(v.student) && isCount(v.teacher);
export const isMapping = (v: unknown): v is MappingEntry[] => Array.isArray(v) && v.every(isMappingEntry);

export const isPrediction = (v: unknown): v is PredictionView => isObject(v) && isNum(v.prediction) && optional(v.probabilities, isNumArray);
export const isStudentCase = (v: unknown): v is StudentCaseView => isObject(v) && isNumArray(v.angular) && isNumArray(v.mse) && isPrediction(v);

export const isCaseView = (v: unknown): v is CaseView =>
  isObject(v) && isString(v.id) && isString(v.text) && optional(v.textPair, isString) && isFiniteNumber(v.label) &&
  isPrediction(v.teacher) && optional(v.lrc, isStudentCase) && optional(v.mse, isStudentCase);

// ---- test probe (every analysis panel) -----------------------------------------------------------

/** What a probe does on the page before it reports: a click, or a value typed into a control. */
export type ProbeAction = { type: 'click'; selector: string } | { type: 'input'; selector: string; value: string };

export interface ProbeRequest {
  id: number;
  actions: ProbeAction[];
}

export interface ProbeResult {
  id: number;
  /** False when an action failed (its selector matched nothing); `error` says why. */
  ok: boolean;
  error?: string;
  /** The page's visible text after the actions. */
  text: string;
  /** What the panel shows, as data (panel-specific). */
  snapshot: Record<string, unknown>;
}

const isProbeAction = (v: unknown): v is ProbeAction =>
  isObject(v) && isString(v.selector) && (v.type === 'click' || (v.type === 'input' && isString(v.value)));

/**
 * A probe lets the vscode-tier tests read what a page shows and act on its controls the way a click or
 * an edit would (the page runs in an iframe the extension host cannot reach). It acts only on elements
 * of the page that asked nothing else of it.
 */
export function probeMessages(panel: string) {
  return {
    request: new IpcNotification<ProbeRequest>(`${panel}/probe`, (v): v is ProbeRequest => isObject(v) && isCount(v.id) && Array.isArray(v.actions) && v.actions.every(isProbeAction)),
    result: new IpcNotification<ProbeResult>(`${panel}/didProbe`, (v): v is ProbeResult =>
      isObject(v) && isCount(v.id) && typeof v.ok === 'boolean' && optional(v.error, isString) && isString(v.text) && isObject(v.snapshot)),
  };
}

// ---- the case analysis panel ---------------------------------------------------------------------

/** One analysis file of the run, as the file picker lists it. */
export interface AnalysisFileChoice {
  /** The run whose analysis folder holds the file (the LRC run or its baseline). */
  runId: string;
  step: number;
  /** The students the file holds: both after the paired analysis. */
  students: StudentRole[];
}

export interface CasesFileView {
  /** The run whose analysis folder holds the file, and its name. */
  runId: string;
  runName: string;
  step: number;
  stage: number;
  createdAt: string;
  kind: 'classification' | 'regression';
  labelNames: string[];
  /** Examples of the evaluation set (the grids); `cases` may hold fewer when they were capped. */
  examples: number;
  mapping: { lrc?: MappingEntry[]; mse?: MappingEntry[] };
  cases: CaseView[];
}

const isStudentList = (v: unknown): v is StudentRole[] => Array.isArray(v) && v.every((r) => r === 'lrc' || r === 'mse');
export const isFileChoice = (v: unknown): v is AnalysisFileChoice => isObject(v) && isString(v.runId) && isCount(v.step) && isStudentList(v.students);

export const isCasesFileView = (v: unknown): v is CasesFileView =>
  isObject(v) && isString(v.runId) && isString(v.runName) && isCount(v.step) && isCount(v.stage) && isString(v.createdAt) &&
  (v.kind === 'classification' || v.kind === 'regression') && isStringArray(v.labelNames) && isCount(v.examples) &&
  isObject(v.mapping) && optional(v.mapping.lrc, isMapping) && optional(v.mapping.mse, isMapping) &&
  Array.isArray(v.cases) && v.cases.every(isCaseView);

export interface CasesLoad {
  /** The run the panel was opened on. */
  runId: string;
  file: CasesFileView;
  files: AnalysisFileChoice[];
  /** Select this case (from a CodeLens in a data file). */
  focusCaseId?: string;
}

/** host -> webview: the cases of one analysis file, and the run's other files. */
export const DidLoadCasesNotification = new IpcNotification<CasesLoad>('cases/didLoad', (v): v is CasesLoad =>
  isObject(v) && isString(v.runId) && isCasesFileView(v.file) && Array.isArray(v.files) && v.files.every(isFileChoice) && optional(v.focusCaseId, isString));

/** host -> webview: the run's list of analysis files changed (a running run evaluated). */
export const DidChangeFilesNotification = new IpcNotification<{ runId: string; files: AnalysisFileChoice[] }>('cases/didChangeFiles', (v): v is { runId: string; files: AnalysisFileChoice[] } =>
  isObject(v) && isString(v.runId) && Array.isArray(v.files) && v.files.every(isFileChoice));

/** host -> webview: select a case of the file shown. */
export const DidFocusCaseNotification = new IpcNotification<{ caseId: string }>('cases/didFocusCase', (v): v is { caseId: string } => isObject(v) && isString(v.caseId));

/** host -> webview: something went wrong (no analysis yet, a broken file). */
export const DidFailNotification = new IpcNotification<{ message: string }>('cases/didFail', (v): v is { message: string } => isObject(v) && isString(v.message));

/** webview -> host: show another analysis file (of the run or of its pair: `fileRunId`). */
export const SelectFileNotification = new IpcNotification<{ runId: string; fileRunId: string; step: number }>('cases/selectFile', (v): v is { runId: string; fileRunId: string; step: number } =>
  isObject(v) && isString(v.runId) && isString(v.fileRunId) && isCount(v.step));

export const CasesProbe = probeMessages('cases');

// ---- state kept across reloads -------------------------------------------------------------------

export const CASE_FILTERS = ['all', 'lrcRightMseWrong', 'mseWrongSmallMse', 'bothWrong', 'teacherDisagree'] as const;
export type CaseFilter = (typeof CASE_FILTERS)[number];

export const SORT_KEYS = ['id', 'text', 'gold', 'teacher', 'lrc', 'mse', 'lrcAngular', 'lrcMse', 'mseAngular', 'mseMse'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export const PAGE_SIZES = [25, 50, 100, 250] as const;

export interface CasesState {
  runId: string;
  /** The run folder, so that a run outside the runs folder comes back after a reload too. */
  runDir?: string;
  /** The analysis file shown (its run and step); undefined: the default one. */
  file?: { runId: string; step: number };
  filter: CaseFilter;
  sort: { key: SortKey; direction: SortDirection };
  search: string;
  page: number;
  pageSize: number;
  selectedId?: string;
}

export const isCasesState = (v: unknown): v is CasesState =>
  isObject(v) && isString(v.runId) && optional(v.runDir, isString) && optional(v.file, (f) => isObject(f) && isString(f.runId) && isCount(f.step)) && (CASE_FILTERS as readonly unknown[]).includes(v.filter) &&
  isObject(v.sort) && (SORT_KEYS as readonly unknown[]).includes(v.sort.key) && (v.sort.direction === 'asc' || v.sort.direction === 'desc') &&
  isString(v.search) && isCount(v.page) && isCount(v.pageSize) && v.pageSize > 0 && optional(v.selectedId, isString);
