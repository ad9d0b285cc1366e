// `distill --teacher <teacher run>`: what the distillation takes from its teacher run unless the user
// gives it. A teacher run knows its task (the data block: task, files, columns, header setting, label
// kind) and its max length; its export holds its tokenizer, which a distillation reads by default
// (session/models.ts modelFolderOf). Flags and the --config file override; run.json's `inherited` and
// the run's log say what was taken.
import { join } from 'node:path';
import { parseRunConfig } from './effective';
import { readRunRecord } from '../runs/runStore';
import type { RunRecord } from '../runs/runRecord';

type Json = Record<string, unknown>;

/** What a run took from its teacher run (run.json `inherited`). */
export type Inherited = NonNullable<RunRecord['inherited']>;

/**
 * The fields of the teacher run in `teacherRunDir` that a distillation takes unless given: `given` says
 * which the user gave (a flag or the --config file). Undefined when nothing is taken (a teacher folder,
 * or a teacher run whose data is not a task).
 */
export function inheritFromTeacherRun(teacherRunDir: string, given: { data: boolean; maxLength: boolean }): { base: Json; inherited: Inherited } | undefined {
  const record = readRunRecord(teacherRunDir);
  const config = parseRunConfig(record.config, `${teacherRunDir}/run.json (config)`);
  if (config.data.task === 'corpus') return undefined;
  const raw = record.config as Json;
  const base: Json = {};
  const inherited: Inherited = { from: record.id, tokenizer: join(teacherRunDir, 'export') };
  if (!given.data) base.data = inherited.data = structuredClone(raw.data as Json);
  if (!given.maxLength) base.maxLength = inherited.maxLength = config.maxLength;
  return { base, inherited };
}

/** The log line of what was inherited: "from teacher run <id>: task file (...), max length 16, the teacher's tokenizer (<folder>)". */
export function describeInherited(inherited: Inherited): string {
  const parts: string[] = [];
  const data = inherited.data as Json | undefined;
  if (data) parts.push(`task ${describeData(data)}`);
  if (inherited.maxLength !== undefined) parts.push(`max length ${inherited.maxLength}`);
  if (inherited.tokenizer) parts.push(`the teacher's tokenizer (${inherited.tokenizer})`);
  return `inherited from teacher run ${inherited.from}: ${parts.join(', ')}`;
}

function describeData(data: Json): string {
  if (data.task === 'glue') return `glue:${String(data.name)} (${String(data.dir)})`;
  if (data.task !== 'file') return String(data.task);
  const c = (data.columns ?? {}) as Json;
  const columns = ['text', 'textPair', 'label'].filter((k) => c[k] !== undefined).map((k) => `${k} ${JSON.stringify(c[k])}`).join(', ');
  const extras = [data.header === false ? 'no header line' : undefined, data.kind === 'regression' ? 'regression' : undefined, data.format ? `format ${String(data.format)}` : undefined].filter(Boolean);
  return `file (train ${String(data.train)}, dev ${String(data.dev)}; columns ${columns}${extras.length ? `; ${extras.join(', ')}` : ''})`;
}
