// What every command works with, and how a failing command tells the user.
import * as vscode from 'vscode';
import type { NativeSetup } from '../native/nativeSetup';
import type { DashboardDeps } from '../panels/dashboardPanel';
import type { CliRunner } from '../trainer/cliProcess';
import { UNTRUSTED_MESSAGE, type RunManager } from '../trainer/runManager';
import type { TrainerService } from '../trainer/trainerService';
import type { ExplorerNode } from '../views/runTreeItems';
import type { RunExplorer } from '../views/runExplorer';
import { showErrorWithLocation } from '../util/errorNotification';
import type { SweepTools } from './sweepCommands';

export interface CommandContext {
  extensionUri: vscode.Uri;
  trainer: TrainerService;
  runs: RunExplorer;
  treeView?: vscode.TreeView<ExplorerNode>;
  manager: RunManager;
  cli: CliRunner;
  output: vscode.LogOutputChannel;
  dashboards: DashboardDeps;
  sweeps: SweepTools;
  native: NativeSetup;
}

export type CommandFactory = (ctx: CommandContext) => (...args: unknown[]) => unknown;

/** An error notification with "Show Log" (and "Manage Workspace Trust" when trust is the reason, "Open File" when it names a file:line). */
export async function showError(ctx: Pick<CommandContext, 'output'>, message: string, extra: string[] = []): Promise<string | undefined> {
  const untrusted = message.includes(UNTRUSTED_MESSAGE);
  const actions = [...extra, ...(untrusted ? ['Manage Workspace Trust'] : []), 'Show Log'];
  const choice = await showErrorWithLocation(`LRC Distill: ${message}`, ...actions);
  if (choice === 'Show Log') ctx.output.show(true);
  if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
  return choice;
}

/** Runs a command body; an error is logged and shown (never thrown at the workbench), the result is undefined. */
export function guarded<A extends unknown[], R>(ctx: CommandContext, name: string, body: (...args: A) => Promise<R> | R): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      ctx.output.error(`${name}: ${message}`);
      void showError(ctx, message);
      return undefined;
    }
  };
}
