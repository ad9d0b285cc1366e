// The analysis commands: open the layer heatmap or the case analysis of a run, analyse the selected
// text with the three models, compute the paired analysis of a finished LRC run and its baseline now.
// Each returns plain data (what it opened or computed), which the tests read.
import * as vscode from 'vscode';
import type { SelectionAnalysis } from '../../webview/selection/protocol';
import type { ProbeAction } from '../../webview/cases/protocol';
import { chooseRun } from '../commands/pickRun';
import type { RunRef } from '../runs/runRef';
import type { AnalysisDeps } from './analysisPanel';
import { listStepFiles } from './analysisReader';
import { isAnalysisRun, pairOf, runsByRole } from './analysisRuns';
import { shortRunId } from '../../trainer/runs/runStore';
import type { AnalysisTrainer } from './analysisTrainer';
import { CasesPanel, type CaseFocus } from './casesPanel';
import type { CaseLensProvider } from './caseLens';
import { lineFields, textMatches } from './dataFileMatch';
import { HeaderCache } from './heatmapData';
import { HeatmapPanel } from './heatmapPanel';
import { SelectionPanel } from './selectionPanel';

export interface AnalysisContext extends AnalysisDeps {
  trainer: AnalysisTrainer;
  lens: CaseLensProvider;
}

export const ANALYSIS_COMMANDS = {
  openHeatmap: 'lrcDistill.openLayerHeatmap',
  openCases: 'lrcDistill.openCaseAnalysis',
  analyzeSelection: 'lrcDistill.analyzeSelection',
  computeAnalysis: 'lrcDistill.computeAnalysis',
  /** Not in the palette: lets the vscode-tier tests read and drive the pages. */
  probe: 'lrcDistill.analysis.probe',
} as const;

/** A run's row: its kind, status and step, its analysis files, its paired run. */
function analysisRow(run: RunRef): vscode.QuickPickItem {
  const files = listStepFiles(run.dir).length;
  const pair = pairOf(run);
  return {
    label: run.name,
    description: `${run.kind.toUpperCase()} · ${run.status} · step ${run.record.progress.step} · ${files} analysis file${files === 1 ? '' : 's'}`,
    detail: `${run.id}${pair ? ` · paired with ${pair.name} (${shortRunId(pair.id)})` : ' · no paired run'}`,
  };
}

/**
 * The run of the argument, else the user's pick of the LRC and MSE runs (only finished ones with a pair
 * for the paired analysis); undefined when the user cancels or there is none (said).
 */
function runOfArgOrPick(arg: unknown, title: string, pairedAndFinished = false): Promise<RunRef | undefined> {
  const options = { finishedOnly: pairedAndFinished, withPair: pairedAndFinished };
  const what = pairedAndFinished ? 'finished LRC run with an MSE baseline' : 'LRC or MSE run';
  return chooseRun(arg, {
    title,
    fits: (run) => isAnalysisRun(run, options),
    none: (runsDir) => `no ${what} in ${runsDir}. Start one with "lrc-distill distill --baseline" or the run explorer.`,
    describe: analysisRow,
    placeHolder: 'Pick a run (type to filter by name or id)',
    matchOnDescription: true,
  });
}

async function reportError(ctx: AnalysisContext, e: unknown): Promise<undefined> {
  const message = (e as Error).message ?? String(e);
  ctx.output.error(message);
  const choice = await vscode.window.showErrorMessage(`LRC Distill: ${message}`, 'Show Log');
  if (choice === 'Show Log') ctx.output.show(true);
  return undefined;
}

export async function openHeatmap(ctx: AnalysisContext, arg?: unknown) {
  try {
    const run = await runOfArgOrPick(arg, 'LRC: Open Layer Heatmap');
    if (!run) return undefined;
    const panel = HeatmapPanel.createOrShow(ctx, run.dir);
    return { runId: run.id, title: panel.title };
  } catch (e) {
    return reportError(ctx, e);
  }
}

