// Follows a run's metrics.jsonl: each read returns the complete lines appended since the last one.
// A line still being written (no newline yet) waits for the next read; a bad line is reported, not thrown.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { MetricsRecord } from '../../trainer/runs/metricsLog';

export class MetricsTail {
  private offset = 0;

  constructor(
    readonly file: string,
    private readonly onBadLine: (message: string) => void = () => undefined,
  ) {}

  /** Starts again from the beginning of the file. */
  reset(): void {
    this.offset = 0;
  }

  /** The records appended since the last read (all of them on the first read). */
  read(): MetricsRecord[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size < this.offset) this.offset = 0; // the file was replaced
    if (size === this.offset) return [];
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const end = buffer.lastIndexOf(0x0a);
    if (end < 0) return [];
    const startLine = this.offset;
    this.offset += end + 1;
    const out: MetricsRecord[] = [];
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const value = JSON.parse(line) as Partial<MetricsRecord>;
        if (typeof value === 'object' && value !== null && typeof value.type === 'string' && typeof value.step === 'number') out.push(value as MetricsRecord);
        else this.onBadLine(`${this.file}: a record without a string 'type' and a numeric 'step' was skipped: ${line.slice(0, 80)}`);
      } catch {
        this.onBadLine(`${this.file} (after byte ${startLine}): a line that is not JSON was skipped: ${line.slice(0, 80)}`);
      }
    }
    return out;
  }
}

/** The last progress record of a metrics file, reading only its tail. */
export function lastProgress(file: string, tailBytes = 16_384): MetricsRecord | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  const length = Math.min(size, tailBytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer.toString('utf8').split('\n').slice(0, -1).reverse();
  for (const line of lines) {
    if (!line.includes('"type":"progress"')) continue;
    try {
      return JSON.parse(line) as MetricsRecord;
    } catch {
      // the first line of the tail may be cut: keep looking
    }
  }
  return undefined;
}
