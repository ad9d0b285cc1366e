// Adopting runs that were made before (or outside) a sweep: the runs of a results folder (the `eval
// --json` of each exported model, <run id>.json) and their records (the part of each run folder a report
// needs, experiments/records/<run id>.json) become the runs of a sweep planned from a sweep file, so that
// `sweep report` prints their tables although their run folders are gone. Each record is matched to the
// planned run it was by what the run was (kind, preset, task, seed, maxTrainExamples, the stage split
// and epsilon, and where its student started: fresh, or from the general run it names, itself matched
// to the planned general run it was; never by name); a record that matches no planned run, or more than
// one, and two records of one planned run are refused, naming the files. The sweep folder keeps the
// adopted runs' ids; the planned runs without a record get new ids and wait to be run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseRunConfig } from '../config/effective';
import { RunConfigSchema } from '../config/runConfig';
import { BestMetricSchema, RunKindSchema, type RunKind } from '../runs/runRecord';
import { GENERAL_MARK } from './plan';
import { newRunId } from '../runs/runStore';
import { describeZodError, UserError } from '../server';
import type { SweepPlan } from './plan';
import type { SweepRecord } from './sweepRecord';
import { sweepRecordOf, writeSweepFolder, type NewSweep } from './sweepStore';

/** A run's record: what the tables need of its run folder (written when the folder was at hand). */
export const RunSummaryRecordSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: RunKindSchema,
    preset: z.string().optional(),
    data: z.object({ task: z.string(), name: z.string().optional() }),
    /** The config's stage split and epsilon; absent: the config's default. */
    split: z.number().optional(),
    epsilon: z.number().optional(),
    maxTrainExamples: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    /** An lrc or mse run whose student started from another run's export (a general run): that run's id,
     *  or its export folder as the config's studentInit gave it (<runs>/<id>/export); absent: a fresh student. */
    studentInit: z.string().optional(),
    /** Absent or null for records rebuilt from training logs. */
    startedAt: z.string().nullable().optional(),
    endedAt: z.string().nullable().optional(),
    totalSteps: z.number().int().nonnegative(),
    /** The evaluation the exported model is from (run.json's best). */
    best: BestMetricSchema.optional(),
    /** Every dev evaluation, in order; `candidate: false` for one that could not be the best (stage 1). */
    evals: z.array(z.object({ step: z.number().int(), metrics: z.record(z.number().nullable()), candidate: z.boolean().optional() }).passthrough()),
    /** Parameters of the exported model, and of its word-embedding matrix alone. */
    parameters: z.object({ total: z.number().int(), word: z.number().int() }).optional(),
  })
  .passthrough();
export type RunSummaryRecord = z.infer<typeof RunSummaryRecordSchema>;

/** `lrc-distill eval <run> --json`: the dev scores of a run's exported model. */
export const EvalResultSchema = z
  .object({
    run: z.string(),
    examples: z.number().int().nonnegative(),
    seconds: z.number().nonnegative(),
    metrics: z.record(z.number().nullable()),
    primary: z.string(),
    score: z.number().nullable().optional(),
  })
  .passthrough();
export type EvalResult = z.infer<typeof EvalResultSchema>;

function readJson<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`, file);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${file} is not ${what}: ${describeZodError(parsed.error)}`, file);
  return parsed.data;
}

export const readRunSummaryRecord = (file: string) => readJson(file, RunSummaryRecordSchema, 'a run record');
export const readEvalResult = (file: string) => readJson(file, EvalResultSchema, 'the output of eval --json');

/** One run of a results folder: its `eval --json` and its record; a general run, which `eval` cannot
 *  score (it has no task), has its record only. */
export interface AdoptableRun {
  resultFile?: string;
  result?: EvalResult;
  recordFile: string;
  record: RunSummaryRecord;
}

/** The run a studentInit names: a run id, or a run's export folder (<runs>/<id>/export); undefined for another folder. */
export function runOfStudentInit(ref: string): string | undefined {
  const exported = /(?:^|[\\/])([^\\/]+)[\\/]export[\\/]?$/.exec(ref);
  if (exported) return exported[1];
  return /[\\/]/.test(ref) ? undefined : ref;
}

/** Every <run id>.json of a results folder with the record of that run (a result without a record is
 *  refused), then the records of the runs their students started from (general runs) that the records
 *  folder holds and the results folder does not. */
