// The case analysis panel (host side): one per run. Sends the cases of one analysis file (by default
// the latest paired analysis of the LRC run and its baseline, else the latest file), the list of the
// other files, and a case to select (from a CodeLens in a data file). Follows new files of a running run.
import * as vscode from 'vscode';
import {
  CasesProbe,
  DidChangeFilesNotification,
  DidFailNotification,
  DidFocusCaseNotification,
  DidLoadCasesNotification,
  SelectFileNotification,
} from '../../webview/cases/protocol';
import { runRef, type RunRef } from '../runs/runRef';
import { AnalysisPanel, type AnalysisDeps } from './analysisPanel';
import { runsByRole } from './analysisRuns';
import { caseFiles, defaultCaseFile, fileChoices, loadCasesFile, type CaseFileRef } from './casesData';
import { HeaderCache } from './heatmapData';
import { webviewPanelOptions } from './heatmapPanel';

export interface CaseFocus {
  /** The file to show: its run and step. */
  file?: { runId: string; step: number };
  caseId?: string;
}

const POLL_MS = 5_000;

export class CasesPanel extends AnalysisPanel {
  static readonly viewType = 'lrcDistill.caseAnalysis';
  private static readonly panels = new Map<string, CasesPanel>();

  static createOrShow(deps: AnalysisDeps, runDir: string, focus: CaseFocus = {}, column = vscode.ViewColumn.Active): CasesPanel {
    const run = runRef(runDir);
    const existing = CasesPanel.panels.get(run.id);
    if (existing) {
      existing.reveal(column);
      if (focus.file || focus.caseId) existing.focus(focus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CasesPanel.viewType, `Case Analysis: ${run.name}`, column, webviewPanelOptions(deps.extensionUri));
    return new CasesPanel(panel, deps, run, focus);
  }

  static revive(panel: vscode.WebviewPanel, deps: AnalysisDeps, runDir: string, file?: { runId: string; step: number }): CasesPanel {
    const run = runRef(runDir);
    CasesPanel.panels.get(run.id)?.dispose();
    return new CasesPanel(panel, deps, run, { file });
  }

  static get(runId?: string): CasesPanel | undefined {
    if (runId) return CasesPanel.panels.get(runId);
    const all = [...CasesPanel.panels.values()];
    return all.find((p) => p.active) ?? all[all.length - 1];
  }

  private readonly cache = new HeaderCache();
  private readonly runDirs: string[];
  private files: CaseFileRef[] = [];
  private shown: { runId: string; step: number } | undefined;
  private filesKey = '';

  private constructor(panel: vscode.WebviewPanel, deps: AnalysisDeps, readonly run: RunRef, private pending: CaseFocus) {
    super(panel, deps, { bundle: 'cases', rootId: 'cases-root', state: { runId: run.id, runDir: run.dir } }, CasesProbe);
    CasesPanel.panels.set(run.id, this);
    const roles = runsByRole(run);
    this.runDirs = [...new Set([run.dir, ...Object.values(roles).map((r) => r!.dir)])];
    for (const dir of this.runDirs) this.register(deps.watcher.watchRun(dir));
    this.register(deps.watcher.onDidChange((c) => this.runDirs.includes(c.runDir) && this.refreshFiles()));
    const timer = setInterval(() => this.refreshFiles(), POLL_MS);
    this.register({ dispose: () => clearInterval(timer) });
  }

  override dispose(): void {
    if (CasesPanel.panels.get(this.run.id) === this) CasesPanel.panels.delete(this.run.id);
    super.dispose();
  }

  /** Shows a file and selects a case (a CodeLens click). */
  focus(focus: CaseFocus): void {
    if (!this.ready) {
      this.pending = focus;
      return;
    }
    const sameFile = !focus.file || (this.shown && focus.file.runId === this.shown.runId && focus.file.step === this.shown.step);
    if (sameFile && focus.caseId) this.post(DidFocusCaseNotification.create({ caseId: focus.caseId }));
    else this.load(focus.file, focus.caseId);
  }

  protected onReady(): void {
    const focus = this.pending;
    this.pending = {};
    this.load(focus.file ?? this.shown, focus.caseId);
  }

  protected receive(msg: unknown): void {
    if (SelectFileNotification.is(msg)) {
      if (msg.params.runId === this.run.id) this.load({ runId: msg.params.fileRunId, step: msg.params.step });
    } else this.warnIgnored(msg);
  }

  private listFiles(): CaseFileRef[] {
    this.files = caseFiles(this.run, this.cache, (m) => this.deps.output.warn(`case analysis: ${m}`));
    this.filesKey = this.files.map((f) => `${f.runId}@${f.step}:${f.students.join('+')}`).join();
    return this.files;
  }

  private load(wanted: { runId: string; step: number } | undefined, focusCaseId?: string): void {
    const files = this.listFiles();
    const lrcRunId = runsByRole(this.run).lrc?.id;
    const ref = (wanted && files.find((f) => f.runId === wanted.runId && f.step === wanted.step)) || defaultCaseFile(files, lrcRunId);
    if (!ref) {
      this.post(DidFailNotification.create({ message: `No analysis files yet for ${this.run.name}: they appear at the run's evaluations, or with "LRC: Compute Analysis Now" for a finished LRC run and its baseline.` }));
      return;
    }
    try {
      const file = loadCasesFile(ref);
      this.shown = { runId: ref.runId, step: ref.step };
      this.post(DidLoadCasesNotification.create({ runId: this.run.id, file, files: fileChoices(files), ...(focusCaseId ? { focusCaseId } : {}) }));
    } catch (e) {
      this.deps.output.warn(`case analysis: ${(e as Error).message}`);
      this.post(DidFailNotification.create({ message: (e as Error).message }));
    }
  }

  private refreshFiles(): void {
    if (!this.ready || this.isDisposed) return;
    const before = this.filesKey;
    const files = this.listFiles();
    if (this.filesKey !== before) this.post(DidChangeFilesNotification.create({ runId: this.run.id, files: fileChoices(files) }));
  }
}
