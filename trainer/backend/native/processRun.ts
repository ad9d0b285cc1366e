// Running the tools of the native build (pip, npm, node-gyp, the smoke test) as child processes: their
// output goes to the build log, and a failure becomes one line with the command and the tool's own last
// words, so that the user sees what is missing without reading the log.
import { spawn } from 'node:child_process';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** spawn's own error (ENOENT: the program is not installed). */
  error?: NodeJS.ErrnoException;
}

export function runTool(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const forward = (chunk: Buffer, into: 'stdout' | 'stderr') => {
      const text = chunk.toString('utf8');
      if (into === 'stdout') stdout += text;
      else stderr += text;
      if (options.log) for (const line of text.split('\n')) if (line.trim()) options.log(line);
    };
    child.stdout.on('data', (c: Buffer) => forward(c, 'stdout'));
    child.stderr.on('data', (c: Buffer) => forward(c, 'stderr'));
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ status: null, stdout, stderr, error }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The last meaningful line a tool printed (its error), cut to a readable length. */
export function lastWords(run: ToolRun): string {
  if (run.error) return run.error.message;
  const lines = `${run.stderr}\n${run.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const errorLine = [...lines].reverse().find((l) => /error|not found|cannot|could not|no such|denied|fatal/i.test(l));
  const line = errorLine ?? lines[lines.length - 1] ?? `exit ${run.status}`;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
