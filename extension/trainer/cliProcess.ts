// Runs the headless CLI (dist/cli.js) for one-off work: evaluation and export. Every child is tracked
// and killed on cancellation and on dispose; its output is collected and logged.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export class CliRunner {
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly script: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs `node dist/cli.js <args>` in `cwd`; resolves when it exits (any exit code). */
  run(args: string[], cwd: string, cancel?: { onCancellationRequested(listener: () => void): unknown }): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.script, ...args], {
        cwd,
        // Inside Electron, process.execPath is the editor: run it as plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.children.add(child);
      this.log(`lrc-distill ${args.join(' ')} (pid ${child.pid})`);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        this.log(d.trimEnd());
      });
      child.stdout.on('error', (e) => this.log(`cli stdout error: ${e.message}`));
      child.stderr.on('error', (e) => this.log(`cli stderr error: ${e.message}`));
      cancel?.onCancellationRequested(() => child.kill('SIGKILL'));
      child.on('error', (e) => {
        this.children.delete(child);
        reject(new Error(`could not run the CLI: ${e.message}`));
      });
      child.on('exit', (code, signal) => {
        this.children.delete(child);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  dispose(): void {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
  }
}
