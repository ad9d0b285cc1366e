// Runs `node dist/cli.js setup-native [--gpu] [--wheel <file>]` as a child process of its own process
// group, so that a cancel reaches the tool of the current step too (pip, npm, node-gyp's make and g++):
// SIGTERM to the group, the CLI's step fails and removes its build folder, and nothing is installed
// (trainer/cli/setupNativeCommand.ts). A group that has not ended 20 s later is killed. Its step lines
// are reported as they come; every stream has an error handler; dispose kills a running build.
import { spawn, type ChildProcess } from 'node:child_process';
import { failureLine, LineSplitter, parseStepLine, type StepLine } from './setupNativeOutput';

export interface SetupNativeArgs {
  gpu: boolean;
  /** A wheel file or folder the user already has (no pip download of TensorFlow). */
  wheel?: string;
}

export interface SetupNativeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process group's id (the CLI's pid). */
  pid: number | undefined;
  cancelled: boolean;
  /** The CLI's error line when it did not succeed. */
  error?: string;
  stdout: string;
}

export interface SetupNativeHandlers {
  onStep(step: StepLine): void;
  /** Every line the CLI printed (stdout and stderr), for the output channel. */
  onLine(line: string): void;
}

const KILL_AFTER_MS = 20_000;

export class SetupNativeProcess {
  private child: ChildProcess | undefined;
  private cancelled = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cliJs: string,
    private readonly cwd: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  run(args: SetupNativeArgs, handlers: SetupNativeHandlers): Promise<SetupNativeExit> {
    if (this.child) return Promise.reject(new Error('setup-native is already running'));
    const argv = [this.cliJs, 'setup-native', ...(args.gpu ? ['--gpu'] : []), ...(args.wheel ? ['--wheel', args.wheel] : [])];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, argv, {
        cwd: this.cwd,
        // Inside Electron, process.execPath is the editor: run it as plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      this.child = child;
      let stdout = '';
      let stderr = '';
      const out = new LineSplitter((line) => {
        handlers.onLine(line);
        const step = parseStepLine(line);
        if (step) handlers.onStep(step);
      });
      const err = new LineSplitter((line) => handlers.onLine(line));
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        out.push(d);
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        err.push(d);
      });
      child.stdout!.on('error', (e) => handlers.onLine(`setup-native stdout error: ${e.message}`));
      child.stderr!.on('error', (e) => handlers.onLine(`setup-native stderr error: ${e.message}`));
      child.on('error', (e) => {
        this.finish();
        reject(new Error(`could not run the CLI (${process.execPath} ${this.cliJs}): ${e.message}`));
      });
      child.on('close', (code, signal) => {
        out.flush();
        err.flush();
        this.finish();
        const ok = code === 0 && !signal;
        resolve({ code, signal, pid: child.pid, cancelled: this.cancelled, stdout, error: ok ? undefined : failureLine(stderr, { code, signal }) });
      });
    });
  }

  /** Cancels a running build: SIGTERM to its process group, SIGKILL if it is still there 20 s later. */
  cancel(): void {
    if (!this.child || this.cancelled) return;
    this.cancelled = true;
    this.signalGroup('SIGTERM');
    this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), KILL_AFTER_MS);
  }

  dispose(): void {
    if (this.child) this.signalGroup('SIGKILL');
    this.finish();
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group has ended
    }
  }

  private finish(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = undefined;
    this.child = undefined;
  }
}