export function readAdoptableRuns(resultsDir: string, recordsDir: string): AdoptableRun[] {
  const scored = readScoredRuns(resultsDir, recordsDir);
  const starts = new Set(scored.flatMap((r) => { const id = r.record.studentInit === undefined ? undefined : runOfStudentInit(r.record.studentInit); return id === undefined ? [] : [id]; }));
  const startRecords = [...starts].filter((id) => !scored.some((r) => r.record.id === id) && existsSync(join(recordsDir, `${id}.json`))).map((id) => {
    const recordFile = join(recordsDir, `${id}.json`);
    const record = readRunSummaryRecord(recordFile);
    if (record.id !== id) throw new UserError(`${recordFile}: the record of run ${record.id}, not of ${id}`, recordFile);
    return { recordFile, record };
  });
  return [...scored, ...startRecords];
}

function readScoredRuns(resultsDir: string, recordsDir: string): AdoptableRun[] {
  if (!existsSync(resultsDir)) throw new UserError(`${resultsDir}: results folder not found`, resultsDir);
  const files = readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort();
  if (!files.length) throw new UserError(`${resultsDir}: no results (<run id>.json files of eval --json) to adopt`, resultsDir);
  return files.map((f) => {
    const resultFile = join(resultsDir, f);
    const id = f.slice(0, -'.json'.length);
    const result = readEvalResult(resultFile);
    if (result.run !== id) throw new UserError(`${resultFile}: the scores of run ${result.run}, not of ${id} as its name says`, resultFile);
    const recordFile = join(recordsDir, f);
    if (!existsSync(recordFile)) throw new UserError(`${resultFile}: no record of run ${id} (${recordFile})`, resultFile);
    const record = readRunSummaryRecord(recordFile);
    if (record.id !== id) throw new UserError(`${recordFile}: the record of run ${record.id}, not of ${id}`, recordFile);
    return { resultFile, result, recordFile, record };
  });
}

/** What a run was, as far as matching goes: the fields a sweep's axes set that a record keeps. */
export interface RunFacts {
  kind: string;
  preset: string | null;
  /** 'glue:SST-2', 'demo', 'file'. */
  task: string;
  seed: number;
  maxTrainExamples: number | null;
  split: number;
  epsilon: number;
  /** Where the student started: null fresh; 'general run "<name>"' the planned general run of that name (a
   *  record's: the general run it names, adopted as that planned run); 'run <id>' or 'folder <path>' else. */
  studentInit: string | null;
}

// The config's defaults, for a record that leaves a field out because its run's config did.
const CONFIG_FIELDS = (RunConfigSchema as unknown as { _def: { schema: z.AnyZodObject } })._def.schema.shape;
const DEFAULT_SEED = CONFIG_FIELDS.seed.parse(undefined) as number;
const DEFAULT_STAGES = CONFIG_FIELDS.stages.parse(undefined) as { split: number; epsilon: number };

const taskOf = (data: { task: string; name?: string }) => (data.task === 'glue' ? `glue:${data.name}` : data.task);

const generalStart = (name: string) => `general run "${name}"`;

/** What a studentInit other than a general run of the sweep says: the run whose export it is, or the folder. */
function startOf(ref: string): string {
  const id = runOfStudentInit(ref);
  return id === undefined ? `folder ${ref}` : `run ${id}`;
}

/** The facts of a planned run; `general` names the planned general run a studentInit "(general)" is. */
export function factsOfConfig(config: Record<string, unknown>, source: string, general?: string): RunFacts {
  const c = parseRunConfig(config, source);
  const studentInit = c.studentInit === undefined ? null : c.studentInit === GENERAL_MARK && general !== undefined ? generalStart(general) : startOf(c.studentInit);
  return { kind: c.kind, preset: c.preset ?? null, task: taskOf(c.data as { task: string; name?: string }), seed: c.seed, maxTrainExamples: c.maxTrainExamples ?? null, split: c.stages.split, epsilon: c.stages.epsilon, studentInit };
}

/** The facts of a record; `generalOf` names the planned general run that the run its student started from was adopted as. */
export function factsOfRecord(r: RunSummaryRecord, generalOf: (runId: string) => string | undefined = () => undefined): RunFacts {
  const startRun = r.studentInit === undefined ? undefined : runOfStudentInit(r.studentInit);
  const general = startRun === undefined ? undefined : generalOf(startRun);
  const studentInit = r.studentInit === undefined ? null : general !== undefined ? generalStart(general) : startOf(r.studentInit);
  return { kind: r.kind, preset: r.preset ?? null, task: taskOf(r.data), seed: r.seed ?? DEFAULT_SEED, maxTrainExamples: r.maxTrainExamples ?? null, split: r.split ?? DEFAULT_STAGES.split, epsilon: r.epsilon ?? DEFAULT_STAGES.epsilon, studentInit };
}

