// metrics.jsonl: one JSON object a line, appended as training goes. A crash can cut the last line
// short; the reader skips such a final fragment, but a bad line in the middle is an error that names it.
// A session that goes on with the file first sets such a fragment aside (setAsideTornLine), so that its
// own records do not glue onto it and make a bad line in the middle.
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { excerpt, InputError, shown } from '../errors';

export type MetricsRecord = { type: string; step: number; time: string } & Record<string, unknown>;

export function appendMetrics(file: string, record: MetricsRecord): void {
  appendFileSync(file, JSON.stringify(record) + '\n');
}

/**
 * A last line without its newline (a crash cut it short) is appended to `<file>.torn` and cut from the
 * file, which then ends at its last complete line. Nothing is lost: the fragment is kept as it was.
 */
export function setAsideTornLine(file: string): { bytes: number; file: string } | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  if (size === 0) return undefined;
  const fd = openSync(file, 'r');
  let tail: Buffer;
  try {
    // the fragment is at most one record: read back from the end until a newline
    let start = size;
    tail = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.alloc(Math.min(65536, start));
      start -= chunk.length;
      readSync(fd, chunk, 0, chunk.length, start);
      tail = Buffer.concat([chunk, tail]);
      if (chunk.includes(0x0a) || start === 0) break;
    }
  } finally {
    closeSync(fd);
  }
  if (tail[tail.length - 1] === 0x0a) return undefined;
  const fragment = tail.subarray(tail.lastIndexOf(0x0a) + 1);
  const aside = `${file}.torn`;
  const out = openSync(aside, 'a');
  try {
    writeSync(out, Buffer.concat([fragment, Buffer.from('\n')]));
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
  truncateSync(file, size - fragment.length);
  return { bytes: fragment.length, file: aside };
}

export function readMetrics(file: string): MetricsRecord[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  // The piece after the last newline is '' or a line cut short by a crash: either way it is dropped.
  const complete = text.split('\n').slice(0, -1);
  const out: MetricsRecord[] = [];
  complete.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError({ file, line: i + 1, expected: 'a JSON record on each line', found: `${excerpt(line)}, which is not valid JSON` });
    }
    const v = value as Partial<MetricsRecord>;
    if (typeof v !== 'object' || v === null || typeof v.type !== 'string' || typeof v.step !== 'number') {
      throw new InputError({ file, line: i + 1, expected: "a metrics record with a string 'type' and a numeric 'step'", found: shown(value, 40) });
    }
    out.push(v as MetricsRecord);
  });
  return out;
}

/**
 * The last step a run's history reached: the highest step of its progress records (0 without any). A
 * line that is not whole JSON is skipped: this only asks whether the run has trained at all.
 */
export function stepsInHistory(file: string): number {
  if (!existsSync(file)) return 0;
  let steps = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"progress"')) continue;
    try {
      const v = JSON.parse(line) as { type?: unknown; step?: unknown };
      if (v.type === 'progress' && typeof v.step === 'number' && v.step > steps) steps = v.step;
    } catch {
      // a torn line: setAsideTornLine deals with it
    }
  }
  return steps;
}
