// Activation: the output channel, the trainer service, the run manager (one trainer child per running
// run), the sweep service, the run explorer, the status bar, the panels' serializers and the commands.
// Everything goes into context.subscriptions; deactivate stops the runs of this window gracefully and
// the trainer. A sweep's local pool is a process of its own and goes on (Cancel Sweep stops it).
import * as vscode from 'vscode';
import { commands, showError, type CommandContext } from './commands';
import type { SweepTools } from './commands/sweepCommands';
import { RunContextKeys, SweepContextKeys } from './contextKeys';
import { DashboardPanel, type DashboardDeps } from './panels/dashboardPanel';
import { SweepPanel, type SweepPanelDeps } from './panels/sweepPanel';
import { runsFolder } from './settings';
import { RunStatusBar } from './statusBar';
import { CliRunner } from './trainer/cliProcess';
import { RunManager } from './trainer/runManager';
import { TrainerService } from './trainer/trainerService';
import { isDashboardState } from '../webview/dashboard/protocol';
import { RunExplorer } from './views/runExplorer';
import { registerAnalysisViews } from './analysis/registerAnalysisViews';
import { isSweepPanelState } from '../webview/sweep/protocol';
import { SweepDocuments } from './sweeps/sweepDocuments';
import { SweepLauncher } from './sweeps/sweepLauncher';
import { SWEEP_FILE_SELECTOR, SweepLensProvider } from './sweeps/sweepLens';
import { SweepService } from './sweeps/sweepService';
import { onDidShowError, type ShownError } from './util/errorNotification';
import { NativeOffer } from './native/nativeOffer';
import { NativeSetup, nativeSetupSupported } from './native/nativeSetup';

let trainer: TrainerService | undefined;
let manager: RunManager | undefined;

/** What activate() returns: used by the tests that run inside VS Code. */
export interface LrcDistillApi {
  trainer: { hello: TrainerService['ensureReady']; readonly pid: number | undefined; service: TrainerService };
  manager: RunManager;
  explorer: RunExplorer;
  statusBar: RunStatusBar;
  dashboards: { get: (runId?: string) => DashboardPanel | undefined };
  sweeps: { service: SweepService; panels: { get: (sweepId: string) => SweepPanel | undefined } };
  /** Every error notification shown through showError, as it is shown. */
  notifications: { onDidShowError: vscode.Event<ShownError> };
  /** The native TensorFlow backend's set-up (lrcDistill.setupNativeBackend) and the offer to run it. */
  native: { setup: NativeSetup; offer: NativeOffer };
}

export function activate(context: vscode.ExtensionContext): LrcDistillApi {
  const output = vscode.window.createOutputChannel('LRC Distill', { log: true });
  trainer = new TrainerService(context.extensionUri, output);
  const cliJs = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  // The Slurm polls run `sweep status` every ~10 s: their command lines go to the log at trace level.
  const pollCli = new CliRunner(cliJs, (line) => output.trace(`[cli] ${line}`));
  const sweeps = new SweepService(pollCli, output);
  const runs = new RunExplorer(sweeps);
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
  const cli = new CliRunner(cliJs, (line) => output.info(`[cli] ${line}`));
  const treeView = vscode.window.createTreeView(RunExplorer.viewId, { treeDataProvider: runs, showCollapseAll: true });
  const dashboards: DashboardDeps = { extensionUri: context.extensionUri, trainer, manager: runManager, output };
  const statusBar = new RunStatusBar(runManager);
  const sweepOutput = vscode.window.createOutputChannel('LRC Sweeps');
  const sweepPanels: SweepPanelDeps = { extensionUri: context.extensionUri, sweeps, output };
  const sweepTools: SweepTools = {
    service: sweeps,
    launcher: new SweepLauncher(cliJs, context.logUri.fsPath, { line: (text) => sweepOutput.appendLine(text) }),
    documents: new SweepDocuments(sweeps),
    output: sweepOutput,
    panels: sweepPanels,
  };
  const sweepLens = new SweepLensProvider(sweeps);
  const native = new NativeSetup(cliJs, context.extensionUri.fsPath, output);
  const nativeOffer = new NativeOffer(context.globalState, [trainer.onDidReportBackend, runManager.onDidReportBackend]);
  void vscode.commands.executeCommand('setContext', 'lrcDistill.nativeSetupSupported', nativeSetupSupported());
  const ctx: CommandContext = { extensionUri: context.extensionUri, trainer, runs, treeView, manager: runManager, cli, output, dashboards, sweeps: sweepTools, native };

  context.subscriptions.push(
    output,
    trainer,
    runManager,
    cli,
    pollCli,
    native,
    nativeOffer,
    sweeps,
    sweepOutput,
    sweepTools.launcher,
    sweepTools.documents,
    runs,
    treeView,
    statusBar,
    new RunContextKeys(runManager, runsFolder),
    new SweepContextKeys(sweeps),
    sweepLens,
    vscode.languages.registerCodeLensProvider(SWEEP_FILE_SELECTOR, sweepLens),
    vscode.window.registerWebviewPanelSerializer(SweepPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        if (isSweepPanelState(state) && sweeps.get(state.sweepId)) SweepPanel.revive(panel, sweepPanels, state.sweepId);
        else panel.dispose();
      },
    }),
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
    sweeps: { service: sweeps, panels: { get: (sweepId) => SweepPanel.get(sweepId) } },
    notifications: { onDidShowError },
    native: { setup: native, offer: nativeOffer },
  };
}

export async function deactivate(): Promise<void> {
  await Promise.all([manager?.shutdown(), trainer?.stop()]);
  manager = undefined;
  trainer = undefined;
}
