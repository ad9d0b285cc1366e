// The run dashboard panel: one instance, created or revealed by the command, revived after a reload.
import * as vscode from 'vscode';
import { ReadyNotification } from '../../webview/shared/protocol';
import { DidChangeTrainerNotification, StartTrainerNotification, type TrainerInfo } from '../../webview/dashboard/protocol';
import { Disposable } from '../util/disposable';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';
import type { TrainerService } from '../trainer/trainerService';

export class DashboardPanel extends Disposable {
  static readonly viewType = 'lrcDistill.dashboard';
  private static current: DashboardPanel | undefined;

  static createOrShow(extensionUri: vscode.Uri, trainer: TrainerService): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'LRC Dashboard', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return (DashboardPanel.current = new DashboardPanel(panel, extensionUri, trainer));
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, trainer: TrainerService): DashboardPanel {
    DashboardPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    return (DashboardPanel.current = new DashboardPanel(panel, extensionUri, trainer));
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly trainer: TrainerService,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lrc.svg');
    panel.webview.html = renderWebviewHtml({ webview: panel.webview, extensionUri, bundle: 'dashboard', title: 'LRC Dashboard', rootId: 'dashboard-root' });
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((msg) => this.onMessage(msg)));
    this.register(trainer.onDidChange((info) => this.post(info)));
  }

  override dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  private onMessage(msg: unknown): void {
    if (ReadyNotification.is(msg)) this.post(this.trainer.info);
    else if (StartTrainerNotification.is(msg)) void this.trainer.ensureReady().catch(() => undefined);
  }

  private post(info: TrainerInfo): void {
    void this.panel.webview.postMessage(DidChangeTrainerNotification.create(info));
  }
}
