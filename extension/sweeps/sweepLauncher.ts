// Starts the CLI commands that execute a sweep (`lrc-distill sweep <file>`, `sweep resume <sweep>`) as
// processes of their own: a process group apart from the extension host, with its output written to a
// log file rather than a pipe, so that a local pool of workers goes on when the panel closes and also
// when this window closes or reloads (the explorer picks the sweep up again from its folder; Cancel
// Sweep stops it). While the window is open, the log is copied line by line into the "LRC Sweeps"
// output channel, and the end of the process is reported.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Disposable } from '../util/disposable';

export interface LaunchExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The CLI's error line ("lrc-distill: ..." without the prefix), when it printed one. */
  error?: string;
  /** Every line it printed. */
  lines: string[];
}

export interface Launch {
  pid: number;
  /** The line that `ready` accepted, or undefined when the process exited first. */
  readyLine?: string;
  /** Resolves when the process exits (never while this window is closed). */
  exited: Promise<LaunchExit>;
  /** Set once exited. */
  exit?: LaunchExit;
  log: string;
}

export interface LaunchSink {
  /** A line of the CLI's output. */
  line(text: string): void;
}

const TAIL_MS = 250;

export class SweepLauncher extends Disposable {
  private readonly tails = new Set<NodeJS.Timeout>();
  private count = 0;

  constructor(
    private readonly script: string,
    private readonly logDir: string,
    private readonly sink: LaunchSink,
  ) {
    super();
    this.register({ dispose: () => this.tails.forEach((t) => clearInterval(t)) });
  }

  /**
   * Runs `node dist/cli.js <args>` in `cwd`, detached. Resolves once a line of its output satisfies
   * `ready` (the sweep was created, the pool started, the jobs were submitted), or once it exits.
   */
  start(args: string[], cwd: string, ready: (line: string) => boolean): Promise<Launch> {
    mkdirSync(this.logDir, { recursive: true });
    const log = join(this.logDir, `sweep-${new Date().toISOString().replace(/[:.]/g, '-')}-${++this.count}.log`);
    const fd = openSync(log, 'a');
    let child;
    try {
      child = spawn(process.execPath, [this.script, ...args], {
        cwd,
        detached: true,
        // Inside Electron, process.execPath is the editor: run it as plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    child.unref();
    this.sink.line(`$ lrc-distill ${args.join(' ')}   (pid ${child.pid}, log ${log})`);
    const lines: string[] = [];
    let offset = 0;
    let partial = '';
    let onLine: ((line: string) => void) | undefined;
    let reading = false;
    const readMore = async (final = false): Promise<void> => {
      if (reading && !final) return;
      reading = true;
      try {
        const handle = await open(log, 'r');
        try {
          for (;;) {
            const buffer = Buffer.alloc(64 * 1024);
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
            if (bytesRead === 0) break;
            offset += bytesRead;
            partial += buffer.subarray(0, bytesRead).toString('utf8');
            const parts = partial.split('\n');
            partial = parts.pop() ?? '';
            for (const l of parts) {
              lines.push(l);
              this.sink.line(l);
              onLine?.(l);
            }
          }
          if (final && partial) {
            lines.push(partial);
            this.sink.line(partial);
            onLine?.(partial);
            partial = '';
          }
        } finally {
          await handle.close();
        }
      } catch {
        // the log is gone (its folder was removed): nothing more to copy
      } finally {
        reading = false;
      }
    };
    const tail = setInterval(() => void readMore(), TAIL_MS);
    this.tails.add(tail);
    const exited = new Promise<LaunchExit>((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        clearInterval(tail);
        this.tails.delete(tail);
        // Wait for a tail read in progress, then read what is left.
        const finish = async () => {
          while (reading) await new Promise((r) => setTimeout(r, 20));
          await readMore(true);
          const error = [...lines].reverse().find((l) => l.startsWith('lrc-distill: '))?.slice('lrc-distill: '.length);
          this.sink.line(`(lrc-distill ${args[0]}${args[1] && !args[1].startsWith('-') ? ` ${args[1]}` : ''} exited: ${signal ?? `code ${code}`})`);
          resolve({ code, signal, lines, ...(error ? { error } : {}) });
        };
        void finish();
      };
      child.on('error', (e) => {
        lines.push(`lrc-distill: could not start the CLI: ${e.message}`);
        done(null, null);
      });
      child.on('exit', done);
    });
    const launch: Launch = { pid: child.pid ?? -1, exited, log };
    void exited.then((e) => (launch.exit = e));
    return new Promise<Launch>((resolve) => {
      onLine = (l) => {
        if (launch.readyLine === undefined && ready(l)) {
          launch.readyLine = l;
          resolve(launch);
        }
      };
      void exited.then(() => resolve(launch));
    });
  }
}
