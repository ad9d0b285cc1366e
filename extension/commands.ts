// Every command of the extension, by id, as factories over the extension's context (extension.ts
// registers them). Run commands live in commands/runCommands.ts, model commands in commands/studentCommands.ts,
// sweep commands in commands/sweepCommands.ts (Export Recommended Student in commands/frontCommands.ts), the
// native backend's set-up in commands/nativeCommands.ts.
import * as vscode from 'vscode';
import { guarded, showError, type CommandContext, type CommandFactory } from './commands/context';
import { frontCommands } from './commands/frontCommands';
import { nativeCommands } from './commands/nativeCommands';
import { BUILD_NATIVE } from './native/nativeOffer';
import { backendSummary, notInstalledRejection } from './native/nativeOfferPolicy';
import { nativeSetupSupported } from './native/nativeSetup';
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
      // a trainer off TensorFlow because tfjs-node is not installed: the message offers to build it
      const offer = hello.backend.backend !== 'tensorflow' && notInstalledRejection(hello.backend) && nativeSetupSupported() ? [BUILD_NATIVE] : [];
      void vscode.window.showInformationMessage(backendSummary(hello.backend, hello.pid), ...offer).then((choice) => {
        if (choice === BUILD_NATIVE) void vscode.commands.executeCommand('lrcDistill.setupNativeBackend');
      });
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

export const commands: Record<string, CommandFactory> = { ...trainerCommands, ...runCommands, ...studentCommands, ...sweepCommands, ...frontCommands, ...nativeCommands };
