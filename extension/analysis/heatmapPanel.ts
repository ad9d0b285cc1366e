// The layer heatmap panel (host side): one per run. Sends the run and its steps, then the grids of the
// step the page asks for and, in the background, of every other step so that playback never waits;
// follows new analysis files of a running run (file watcher, and a slow poll as a safety net). Saves
// the page's PNG and CSV exports where the user picks. Comes back after a reload (serializer).
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DidFailNotification,
  DidLoadRunNotification,
  DidLoadStepNotification,
  DidSaveNotification,
  HeatmapProbe,
  RequestStepNotification,
  SaveFileNotification,
  type SaveRequest,
} from '../../webview/heatmap/protocol';
import { webviewOptions } from '../panels/webviewHtml';
import { runRef, type RunRef } from '../runs/runRef';
import { workspaceFolder } from '../settings';
import { AnalysisPanel, type AnalysisDeps } from './analysisPanel';
import { HeatmapSource } from './heatmapData';

const POLL_MS = 4_000;

export class HeatmapPanel extends AnalysisPanel {
  static readonly viewType = 'lrcDistill.layerHeatmap';
  private static readonly panels = new Map<string, HeatmapPanel>();

  static createOrShow(deps: AnalysisDeps, runDir: string): HeatmapPanel {
    const run = runRef(runDir);
    const existing = HeatmapPanel.panels.get(run.id);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(HeatmapPanel.viewType, `Layer Heatmap: ${run.name}`, vscode.ViewColumn.Active, webviewPanelOptions(deps.extensionUri));
    return new HeatmapPanel(panel, deps, run);
  }

  static revive(panel: vscode.WebviewPanel, deps: AnalysisDeps, runDir: string): HeatmapPanel {
    const run = runRef(runDir);
    HeatmapPanel.panels.get(run.id)?.dispose();
    return new HeatmapPanel(panel, deps, run);
  }

  static get(runId?: string): HeatmapPanel | undefined {
    if (runId) return HeatmapPanel.panels.get(runId);
    const all = [...HeatmapPanel.panels.values()];
    return all.find((p) => p.active) ?? all[all.length - 1];
  }

  private readonly source: HeatmapSource;
  /** Steps sent to the page, and steps still to send (the page's request first). */
  private readonly sent = new Set<number>();
  private queue: number[] = [];
  private pumping = false;

  private constructor(panel: vscode.WebviewPanel, deps: AnalysisDeps, readonly run: RunRef) {
    super(panel, deps, { bundle: 'heatmap', rootId: 'heatmap-root', state: { runId: run.id, runDir: run.dir } }, HeatmapProbe);
    HeatmapPanel.panels.set(run.id, this);
    this.source = new HeatmapSource(run);
    for (const dir of this.source.runDirs) this.register(deps.watcher.watchRun(dir));
    this.register(deps.watcher.onDidChange((c) => this.source.runDirs.includes(c.runDir) && this.follow(c.path)));
    const timer = setInterval(() => this.follow(), POLL_MS);
    this.register({ dispose: () => clearInterval(timer) });
  }

  override dispose(): void {
    if (HeatmapPanel.panels.get(this.run.id) === this) HeatmapPanel.panels.delete(this.run.id);
    super.dispose();
  }

  protected onReady(): void {
    this.sent.clear();
    this.source.refresh();
    this.post(DidLoadRunNotification.create({ run: this.source.view() }));
    // the page asks for the step it shows; meanwhile the latest goes first, then the rest
    this.queue = this.source.steps().reverse();
    this.pump();
  }

  protected receive(msg: unknown): void {
    if (RequestStepNotification.is(msg)) {
      if (msg.params.runId !== this.run.id) return;
      this.sendStep(msg.params.step);
    } else if (SaveFileNotification.is(msg)) {
      if (msg.params.runId === this.run.id) void this.save(msg.params);
    } else this.warnIgnored(msg);
  }

  /** New or changed files: a new step list, and the changed steps again. */
  private follow(path?: string): void {
    if (!this.ready || this.isDisposed) return;
    const changedSteps = this.source.refresh();
    if (changedSteps) this.post(DidLoadRunNotification.create({ run: this.source.view() }));
    const m = path ? /step-(\d+)\.json$/.exec(path) : null;
    const from = m ? Number(m[1]) : undefined;
    for (const s of this.source.steps()) {
      if (!this.sent.has(s) || (from !== undefined && s >= from)) {
        this.sent.delete(s);
        if (!this.queue.includes(s)) this.queue.push(s);
      }
    }
    this.pump();
  }

  private sendStep(step: number): void {
    if (this.sent.has(step)) return;
    try {
      this.post(DidLoadStepNotification.create({ runId: this.run.id, step: this.source.stepView(step) }));
      this.sent.add(step);
    } catch (e) {
      this.deps.output.warn(`layer heatmap: ${(e as Error).message}`);
      this.post(DidFailNotification.create({ message: (e as Error).message }));
      this.sent.add(step); // reported once; a change of the file sends it again
    }
    this.queue = this.queue.filter((s) => s !== step);
  }

  /** Sends the queued steps one per turn of the event loop, so that the host stays responsive. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const next = () => {
      if (this.isDisposed || this.queue.length === 0) {
        this.pumping = false;
        return;
      }
      this.sendStep(this.queue[0]);
      setTimeout(next, 0);
    };
    setTimeout(next, 0);
  }

  private async save(request: SaveRequest): Promise<void> {
    try {
      let target = this.nextSavePath ? vscode.Uri.file(this.nextSavePath) : undefined;
      this.nextSavePath = undefined;
      if (!target) {
        const folder = workspaceFolder();
        target = await vscode.window.showSaveDialog({
          title: request.format === 'png' ? 'Save the heatmap as PNG' : 'Save the grids as CSV',
          defaultUri: folder ? vscode.Uri.file(join(folder, request.name)) : undefined,
          filters: request.format === 'png' ? { 'PNG image': ['png'] } : { 'CSV table': ['csv'] },
        });
      }
      if (!target) return;
      const data = request.format === 'png' ? Buffer.from(request.data.slice(request.data.indexOf(',') + 1), 'base64') : request.data;
      writeFileSync(target.fsPath, data);
      this.post(DidSaveNotification.create({ ok: true, message: `Saved ${target.fsPath}` }));
    } catch (e) {
      this.post(DidSaveNotification.create({ ok: false, message: `Could not save: ${(e as Error).message}` }));
    }
  }
}

export function webviewPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { ...webviewOptions(extensionUri), enableFindWidget: true };
}
