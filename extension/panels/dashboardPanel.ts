// The run dashboard: one panel per run (and one overview panel without a run, showing the trainer).
// On open it sends the run's history from metrics.jsonl, then follows the file: at once on every event
// of a trainer this window runs, and by polling for runs of another process (the CLI). Controls from the
// page are validated here again and go to the RunManager. Panels come back after a reload (serializer).
import * as vscode from 'vscode';
import { runPaths } from '../../trainer/runs/runFolder';
import type { ControlRequest } from '../../trainer/protocol';
import { ReadyNotification, type IpcMessage } from '../../webview/shared/protocol';
import {
  ControlNotification,
  DidAppendPointsNotification,
  DidChangeRunNotification,
  DidChangeRunsNotification,
  DidChangeTrainerNotification,
  DidControlNotification,
  DidLoadRunNotification,
  OpenRunNotification,
  StartTrainerNotification,
  type DashboardAction,
  type RunSummary,
  type RunView,
} from '../../webview/dashboard/protocol';
import { listRuns } from '../../trainer/runs/runStore';
import { MetricsTail } from '../runs/metricsTail';
import { isLive, type RunManager } from '../trainer/runManager';
import type { TrainerService } from '../trainer/trainerService';
import { Disposable } from '../util/disposable';
import { runView, thinProgress, toPoints } from './dashboardData';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export interface DashboardDeps {
  extensionUri: vscode.Uri;
  trainer: TrainerService;
  manager: RunManager;
  output: vscode.LogOutputChannel;
}

const OVERVIEW = '';
const POLL_MS = 1_000;

export class DashboardPanel extends Disposable {
  static readonly viewType = 'lrcDistill.dashboard';
  private static readonly panels = new Map<string, DashboardPanel>();

