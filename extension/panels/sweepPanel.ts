// The sweep panel: one per sweep. It shows where the sweep's runs stand, the paired comparisons, the
// cells table and the spread of each cell over its seeds, from the same report the CLI prints; it is
// sent whole on open and again whenever the sweep service sees a change (a run.json, sweep.json, the
// scheduler's answer). Its buttons run the sweep commands (Cancel, Resume, Open Report, Export
// Recommended Student) and open a run's dashboard. Panels come back after a reload (serializer, state { sweepId }).
import * as vscode from 'vscode';
import { ReadyNotification, type IpcMessage } from '../../webview/shared/protocol';
import {
  DidActionNotification,
  DidChangeSweepNotification,
  DidLoadSweepNotification,
  SweepActionNotification,
  type SweepAction,
  type SweepView,
} from '../../webview/sweep/protocol';
import type { SweepService } from '../sweeps/sweepService';
import { sweepViewOf } from '../sweeps/sweepView';
import { Disposable } from '../util/disposable';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export interface SweepPanelDeps {
  extensionUri: vscode.Uri;
  sweeps: SweepService;
  output: vscode.LogOutputChannel;
}

/** Changes come in bursts (many run.json files at once): the page is updated at most this often. */
const UPDATE_MS = 500;

export class SweepPanel extends Disposable {
  static readonly viewType = 'lrcDistill.sweep';
  private static readonly panels = new Map<string, SweepPanel>();

  static createOrShow(deps: SweepPanelDeps, sweepId: string, column: vscode.ViewColumn = vscode.ViewColumn.Active): SweepPanel {
    const state = deps.sweeps.require(sweepId);
    const existing = SweepPanel.panels.get(state.record.id);
    if (existing) {
      existing.panel.reveal(column);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(SweepPanel.viewType, `LRC Sweep: ${state.record.name}`, column, webviewOptions(deps.extensionUri));
    return new SweepPanel(panel, deps, state.record.id);
  }

  static revive(panel: vscode.WebviewPanel, deps: SweepPanelDeps, sweepId: string): SweepPanel {
    SweepPanel.panels.get(sweepId)?.dispose();
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new SweepPanel(panel, deps, sweepId);
  }

  static get(sweepId: string): SweepPanel | undefined {
    return SweepPanel.panels.get(sweepId);
  }

  /** The messages posted to the page, newest last (the vscode-tier tests read them). */
  readonly posted: IpcMessage[] = [];
  private ready = false;
  private lastKey = '';
  private pending: NodeJS.Timeout | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: SweepPanelDeps,
    readonly sweepId: string,
  ) {
    super();
    SweepPanel.panels.set(sweepId, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'lrc.svg');
    panel.webview.html = renderWebviewHtml({
      webview: panel.webview, extensionUri: deps.extensionUri, bundle: 'sweep', title: panel.title, rootId: 'sweep-root',
      styles: ['media/sweep.css', 'media/sweepFront.css'], state: { sweepId },
    });
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((msg) => this.receive(msg)));
    this.register(deps.sweeps.onDidChange(() => this.updateSoon()));
    // A hidden webview is dropped (retainContextWhenHidden is off) and loads again when shown.
    this.register(panel.onDidChangeViewState(() => !panel.visible && (this.ready = false)));
    this.register({ dispose: () => this.pending && clearTimeout(this.pending) });
  }

  override dispose(): void {
    if (SweepPanel.panels.get(this.sweepId) === this) SweepPanel.panels.delete(this.sweepId);
    super.dispose();
    this.panel.dispose();
  }

  /** The last view sent to the page. */
  get view(): SweepView | undefined {
    for (let i = this.posted.length - 1; i >= 0; i--) {
      const m = this.posted[i];
      if (DidLoadSweepNotification.is(m) || DidChangeSweepNotification.is(m)) return m.params.sweep;
    }
    return undefined;
  }

  /** Handles a message from the page (public so that tests can act as the page). */
  receive(msg: unknown): void {
    if (ReadyNotification.is(msg)) this.load();
    else if (SweepActionNotification.is(msg)) void this.act(msg.params.sweepId, msg.params.action);
    else this.deps.output.warn(`sweep panel: ignored a message that fits no declared type: ${JSON.stringify(msg).slice(0, 200)}`);
  }

  private build(): SweepView | undefined {
    const state = this.deps.sweeps.get(this.sweepId);
    if (!state) {
      this.post(DidActionNotification.create({ ok: false, message: `sweep ${this.sweepId} is gone from ${this.deps.sweeps.sweepsDir() ?? 'the workspace'}` }));
      return undefined;
    }
    try {
      return sweepViewOf(state);
    } catch (e) {
      this.post(DidActionNotification.create({ ok: false, message: `the report of sweep ${this.sweepId} could not be made: ${(e as Error).message}` }));
      return undefined;
    }
  }

  private load(): void {
    this.ready = true;
    const view = this.build();
    if (!view) return;
    this.lastKey = JSON.stringify(view);
    this.post(DidLoadSweepNotification.create({ sweep: view }));
    if (this.panel.title !== `LRC Sweep: ${view.name}`) this.panel.title = `LRC Sweep: ${view.name}`;
  }

  private updateSoon(): void {
    if (this.pending || !this.ready) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (this.isDisposed || !this.ready) return;
      const view = this.build();
      if (!view) return;
      const key = JSON.stringify(view);
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.post(DidChangeSweepNotification.create({ sweep: view }));
    }, UPDATE_MS);
  }

  private async act(sweepId: string, action: SweepAction): Promise<void> {
    if (sweepId !== this.sweepId) {
      this.post(DidActionNotification.create({ ok: false, message: `this panel shows sweep ${this.sweepId}, not ${sweepId}` }));
      return;
    }
    const arg = { sweepId };
    try {
      switch (action.type) {
        case 'cancel': {
          const r = await vscode.commands.executeCommand<{ message: string } | undefined>('lrcDistill.cancelSweep', arg);
          this.post(DidActionNotification.create({ ok: !!r, message: r?.message ?? 'the sweep was not cancelled (see the notification)' }));
          break;
        }
        case 'resume': {
          const r = await vscode.commands.executeCommand<{ message: string } | undefined>('lrcDistill.resumeSweep', arg);
          this.post(DidActionNotification.create({ ok: !!r, message: r?.message ?? 'the sweep was not resumed (see the notification)' }));
          break;
        }
        case 'openReport':
          await vscode.commands.executeCommand('lrcDistill.sweepReport', arg);
          break;
        case 'openFile':
          await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(this.deps.sweeps.require(sweepId).record.file));
          break;
        case 'showOutput':
          await vscode.commands.executeCommand('lrcDistill.showSweepOutput');
          break;
        case 'openRun':
          await vscode.commands.executeCommand('lrcDistill.openDashboard', { runId: action.runId });
          break;
        case 'exportRecommended': {
          const r = await vscode.commands.executeCommand<{ cell: string; dtype: string; out: string } | undefined>('lrcDistill.exportRecommendedStudent', { sweepId, task: action.task });
          if (r) this.post(DidActionNotification.create({ ok: true, message: `exported ${r.cell} (${r.dtype}) to ${r.out}` }));
          break;
        }
      }
    } catch (e) {
      this.post(DidActionNotification.create({ ok: false, message: (e as Error).message }));
    }
  }

  private post(msg: IpcMessage): void {
    this.posted.push(msg);
    if (this.posted.length > 200) this.posted.splice(0, this.posted.length - 200);
    void this.panel.webview.postMessage(msg);
  }
}
