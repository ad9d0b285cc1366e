// Activation: the output channel, the trainer service, the run explorer, the panels' serializers and
// the commands. Everything goes into context.subscriptions; deactivate stops the trainer cleanly.
import * as vscode from 'vscode';
import { commands, type CommandContext } from './commands';
import { DashboardPanel } from './panels/dashboardPanel';
import { TrainerService } from './trainer/trainerService';
import { RunExplorer } from './views/runExplorer';

let trainer: TrainerService | undefined;

/** What activate() returns: used by the tests that run inside VS Code. */
export interface LrcDistillApi {
  trainer: { hello: TrainerService['ensureReady']; readonly pid: number | undefined; service: TrainerService };
}

export function activate(context: vscode.ExtensionContext): LrcDistillApi {
  const output = vscode.window.createOutputChannel('LRC Distill', { log: true });
  trainer = new TrainerService(context.extensionUri, output);
  const runs = new RunExplorer();
  const ctx: CommandContext = { extensionUri: context.extensionUri, trainer, runs, output };

  context.subscriptions.push(
    output,
    trainer,
    runs,
    vscode.window.registerTreeDataProvider(RunExplorer.viewId, runs),
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, {
      deserializeWebviewPanel: async (panel) => void DashboardPanel.revive(panel, context.extensionUri, ctx.trainer),
    }),
    ...Object.entries(commands).map(([id, factory]) => vscode.commands.registerCommand(id, factory(ctx))),
  );
  const service = trainer;
  return { trainer: { hello: () => service.ensureReady(), get pid() { return service.pid; }, service } };
}

export async function deactivate(): Promise<void> {
  await trainer?.stop();
  trainer = undefined;
}
