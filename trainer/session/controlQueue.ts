// Control requests to a running session, from two sources: the host over IPC (push) and the run's
// control.jsonl (one request a line, appended by any process: the extension steering a run that the CLI
// started). The session drains the queue between steps.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { duplicateKeyError, findDuplicateKey } from '../errors';
import { ControlRequestSchema, type ControlRequest } from '../protocol';
import { describeZodError } from '../server';

export class ControlQueue {
  private readonly queue: ControlRequest[] = [];
  private fileOffset = 0;
  /** Lines of the control file before fileOffset, so that a warning names the line. */
  private fileLines = 0;

  constructor(
    private readonly controlFile: string,
    private readonly log: (level: 'warn', message: string) => void,
  ) {
    // Requests written before this session started belong to an earlier one.
    if (existsSync(controlFile)) {
      const before = readFileSync(controlFile);
      this.fileOffset = before.length;
      for (const byte of before) if (byte === 10) this.fileLines += 1;
    }
  }

  push(request: ControlRequest): void {
    this.queue.push(request);
  }

  /** Every request received since the last call, oldest first. */
  drain(): ControlRequest[] {
    this.readFile();
    return this.queue.splice(0, this.queue.length);
  }

  private readFile(): void {
    if (!existsSync(this.controlFile)) return;
    const size = statSync(this.controlFile).size;
    if (size <= this.fileOffset) return;
    const fd = openSync(this.controlFile, 'r');
    const buffer = Buffer.alloc(size - this.fileOffset);
    try {
      readSync(fd, buffer, 0, buffer.length, this.fileOffset);
    } finally {
      closeSync(fd);
    }
    const text = buffer.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return; // a line still being written
    this.fileOffset += Buffer.byteLength(text.slice(0, end + 1));
    for (const line of text.slice(0, end).split('\n')) {
      this.fileLines += 1;
      if (!line.trim()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        this.log('warn', `${this.controlFile}:${this.fileLines}: ignored a line that is not JSON: ${line.slice(0, 80)}`);
        continue;
      }
      // JSON.parse keeps the last of a key given twice ({"type":"setWeights","alpha":1,"alpha":0}): which
      // one was meant is not known, so the request is not applied
      const duplicate = findDuplicateKey(line);
      if (duplicate) {
        this.log('warn', `ignored the request: ${duplicateKeyError(this.controlFile, { ...duplicate, line: this.fileLines }).message}`);
        continue;
      }
      const parsed = ControlRequestSchema.safeParse(raw);
      if (parsed.success) this.queue.push(parsed.data);
      else this.log('warn', `${this.controlFile}: ignored an invalid request (${describeZodError(parsed.error)}): ${line.slice(0, 80)}`);
    }
  }
}