export async function openCases(ctx: AnalysisContext, arg?: unknown) {
  try {
    const run = await runOfArgOrPick(arg, 'LRC: Open Case Analysis');
    if (!run) return undefined;
    const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { caseId?: unknown; file?: { runId?: unknown; step?: unknown } };
    const focus: CaseFocus = {
      ...(typeof a.caseId === 'string' ? { caseId: a.caseId } : {}),
      ...(a.file && typeof a.file.runId === 'string' && typeof a.file.step === 'number' ? { file: { runId: a.file.runId, step: a.file.step } } : {}),
    };
    // from a data file (a CodeLens), the table goes beside the editor
    const column = focus.caseId && vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = CasesPanel.createOrShow(ctx, run.dir, focus, column);
    return { runId: run.id, title: panel.title };
  } catch (e) {
    return reportError(ctx, e);
  }
}

/** The example of a data file's line, by its fields: its text and pair fields (not its label), if a case matches. */
function exampleOf(found: ReturnType<CaseLensProvider['lookup']>, raw: string, line: number): { text: string; textPair?: string } | undefined {
  if (!found) return undefined;
  const fields = lineFields(raw, found.analysis.dataFile.format);
  const c = found.analysis.index.match(fields, line + 1);
  if (!c) return undefined;
  // the line's own fields: the analysis file may hold a cut text
  const text = fields.find((f) => textMatches(c.text, f)) ?? c.text;
  const pair = c.textPair === undefined ? undefined : (fields.find((f) => f !== text && textMatches(c.textPair!, f)) ?? c.textPair);
  return { text, ...(pair !== undefined ? { textPair: pair } : {}) };
}

/**
 * The text (and pair) to analyse: the selection, split at its first tab into a pair; or, when the
 * selection (or the cursor's line, without a selection) is an example line of a run's data file, that
 * example's text fields.
 */
function selectedText(ctx: AnalysisContext, editor: vscode.TextEditor): { text: string; textPair?: string; source: string } {
  const doc = editor.document;
  const name = doc.uri.path.split('/').pop() ?? doc.uri.path;
  const sel = editor.selection;
  const line = sel.isEmpty ? sel.active.line : sel.start.line;
  const source = `${name}:${line + 1}`;
  const raw = sel.isEmpty ? doc.lineAt(line).text : doc.getText(sel);
  const example = sel.isEmpty || sel.isSingleLine ? exampleOf(ctx.lens.lookup(doc), raw, line) : undefined;
  if (example) return { ...example, source };
  const parts = raw.split('\t').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error('select a text to analyse (a tab between two texts makes a pair), or put the cursor on an example line of a data file');
  return { text: parts[0], ...(parts.length > 1 ? { textPair: parts[1] } : {}), source };
}

/** The layer mapping of the run's students, from its latest analysis file (for the chart's labels). */
function mappingOf(run: RunRef): SelectionAnalysis['mapping'] {
  const cache = new HeaderCache();
  for (const r of Object.values(runsByRole(run))) {
    const files = listStepFiles(r!.dir);
    const last = files[files.length - 1];
    if (!last) continue;
    try {
      const h = cache.get(last.path);
      const s = h.students.lrc ?? h.students.mse;
      if (s) return s.mapping.map((m) => ({ student: m.student, teacher: m.teacher }));
    } catch {
      // no labels then
    }
  }
  return undefined;
}

let lastSelectionRun: string | undefined;

export async function analyzeSelection(ctx: AnalysisContext, arg?: unknown): Promise<SelectionAnalysis | undefined> {
  let panel: SelectionPanel | undefined;
  try {
    const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { text?: unknown; textPair?: unknown };
    let input: { text: string; textPair?: string; source?: string };
    const editor = vscode.window.activeTextEditor;
    if (typeof a.text === 'string') input = { text: a.text, ...(typeof a.textPair === 'string' ? { textPair: a.textPair } : {}) };
    else if (editor) input = selectedText(ctx, editor);
    else throw new Error('open a text editor and select a text to analyse');
    // the run: the argument's, else the data file's, else the last one, else the user's pick
    const fromFile = editor && typeof a.text !== 'string' ? ctx.lens.lookup(editor.document)?.analysis.run : undefined;
    const run = await runOfArgOrPick(hasRun(arg) ? arg : fromFile?.dir ?? lastSelectionRun, 'LRC: Analyze Selection: which run?');
    if (!run) return undefined;
    if (run.kind !== 'lrc' && run.kind !== 'mse') throw new Error(`run ${run.name} is a ${run.kind} run: pick an LRC run or its MSE baseline`);
    lastSelectionRun = run.dir;
    panel = SelectionPanel.show(ctx);
    panel.started(run.name, input.text, input.textPair);
    const { labelNames, record } = await ctx.trainer.analyzeText(run.dir, input.text, input.textPair);
    const mapping = mappingOf(run);
    const result: SelectionAnalysis = {
      at: new Date().toISOString(),
      runId: run.id,
      runName: run.name,
      text: input.text,
      ...(input.textPair !== undefined ? { textPair: input.textPair } : {}),
      labelNames,
      teacher: record.teacher,
      ...(record.lrc ? { lrc: record.lrc } : {}),
      ...(record.mse ? { mse: record.mse } : {}),
      ...(mapping ? { mapping } : {}),
      ...(input.source ? { source: input.source } : {}),
    };
    panel.analyzed(result);
    return result;
  } catch (e) {
    panel?.failed((e as Error).message);
    return reportError(ctx, e);
  }
}

