// A run's serving cost on disk: `<run>/serving.json`, written to a temporary name and renamed, read back
// with every field checked (a damaged file is one line naming the file and the field).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors';
import { RunKindSchema } from '../runs/runRecord';
import type { ServingCost } from '../sweep/report/frontTypes';
import { writeJsonAtomic } from '../util/atomicFile';

export const SERVING_FILE = 'serving.json';

const num = z.number().finite();
const pass = { warmup: z.number().int().nonnegative(), repetitions: z.number().int().positive() };
const ServingCostSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  kind: RunKindSchema,
  model: z.string(),
  measuredAt: z.string(),
  session: z.string(),
  trigger: z.enum(['run-end', 'measure', 'sweep-measure']),
  quiet: z.boolean(),
  beside: z.string().nullable(),
  backend: z.object({ name: z.string(), threads: z.number().int().nullable(), version: z.string().nullable() }),
  host: z.object({ name: z.string(), cpus: z.number().int(), cpuModel: z.string() }),
  maxLength: z.number().int().positive(),
  latency: z.object({ batch: z.literal(1), ...pass, medianMs: num, p95Ms: num, meanMs: num, minMs: num, maxMs: num, p95Method: z.literal('nearest-rank') }),
  throughput: z.object({ batch: z.number().int().positive(), ...pass, examplesPerSecond: num, medianBatchMs: num }),
  parameters: z.object({ total: z.number().int().nonnegative(), word: z.number().int().nonnegative() }),
  size: z.object({ f32Bytes: z.number().int().positive(), f16Bytes: z.number().int().positive() }),
  seconds: num,
});

export const servingFileOf = (runDir: string) => join(runDir, SERVING_FILE);

export function writeServingCost(runDir: string, cost: ServingCost): void {
  writeJsonAtomic(servingFileOf(runDir), cost);
}

/** The run's serving cost; undefined when it has none. */
export function readServingCost(runDir: string): ServingCost | undefined {
  const file = servingFileOf(runDir);
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError({ file, expected: 'a serving cost as JSON (lrc-distill measure <run> writes it again)', found: (e as Error).message.split('\n')[0] });
  }
  const parsed = ServingCostSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), value);
    const expected = issue.code === 'invalid_literal' ? JSON.stringify(issue.expected) : issue.code === 'invalid_type' ? `a ${issue.expected}` : issue.message.toLowerCase();
    throw new InputError({ file, field: issue.path.join('.') || '(file)', expected, found: at === undefined ? 'nothing' : JSON.stringify(at), hint: 'lrc-distill measure <run> writes it again' });
  }
  return parsed.data as ServingCost;
}
