// Reading what `lrc-distill setup-native` prints (trainer/cli/setupNativeCommand.ts): a line per step on
// stdout ("2/5 npm install ..."), notes, and on failure one line on stderr that ends with the build
// log's path ("setup-native: <what is missing and how to fix it> (log: <file>; nothing was installed)").
// Pure, so that the progress notification and the error notification are tested without a build.

export interface StepLine {
  step: number;
  total: number;
  text: string;
}

/** "3/5 laying out ..." as a step, or undefined for any other line. */
export function parseStepLine(line: string): StepLine | undefined {
  const m = /^(\d+)\/(\d+) (.+)$/.exec(line.trim());
  if (!m) return undefined;
  const step = Number(m[1]);
  const total = Number(m[2]);
  return step >= 1 && step <= total ? { step, total, text: m[3] } : undefined;
}

/** Splits a stream's chunks into whole lines; `flush` gives the last one when the stream ends. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.rest + chunk).split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.onLine(line);
  }

  flush(): void {
    if (this.rest.trim()) this.onLine(this.rest);
    this.rest = '';
  }
}

/** The CLI's error: its last non-empty stderr line (a UserError is one line) without the program's
 * name, else the exit. */
export function failureLine(stderr: string, exit: { code: number | null; signal: string | null }): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1];
  return last ? last.replace(/^lrc-distill: /, '') : `setup-native ended with ${exit.signal ?? `exit code ${exit.code}`} and printed no error`;
}

/** The build log named in the CLI's error line, if any. */
export function logFileOf(line: string): string | undefined {
  return /\(log: ([^;)]+?)(?:;|\))/.exec(line)?.[1];
}