function hasRun(arg: unknown): boolean {
  if (typeof arg === 'string') return true;
  if (typeof arg !== 'object' || arg === null) return false;
  const a = arg as Record<string, unknown>;
  return ['runDir', 'runId', 'dir', 'run'].some((k) => a[k] !== undefined);
}

export async function computeAnalysis(ctx: AnalysisContext, arg?: unknown): Promise<{ file: string } | undefined> {
  try {
    const run = await runOfArgOrPick(arg, 'LRC: Compute Analysis Now', true);
    if (!run) return undefined;
    const { lrc, mse } = runsByRole(run);
    if (!lrc || !mse) throw new Error(`run ${run.name} has no ${run.kind === 'lrc' ? 'MSE baseline' : 'LRC run'} beside it (run.json pairedRunId): the paired analysis needs both`);
    for (const r of [lrc, mse]) {
      const status = r.record.status;
      if (status !== 'finished' && status !== 'stopped') throw new Error(`run ${r.name} is ${status}: the paired analysis needs both runs finished (or stopped)`);
      if (r.record.progress.step === 0) throw new Error(`run ${r.name} has no checkpoint yet`);
    }
    const file = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LRC: paired analysis of ${lrc.name} and ${mse.name}`, cancellable: true },
      async (progress, token) => {
        const cancel = token.onCancellationRequested(() => ctx.trainer.cancel());
        try {
          progress.report({ message: 'the teacher and both students through the dev set…' });
          return await ctx.trainer.pairedAnalysis(lrc.dir, mse.dir);
        } catch (e) {
          if (token.isCancellationRequested) throw new Error('the paired analysis was cancelled');
          throw e;
        } finally {
          cancel.dispose();
        }
      },
    );
    ctx.watcher.fire(file);
    void vscode.window.showInformationMessage(`LRC: paired analysis written to ${file}`, 'Open Case Analysis', 'Open Layer Heatmap').then((choice) => {
      if (choice === 'Open Case Analysis') void openCases(ctx, { runDir: lrc.dir });
      else if (choice === 'Open Layer Heatmap') void openHeatmap(ctx, { runDir: lrc.dir });
    });
    return { file };
  } catch (e) {
    return reportError(ctx, e);
  }
}

interface ProbeArgs {
  view: 'heatmap' | 'cases' | 'selection';
  runId?: string;
  actions?: ProbeAction[];
  /** Where the page's next export is saved, without the dialog. */
  saveAs?: string;
  timeoutMs?: number;
}

/** Waits for the page of a view to be ready, acts on it and returns what it shows (tests only). */
export async function probe(args: ProbeArgs) {
  const timeoutMs = args.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const find = () => (args.view === 'heatmap' ? HeatmapPanel.get(args.runId) : args.view === 'cases' ? CasesPanel.get(args.runId) : SelectionPanel.get());
  let panel = find();
  while ((!panel || !panel.isReady) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    panel = find();
  }
  if (!panel) throw new Error(`no ${args.view} panel${args.runId ? ` for run ${args.runId}` : ''} is open`);
  if (args.saveAs) panel.nextSavePath = args.saveAs;
  const result = await panel.runProbe(args.actions ?? [], Math.max(1_000, deadline - Date.now()));
  return { ...result, title: panel.title, posted: panel.posted.map((m) => m.method) };
}
