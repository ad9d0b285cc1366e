// LRC: Set Up Native TensorFlow Backend. Asks CPU or GPU (or a wheel file the user has) unless told,
// builds through `lrc-distill setup-native` under a cancellable progress notification
// (native/nativeSetup.ts), then offers to restart the trainer so that it loads the new backend (the
// runs started from then on use it), or shows the CLI's one-line error with "Show Log" (its build log).
import * as vscode from 'vscode';
import { TENSORFLOW_VERSION, type NativeVariant } from '../../trainer/backend/native/pins';
import { buildCost } from '../native/nativeOfferPolicy';
import { nvidiaDriverPresent } from '../native/nativeOffer';
import { wheelCached, type NativeSetupResult } from '../native/nativeSetup';
import type { SetupNativeArgs } from '../native/setupNativeProcess';
import { guarded, type CommandFactory } from './context';

export const RESTART_TRAINER = 'Restart Trainer';

/** The command's argument: { gpu, wheel? } skips the question. */
function argsOf(arg: unknown): SetupNativeArgs | undefined {
  if (typeof arg !== 'object' || arg === null || typeof (arg as { gpu?: unknown }).gpu !== 'boolean') return undefined;
  const { gpu, wheel } = arg as { gpu: boolean; wheel?: unknown };
  return { gpu, wheel: typeof wheel === 'string' ? wheel : undefined };
}

async function pickArgs(): Promise<SetupNativeArgs | undefined> {
  type Item = vscode.QuickPickItem & { variant: NativeVariant; fromFile?: boolean };
  const gpuHere = nvidiaDriverPresent();
  const items: Item[] = [
    { variant: 'cpu', label: '$(chip) CPU', description: buildCost('cpu', wheelCached('cpu')), detail: `@tensorflow/tfjs-node on TensorFlow ${TENSORFLOW_VERSION} from the tensorflow-cpu wheel` },
    {
      variant: 'gpu',
      label: '$(rocket) GPU (CUDA 12)',
      description: buildCost('gpu', wheelCached('gpu')),
      detail: `@tensorflow/tfjs-node-gpu on TensorFlow ${TENSORFLOW_VERSION} and NVIDIA's CUDA wheels${gpuHere ? '' : '; no NVIDIA driver is loaded here, so TensorFlow would run on the CPU'}`,
    },
    { variant: 'cpu', fromFile: true, label: '$(file-binary) CPU, from a wheel file I have…', detail: 'for a machine without PyPI: a tensorflow_cpu-*.whl downloaded elsewhere' },
  ];
  if (gpuHere) items.unshift(items.splice(1, 1)[0]);
  const pick = await vscode.window.showQuickPick(items, { title: 'LRC: Set Up Native TensorFlow Backend', placeHolder: 'Build the native TensorFlow backend for…' });
  if (!pick) return undefined;
  if (!pick.fromFile) return { gpu: pick.variant === 'gpu' };
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Python wheel': ['whl'] }, openLabel: 'Build From This Wheel' });
  return files?.[0] ? { gpu: false, wheel: files[0].fsPath } : undefined;
}

export const nativeCommands: Record<string, CommandFactory> = {
  'lrcDistill.setupNativeBackend': (ctx) =>
    guarded(ctx, 'Set Up Native TensorFlow Backend', async (arg?: unknown): Promise<NativeSetupResult | undefined> => {
      const args = argsOf(arg) ?? (await pickArgs());
      if (!args) return undefined;
      const result = await ctx.native.build(args);
      ctx.output.info(`[setup-native] ${result.outcome}: ${result.message}`);
      if (result.outcome === 'built') {
        const trainerRunning = ctx.trainer.pid !== undefined;
        const text = `LRC Distill: ${result.message}. ${trainerRunning ? 'Restart the trainer to use it; runs started from now on use it.' : 'Runs started from now on use it.'}`;
        void (trainerRunning ? vscode.window.showInformationMessage(text, RESTART_TRAINER) : vscode.window.showInformationMessage(text)).then((choice) => {
          if (choice === RESTART_TRAINER) void vscode.commands.executeCommand('lrcDistill.restartTrainer');
        });
      } else if (result.outcome === 'failed') {
        void vscode.window.showErrorMessage(`LRC Distill: ${result.message}`, 'Show Log').then((choice) => {
          if (choice !== 'Show Log') return;
          if (result.logFile) void vscode.window.showTextDocument(vscode.Uri.file(result.logFile), { preview: true });
          else ctx.output.show(true);
        });
      } else {
        void vscode.window.showInformationMessage(`LRC Distill: ${result.message}`);
      }
      return result;
    }),

  'lrcDistill.restartTrainer': (ctx) =>
    guarded(ctx, 'Restart Trainer', async () => {
      const hello = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'LRC: restarting the trainer…' }, () => ctx.trainer.restart());
      void vscode.window.showInformationMessage(`LRC trainer (pid ${hello.pid}): backend ${hello.backend.backend} on ${hello.backend.device}`);
      return hello;
    }),
};