  /** Opens (or reveals) the dashboard of a run, or the overview without one. */
  static createOrShow(deps: DashboardDeps, runId?: string, column: vscode.ViewColumn = vscode.ViewColumn.Active): DashboardPanel {
    const key = runId ?? OVERVIEW;
    const existing = DashboardPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal(column);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, DashboardPanel.titleOf(deps, runId), column, webviewOptions(deps.extensionUri));
    return new DashboardPanel(panel, deps, runId);
  }

  static revive(panel: vscode.WebviewPanel, deps: DashboardDeps, runId: string | undefined): DashboardPanel {
    DashboardPanel.panels.get(runId ?? OVERVIEW)?.dispose();
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new DashboardPanel(panel, deps, runId);
  }

  /** The open dashboard of a run (or the overview), if any. */
  static get(runId?: string): DashboardPanel | undefined {
    return DashboardPanel.panels.get(runId ?? OVERVIEW);
  }

  /** The run of the dashboard the user looks at now, if a run dashboard is active. */
  static activeRunId(): string | undefined {
    for (const [key, p] of DashboardPanel.panels) if (key && p.panel.active) return key;
    return undefined;
  }

  private static titleOf(deps: DashboardDeps, runId: string | undefined): string {
    if (!runId) return 'LRC Dashboard';
    try {
      return `LRC Dashboard: ${deps.manager.read(runId).name}`;
    } catch {
      return `LRC Dashboard: ${runId}`;
    }
  }

  /** The messages posted to the page, newest last (the vscode-tier tests read them). */
  readonly posted: IpcMessage[] = [];
  private tail: MetricsTail | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRunKey = '';
  private ready = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDeps,
    readonly runId: string | undefined,
  ) {
    super();
    DashboardPanel.panels.set(runId ?? OVERVIEW, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'lrc.svg');
    panel.webview.html = renderWebviewHtml({
      webview: panel.webview, extensionUri: deps.extensionUri, bundle: 'dashboard', title: panel.title, rootId: 'dashboard-root',
      styles: ['dist/webview/dashboard.css', 'media/dashboard.css'], state: { runId },
    });
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((msg) => this.receive(msg)));
    if (runId) {
      this.tail = new MetricsTail(runPaths(deps.manager.runDir(runId)).metrics, (m) => deps.output.warn(m));
      this.register(deps.manager.onDidEvent((e) => e.runId === runId && this.follow()));
      this.register(deps.manager.onDidChangeRun((id) => id === runId && this.follow()));
      this.timer = setInterval(() => this.follow(), POLL_MS);
      this.register({ dispose: () => clearInterval(this.timer) });
    } else {
      this.register(deps.trainer.onDidChange((info) => this.post(DidChangeTrainerNotification.create(info))));
      this.register(deps.manager.onDidChangeRun(() => this.postRunsSoon()));
    }
  }

  override dispose(): void {
    const key = this.runId ?? OVERVIEW;
    if (DashboardPanel.panels.get(key) === this) DashboardPanel.panels.delete(key);
    super.dispose();
    this.panel.dispose();
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  /** Handles a message from the page (public so that tests can act as the page). */
  receive(msg: unknown): void {
    if (ReadyNotification.is(msg)) this.load();
    else if (StartTrainerNotification.is(msg)) void this.deps.trainer.ensureReady().catch(() => undefined);
    else if (ControlNotification.is(msg)) void this.control(msg.params.runId, msg.params.action);
    else if (OpenRunNotification.is(msg)) DashboardPanel.createOrShow(this.deps, msg.params.runId, this.runId ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    else this.deps.output.warn(`dashboard: ignored a message that fits no declared type: ${JSON.stringify(msg).slice(0, 200)}`);
  }

  /** The whole state: the overview's trainer, or the run and its full history. */
  private load(): void {
    this.ready = true;
    if (!this.runId) {
      this.post(DidChangeTrainerNotification.create(this.deps.trainer.info));
      this.postRuns();
      return;
    }
    const view = this.view();
    if (!view) return;
    this.tail!.reset();
    const points = thinProgress(toPoints(this.tail!.read()));
    this.lastRunKey = JSON.stringify(view);
    this.post(DidLoadRunNotification.create({ run: view, points }));
  }

  /** What changed since the last message: new metrics lines, a new run state. */
  private follow(): void {
    if (!this.ready || !this.runId || !this.tail) return;
    const points = toPoints(this.tail.read());
    if (points.length) this.post(DidAppendPointsNotification.create({ runId: this.runId, points }));
    const view = this.view();
    if (!view) return;
    const key = JSON.stringify(view);
    if (key !== this.lastRunKey) {
      this.lastRunKey = key;
      this.post(DidChangeRunNotification.create({ run: view }));
      if (this.panel.title !== `LRC Dashboard: ${view.name}`) this.panel.title = `LRC Dashboard: ${view.name}`;
    }
  }

  private runsPending: NodeJS.Timeout | undefined;

  private postRunsSoon(): void {
    if (this.runsPending || !this.ready) return;
    this.runsPending = setTimeout(() => {
      this.runsPending = undefined;
      if (!this.isDisposed) this.postRuns();
    }, 500);
  }

  /** The overview's list: every run of the store, newest first. */
  private postRuns(): void {
    let runs: RunSummary[] = [];
    try {
      runs = listRuns(this.deps.manager.runsDir()).runs.map((r) => ({
        id: r.id, name: r.name, kind: r.kind, status: r.status, step: r.progress.step, totalSteps: r.progress.totalSteps,
        ...(r.best ? { best: `${r.best.metric} ${r.best.value.toFixed(4)}` } : {}),
      }));
    } catch {
      // no workspace: no runs
    }
    this.post(DidChangeRunsNotification.create({ runs }));
  }

  private view(): RunView | undefined {
    const manager = this.deps.manager;
    try {
      const record = manager.read(this.runId!);
      const owner = manager.isOwned(record.id) ? 'extension' : isLive(record) ? 'other' : 'none';
      return runView(record, owner, manager.pidOf(record.id));
    } catch (e) {
      this.post(DidControlNotification.create({ ok: false, message: (e as Error).message }));
      return undefined;
    }
  }

  private async control(runId: string, action: DashboardAction): Promise<void> {
    if (runId !== this.runId) {
      this.post(DidControlNotification.create({ ok: false, message: `this dashboard shows run ${this.runId}, not ${runId}` }));
      return;
    }
    try {
      let message: string;
      if (action.type === 'startOrResume') {
        message = `${await this.deps.manager.startOrResume(runId)} the run`;
      } else {
        const via = await this.deps.manager.control(runId, action as ControlRequest);
        message = `sent ${action.type} to the trainer (${via === 'ipc' ? 'this window' : 'control.jsonl'}); it applies between steps`;
      }
      this.post(DidControlNotification.create({ ok: true, message }));
    } catch (e) {
      this.post(DidControlNotification.create({ ok: false, message: (e as Error).message }));
    }
    this.follow();
  }

  private post(msg: IpcMessage): void {
    this.posted.push(msg);
    if (this.posted.length > 500) this.posted.splice(0, this.posted.length - 500);
    void this.panel.webview.postMessage(msg);
  }
}
