// metrics.jsonl: one JSON object a line, appended as training goes. A crash can cut the last line
// short; the reader skips such a final fragment, but a bad line in the middle is an error that names it.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { UserError } from '../server';

export type MetricsRecord = { type: string; step: number; time: string } & Record<string, unknown>;

export function appendMetrics(file: string, record: MetricsRecord): void {
  appendFileSync(file, JSON.stringify(record) + '\n');
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
    } catch (e) {
      throw new UserError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`, `${file}:${i + 1}`);
    }
    const v = value as Partial<MetricsRecord>;
    if (typeof v !== 'object' || v === null || typeof v.type !== 'string' || typeof v.step !== 'number') {
      throw new UserError(`${file}:${i + 1}: a metrics record needs a string 'type' and a numeric 'step'`, `${file}:${i + 1}`);
    }
    out.push(v as MetricsRecord);
  });
  return out;
}