const sameFacts = (a: RunFacts, b: RunFacts) => (Object.keys(a) as (keyof RunFacts)[]).every((k) => a[k] === b[k]);

export function factsText(f: RunFacts): string {
  const start = f.studentInit === null ? '' : `, student from ${f.studentInit}`;
  return `${f.kind}${f.preset ? ` ${f.preset}` : ''} on ${f.task}, seed ${f.seed}, ${f.maxTrainExamples === null ? 'all training examples' : `maxTrainExamples ${f.maxTrainExamples}`}, split ${f.split}, epsilon ${f.epsilon}${start}`;
}

/** The planned run (or teacher) each adopted run is, by planned key. */
export type Adoption = Map<string, AdoptableRun>;

/** Matches every adoptable run to the one planned teacher, general run or run it was; every problem at once, in one error. */
export function adoptRuns(plan: SweepPlan, runs: AdoptableRun[], source: string): Adoption {
  const generalNames = new Map(plan.generals.map((g) => [g.key, g.name]));
  const members = [
    ...[...plan.teachers, ...plan.generals].map((t) => ({ key: t.key, name: t.name, config: t.config, general: undefined })),
    ...plan.runs.map((r) => ({ key: r.key, name: r.name, config: r.config, general: r.generalKey === undefined ? undefined : generalNames.get(r.generalKey) })),
  ].map((m) => ({ ...m, facts: factsOfConfig(m.config, `${source}: ${m.name}`, m.general) }));
  const adoption: Adoption = new Map();
  const problems: string[] = [];
  // The planned general run a run's student started from, once the record of that run is adopted as one.
  const generalOf = (runId: string) => { const key = [...adoption].find(([, a]) => a.record.id === runId)?.[0]; return key === undefined ? undefined : generalNames.get(key); };
  // Fresh students first (teachers and general runs among them), so that a studentInit finds its general run adopted.
  const ordered = [...runs.filter((r) => r.record.studentInit === undefined), ...runs.filter((r) => r.record.studentInit !== undefined)];
  for (const run of ordered) {
    const facts = factsOfRecord(run.record, generalOf);
    const matches = members.filter((m) => sameFacts(m.facts, facts));
    const what = `${run.resultFile ?? run.recordFile}: run ${run.record.id} ('${run.record.name}': ${factsText(facts)})`;
    if (matches.length === 0) problems.push(`${what} is no planned run of sweep ${plan.name}${facts.studentInit?.startsWith('run ') && plan.generals.length ? ` (the run its student started from is no adopted general run: its record is not in the records folder, or matches no planned general run)` : ''}`);
    else if (matches.length > 1) problems.push(`${what} matches ${matches.length} planned runs: ${matches.map((m) => m.name).join(', ')}`);
    else if (adoption.has(matches[0].key)) { const other = adoption.get(matches[0].key)!; problems.push(`${what} and ${other.resultFile ?? other.recordFile} are both the planned run ${matches[0].name}`); }
    else adoption.set(matches[0].key, run);
  }
  if (problems.length) throw new UserError(`cannot adopt into sweep ${plan.name}:\n  ${problems.join('\n  ')}`, 'adopt');
  return adoption;
}

export interface AdoptedSweep extends NewSweep {
  adoption: Adoption;
  recordsDir: string;
  resultsDir: string;
}

/** Writes the sweep folder of an adoption: the adopted runs keep their ids (and have no run folder:
 *  the report reads their records), the others get new ids and no folder until the sweep is resumed. */
export function writeAdoptedSweep(sweepsDir: string, spec: AdoptedSweep, now = new Date()): { dir: string; record: SweepRecord } {
  const idOf = (key: string, kind: RunKind) => spec.adoption.get(key)?.record.id ?? newRunId(kind, now);
  const record = sweepRecordOf(spec, idOf, now, { records: { dir: spec.recordsDir, results: spec.resultsDir } });
  return { dir: writeSweepFolder(sweepsDir, record, spec.file), record };
}
