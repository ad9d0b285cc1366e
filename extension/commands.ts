// Command factories over the extension's context, registered in extension.ts by id.
import * as vscode from 'vscode';
import { DashboardPanel } from './panels/dashboardPanel';
import type { RunExplorer } from './views/runExplorer';
import type { TrainerService } from './trainer/trainerService';

export interface CommandContext {
  extensionUri: vscode.Uri;
  trainer: TrainerService;
  runs: RunExplorer;
  output: vscode.LogOutputChannel;
}

type CommandFactory = (ctx: CommandContext) => (...args: unknown[]) => unknown;

export const commands: Record<string, CommandFactory> = {
  'lrcDistill.openDashboard': (ctx) => () => DashboardPanel.createOrShow(ctx.extensionUri, ctx.trainer),

  'lrcDistill.showTrainerBackend': (ctx) => async () => {
    try {
      const hello = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'LRC: starting the trainer…' },
        () => ctx.trainer.ensureReady(),
      );
      const rejected = hello.backend.rejected.map((r) => r.name).join(', ');
      void vscode.window.showInformationMessage(
        `LRC trainer (pid ${hello.pid}): backend ${hello.backend.backend} on ${hello.backend.device}` +
          (rejected ? `. Not available: ${rejected} (see the log).` : '.'),
      );
      return hello;
    } catch (e) {
      void showError(ctx, (e as Error).message);
      return undefined;
    }
  },

  'lrcDistill.showTrainerLog': (ctx) => () => ctx.output.show(true),

  'lrcDistill.refreshRuns': (ctx) => () => ctx.runs.refresh(),
};

export async function showError(ctx: CommandContext, message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(`LRC Distill: ${message}`, 'Show Log');
  if (choice === 'Show Log') ctx.output.show(true);
}
