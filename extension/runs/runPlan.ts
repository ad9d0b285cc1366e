// The config files of the new-run wizard and of "Start Run From Config" (.lrc/configs/<name>.json).
// A file holds either one run config (the trainer's RunConfigSchema, also usable as `lrc-distill
// --config`), or a plan for the choices one config cannot hold:
//   { "teacher": <teacher run config>,   optional: train this teacher first; "run" then distils from it
//     "run": <run config>,
//     "baseline": true }                 optional: also the paired MSE baseline of an lrc run
// Relative paths inside are relative to the workspace folder; runs get them resolved.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { parseRunConfig, type ConfigOrigin } from '../../trainer/config/effective';
import type { RunConfig } from '../../trainer/config/runConfig';
import { parseJsonFile } from '../../trainer/errors';
import { describeZodError, UserError } from '../../trainer/server';
import { writeFileAtomic } from '../../trainer/util/atomicFile';

type Json = Record<string, unknown>;

export interface RunPlan {
  /** A teacher to train first; `run` gets its run id as teacher. */
  teacher?: Json;
  run: Json;
  /** Also the MSE baseline paired with the lrc run. */
  baseline: boolean;
}

const PlanSchema = z
  .object({ teacher: z.record(z.unknown()).optional(), run: z.record(z.unknown()), baseline: z.boolean().default(false) })
  .strict();

/** A placeholder for the id of a teacher run that does not exist yet (validation only). */
const PENDING_TEACHER = { runId: 'teacher-trained-first' };

/** The config file's text and object, so that an error names the line of the bad field as the CLI's do. */
export interface PlanOrigin {
  text: string;
  json: unknown;
  /** Whether the file is a plan (its configs under "teacher" and "run") rather than one run config. */
  isPlan: boolean;
}

/**
 * Checks every config of a plan with the trainer's schema; errors name the file and the field, and with
 * `origin` (the file's text) the line: "<file>:7: optim.batchSize: ...".
 */
export function validatePlan(plan: RunPlan, source: string, origin?: PlanOrigin): { teacher?: RunConfig; run: RunConfig } {
  const inFile = (at: string[]): ConfigOrigin | undefined => (origin ? { file: source, text: origin.text, json: origin.json, at } : undefined);
  const teacher = plan.teacher ? parseRunConfig(plan.teacher, `${source} (teacher)`, inFile(['teacher'])) : undefined;
  if (teacher && teacher.kind !== 'teacher') throw new UserError(`${source}: "teacher" must be a config of kind "teacher", not "${teacher.kind}"`, 'teacher');
  if (plan.teacher && plan.run.teacher) throw new UserError(`${source}: "run" names a teacher but the plan trains one first; remove run.teacher`, 'run.teacher');
  const run = parseRunConfig(plan.teacher ? { ...plan.run, teacher: PENDING_TEACHER } : plan.run, plan.teacher ? `${source} (run)` : source, inFile(origin?.isPlan ? ['run'] : []));
  if (plan.teacher && run.kind !== 'lrc' && run.kind !== 'mse') throw new UserError(`${source}: a plan that trains a teacher first needs an lrc or mse run, not ${run.kind}`, 'run.kind');
  if (plan.baseline && run.kind !== 'lrc') throw new UserError(`${source}: "baseline": true needs an lrc run, not ${run.kind}`, 'baseline');
  return { teacher, run };
}

/** Reads and validates a config file (one run config or a plan). */
export function readPlanFile(file: string): RunPlan {
  if (!existsSync(file)) throw new UserError(`${file}: file not found`, file);
  // as the CLI reads a --config file: a syntax error names its line
  const text = readFileSync(file, 'utf8');
  const raw = parseJsonFile(text, file, 'a run config or a plan (a JSON object)');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${file}: expected a JSON object (a run config or a plan with "run")`, file);
  let plan: RunPlan;
  if ('run' in raw) {
    const parsed = PlanSchema.safeParse(raw);
    if (!parsed.success) throw new UserError(`${file}: ${describeZodError(parsed.error)}`, file);
    plan = parsed.data;
  } else {
    plan = { run: raw as Json, baseline: false };
  }
  validatePlan(plan, file, { text, json: raw, isPlan: 'run' in raw });
  return plan;
}

/** The JSON a plan is saved as: a plain run config when it needs nothing else. */
export function planJson(plan: RunPlan): Json {
  if (!plan.teacher && !plan.baseline) return plan.run;
  return { ...(plan.teacher ? { teacher: plan.teacher } : {}), run: plan.run, ...(plan.baseline ? { baseline: true } : {}) };
}

/** Saves a plan as `<folder>/<name>.json` (a free name: `<name>-2.json` when taken); returns the path. */
export function savePlan(folder: string, name: string, plan: RunPlan): string {
  mkdirSync(folder, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  let file = join(folder, `${safe}.json`);
  for (let i = 2; existsSync(file); i++) file = join(folder, `${safe}-${i}.json`);
  writeFileAtomic(file, JSON.stringify(planJson(plan), null, 2) + '\n');
  return file;
}

const PATH_FIELDS: string[][] = [['data', 'train'], ['data', 'dev'], ['data', 'dir'], ['teacher', 'path'], ['tokenizer'], ['init']];

/** A copy of a run config with its relative file paths made absolute against `base`. */
export function resolveConfigPaths(config: Json, base: string): Json {
  const copy = structuredClone(config);
  for (const path of PATH_FIELDS) {
    let parent: Json | undefined = copy;
    for (const key of path.slice(0, -1)) parent = typeof parent?.[key] === 'object' && parent[key] !== null ? (parent[key] as Json) : undefined;
    const leaf = path[path.length - 1];
    const value = parent?.[leaf];
    if (parent && typeof value === 'string' && value && !isAbsolute(value)) parent[leaf] = resolve(base, value);
  }
  return copy;
}

/** A path as the config file should hold it: relative when inside the workspace folder. */
export function configPath(file: string, workspace: string | undefined): string {
  if (!workspace) return file;
  const rel = file.startsWith(workspace + '/') || file.startsWith(workspace + '\\') ? file.slice(workspace.length + 1) : undefined;
  return rel ?? file;
}

/** A short name for a config file in messages. */
export function planName(file: string): string {
  return `${basename(dirname(file))}/${basename(file)}`;
}
