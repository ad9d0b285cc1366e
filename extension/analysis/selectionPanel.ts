// The "Analyze Selection" panel (host side): one panel docked beside the editor, showing what the
// trainer answered for the selected text; the page keeps the last few answers across reloads.
import * as vscode from 'vscode';
import {
  DidAnalyzeNotification,
  DidFailNotification,
  DidStartNotification,
  SelectionProbe,
  type SelectionAnalysis,
} from '../../webview/selection/protocol';
import { AnalysisPanel, type AnalysisDeps } from './analysisPanel';
import { webviewPanelOptions } from './heatmapPanel';

export class SelectionPanel extends AnalysisPanel {
  static readonly viewType = 'lrcDistill.analyzeSelection';
  private static current: SelectionPanel | undefined;

  /** The panel, beside the active editor, without taking the focus from it. */
  static show(deps: AnalysisDeps): SelectionPanel {
    const existing = SelectionPanel.current;
    if (existing) {
      existing.reveal(vscode.ViewColumn.Beside, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(SelectionPanel.viewType, 'LRC: Analyze Selection', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewPanelOptions(deps.extensionUri));
    return new SelectionPanel(panel, deps);
  }

  static revive(panel: vscode.WebviewPanel, deps: AnalysisDeps): SelectionPanel {
    SelectionPanel.current?.dispose();
    return new SelectionPanel(panel, deps);
  }

  static get(): SelectionPanel | undefined {
    return SelectionPanel.current;
  }

  /** Messages waiting for the page to be ready. */
  private queue: Parameters<AnalysisPanel['post']>[0][] = [];

  private constructor(panel: vscode.WebviewPanel, deps: AnalysisDeps) {
    super(panel, deps, { bundle: 'selection', rootId: 'selection-root' }, SelectionProbe);
    SelectionPanel.current = this;
  }

  override dispose(): void {
    if (SelectionPanel.current === this) SelectionPanel.current = undefined;
    super.dispose();
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  started(runName: string, text: string, textPair?: string): void {
    this.send(DidStartNotification.create({ runName, text, ...(textPair !== undefined ? { textPair } : {}) }));
  }

  analyzed(result: SelectionAnalysis): void {
    this.send(DidAnalyzeNotification.create(result));
  }

  failed(message: string): void {
    this.send(DidFailNotification.create({ message }));
  }

  protected onReady(): void {
    const queued = this.queue;
    this.queue = [];
    for (const m of queued) this.post(m);
  }

  protected receive(msg: unknown): void {
    this.warnIgnored(msg);
  }

  private send(msg: Parameters<AnalysisPanel['post']>[0]): void {
    if (this.ready) this.post(msg);
    else this.queue.push(msg);
  }
}
