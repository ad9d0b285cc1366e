// Builds the native TensorFlow backend from the extension: `lrc-distill setup-native` in a child process
// (setupNativeProcess.ts) under a cancellable progress notification whose message is the CLI's step
// line ("2/5 npm install ...", with the bar at 2/5). One build at a time; the result says what was
// built (the manifest, read with the trainer's own module), or the CLI's one-line error and its log,
// or that it was cancelled. A running build is killed when the extension is disposed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nativeHome, readManifest, type NativeManifest } from '../../trainer/backend/native/nativeHome';
import { WHEELS, type NativeVariant } from '../../trainer/backend/native/pins';
import { Disposable } from '../util/disposable';
import { logFileOf, type StepLine } from './setupNativeOutput';
import { SetupNativeProcess, type SetupNativeArgs } from './setupNativeProcess';

export interface NativeSetupResult {
  outcome: 'built' | 'failed' | 'cancelled' | 'busy' | 'unsupported';
  /** One line for the user. */
  message: string;
  variant: NativeVariant;
  home: string;
  /** The CLI's pid (its process group). */
  pid?: number;
  /** The step lines shown, in order. */
  steps: string[];
  manifest?: NativeManifest;
  /** The build log the CLI named, on failure. */
  logFile?: string;
}

/** setup-native builds from TensorFlow's manylinux x86_64 wheels only. */
export function nativeSetupSupported(platform = process.platform, arch = process.arch): boolean {
  return platform === 'linux' && arch === 'x64';
}

/** The pinned wheel of `variant` is in the native home's cache (a build downloads nothing big). */
export function wheelCached(variant: NativeVariant, home = nativeHome()): boolean {
  return existsSync(join(home, 'wheels', WHEELS[variant].file));
}

export class NativeSetup extends Disposable {
  private current: SetupNativeProcess | undefined;
  private readonly stepped = this.register(new vscode.EventEmitter<StepLine>());

  /** Each step line of a running build, as the progress notification shows it. */
  readonly onDidStep = this.stepped.event;

  constructor(
    private readonly cliJs: string,
    private readonly cwd: string,
    private readonly output: vscode.LogOutputChannel,
  ) {
    super();
    this.register({ dispose: () => this.current?.dispose() });
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Cancels the running build, as the progress notification's Cancel button does. */
  cancel(): void {
    this.current?.cancel();
  }

  async build(args: SetupNativeArgs): Promise<NativeSetupResult> {
    const variant: NativeVariant = args.gpu ? 'gpu' : 'cpu';
    const home = nativeHome();
    const steps: string[] = [];
    if (!nativeSetupSupported()) {
      return { outcome: 'unsupported', variant, home, steps, message: `the native TensorFlow backend is built from TensorFlow's Linux x86_64 wheels; this is ${process.platform}-${process.arch}` };
    }
    if (this.current) return { outcome: 'busy', variant, home, steps, message: 'a native backend build is already running (its progress is in the notifications)' };
    const proc = (this.current = new SetupNativeProcess(this.cliJs, this.cwd));
    this.output.info(`[setup-native] building the ${variant} backend in ${home}${args.wheel ? ` from ${args.wheel}` : ''}`);
    try {
      const exit = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LRC: building the native TensorFlow backend (${variant === 'gpu' ? 'GPU' : 'CPU'})`, cancellable: true },
        async (progress, token) => {
          const onCancel = token.onCancellationRequested(() => proc.cancel());
          progress.report({ message: 'starting lrc-distill setup-native' });
          try {
            return await proc.run(args, {
              onStep: (s) => {
                const line = `${s.step}/${s.total} ${s.text}`;
                steps.push(line);
                progress.report({ message: line, increment: 100 / s.total });
                this.stepped.fire(s);
              },
              onLine: (line) => this.output.info(`[setup-native] ${line}`),
            });
          } finally {
            onCancel.dispose();
          }
        },
      );
      const base = { variant, home, pid: exit.pid, steps };
      if (exit.code === 0 && !exit.signal) {
        const manifest = readManifest(variant, home);
        if (!manifest) return { ...base, outcome: 'failed', message: `setup-native finished but ${join(home, variant)} holds no build` };
        return { ...base, outcome: 'built', manifest, message: `native TensorFlow backend ready: TensorFlow ${manifest.tensorflowVersion} from the ${manifest.wheel.file.split('-')[0]} wheel, ${manifest.package}@${manifest.tfjsNodeVersion}${variant === 'gpu' ? (manifest.smoke.gpu ? ', on the GPU' : ', but TensorFlow found no GPU here (it runs on the CPU)') : ', CPU'}` };
      }
      if (exit.cancelled) {
        const killed = exit.signal === 'SIGKILL';
        return { ...base, outcome: 'cancelled', message: killed ? `setup-native did not stop within 20 s and was killed: a half-built folder may be left in ${home}` : 'native backend build cancelled; nothing was installed' };
      }
      const line = exit.error ?? `setup-native ended with ${exit.signal ?? `exit code ${exit.code}`}`;
      return { ...base, outcome: 'failed', message: line, logFile: logFileOf(line) };
    } finally {
      this.current = undefined;
    }
  }
}
