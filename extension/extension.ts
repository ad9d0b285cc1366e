// Activation: the output channel, the trainer service, the run manager (one trainer child per running
// run), the run explorer, the status bar, the panels' serializers and the commands. Everything goes
// into context.subscriptions; deactivate stops the runs of this window gracefully and the trainer.
import * as vscode from 'vscode';
import { commands, showError, type CommandContext } from './commands';
import { RunContextKeys } from './contextKeys';
import { DashboardPanel, type DashboardDeps } from './panels/dashboardPanel';
import { runsFolder } from './settings';
import { RunStatusBar } from './statusBar';
import { CliRunner } from './trainer/cliProcess';
import { RunManager } from './trainer/runManager';
import { TrainerService } from './trainer/trainerService';
import { isDashboardState } from '../webview/dashboard/protocol';
import { RunExplorer } from './views/runExplorer';
import { registerAnalysisViews } from './analysis/registerAnalysisViews';

let trainer: TrainerService | undefined;
let manager: RunManager | undefined;

/** What activate() returns: used by the tests that run inside VS Code. */
export interface LrcDistillApi {
  trainer: { hello: TrainerService['ensureReady']; readonly pid: number | undefined; service: TrainerService };
  manager: RunManager;
  explorer: RunExplorer;
  statusBar: RunStatusBar;
  dashboards: { get: (runId?: string) => DashboardPanel | undefined };
}

export function activate(context: vscode.ExtensionContext): LrcDistillApi {
  const output = vscode.window.createOutputChannel('LRC Distill', { log: true });
  trainer = new TrainerService(context.extensionUri, output);
  const runs = new RunExplorer();
  const notify = {
    error: (message: string, runId?: string) => {
      void showError({ output }, message, runId ? ['Open Dashboard', 'Resume'] : []).then((choice) => {
        if (choice === 'Open Dashboard') void vscode.commands.executeCommand('lrcDistill.openDashboard', { runId });
        if (choice === 'Resume') void vscode.commands.executeCommand('lrcDistill.startRun', { runId });
      });
    },
    info: (message: string) => void vscode.window.showInformationMessage(`LRC Distill: ${message}`),
  };
  const runManager = (manager = new RunManager(context.extensionUri, output, notify, () => runs.refresh()));
  runs.onDidChangeTreeData(() => runManager.checkStoreSoon());
  const cli = new CliRunner(vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath, (line) => output.info(`[cli] ${line}`));
  const treeView = vscode.window.createTreeView(RunExplorer.viewId, { treeDataProvider: runs, showCollapseAll: true });
  const dashboards: DashboardDeps = { extensionUri: context.extensionUri, trainer, manager: runManager, output };
  const statusBar = new RunStatusBar(runManager);
  const ctx: CommandContext = { extensionUri: context.extensionUri, trainer, runs, treeView, manager: runManager, cli, output, dashboards };

  context.subscriptions.push(
    output,
    trainer,
    runManager,
    cli,
    runs,
    treeView,
    statusBar,
    new RunContextKeys(runManager, runsFolder),
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const runId = isDashboardState(state) ? state.runId : undefined;
        DashboardPanel.revive(panel, dashboards, runId);
      },
    }),
    ...Object.entries(commands).map(([id, factory]) => vscode.commands.registerCommand(id, factory(ctx))),
  );
  registerAnalysisViews(context, { extensionUri: context.extensionUri, output });
  const service = trainer;
  return {
    trainer: { hello: () => service.ensureReady(), get pid() { return service.pid; }, service },
    manager: runManager,
    explorer: runs,
    statusBar,
    dashboards: { get: (runId) => DashboardPanel.get(runId) },
  };
}

export async function deactivate(): Promise<void> {
  await Promise.all([manager?.shutdown(), trainer?.stop()]);
  manager = undefined;
  trainer = undefined;
}
