// Every command of the extension, by id, as factories over the extension's context (extension.ts
// registers them). Run commands live in commands/runCommands.ts, model commands in commands/studentCommands.ts,
// sweep commands in commands/sweepCommands.ts.
import * as vscode from 'vscode';
import { guarded, showError, type CommandContext, type CommandFactory } from './commands/context';
import { runCommands } from './commands/runCommands';
import { studentCommands } from './commands/studentCommands';
import { sweepCommands } from './commands/sweepCommands';

export { showError, type CommandContext };

const trainerCommands: Record<string, CommandFactory> = {
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

  'lrcDistill.refreshRuns': (ctx) => guarded(ctx, 'Refresh Runs', () => {
    ctx.sweeps.service.refresh();
    ctx.runs.refresh(true);
  }),
};

export const commands: Record<string, CommandFactory> = { ...trainerCommands, ...runCommands, ...studentCommands, ...sweepCommands };
