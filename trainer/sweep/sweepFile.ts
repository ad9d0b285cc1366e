// A sweep file: a base run config and the axes whose every combination is one run, optional teachers
// trained once per task, the comparisons the report prints, and what each job asks of a scheduler.
// Validated with zod so that every bad field is named; each run's merged config is then validated by
// the run config schema (trainer/sweep/plan.ts), all before anything is created or submitted.
//
//   {
//     "name": "glue-main",
//     "base": { "student": { "layers": 2, "hidden": 24, "heads": 4, "intermediate": 96 }, "optim": { "epochs": 3 } },
//     "axes": {
//       "task":   { "SST-2": { "data": { "task": "glue", "name": "SST-2", "dir": "../data/glue" } }, "CoLA": { ... } },
//       "method": { "LRC": { "kind": "lrc" }, "MSE": { "kind": "mse" }, "alone": { "kind": "student" } },
//       "seed":   [42, 7, 13],
//       "stages.epsilon": [0, 0.1]
//     },
//     "teacher": { "per": ["task"], "config": { "model": { "layers": 4, "hidden": 128, "heads": 4, "intermediate": 512 } } },
//     "compare": [{ "axis": "method", "a": "LRC", "b": "MSE" }],
//     "resources": { "cpus": 1, "memory": "4G", "time": "02:00:00" }
//   }
//
// An axis whose value is an object has named levels, each a config patch; an axis whose value is an
// array sets the config field its name gives (a dotted path) to each value. "seed" is the replicate
// axis: the report's means, spreads and pairings are over it.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseJsonFile } from '../errors';
import { describeZodError, UserError } from '../server';

const positiveInt = z.number().int().positive();
const ConfigPatchSchema = z.record(z.unknown());
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Slurm's --time forms: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
const SLURM_TIME = /^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/;

/** What one job of the sweep asks for (a Slurm job array task; the local executor runs one per worker). */
export const ResourcesSchema = z
  .object({
    cpus: positiveInt.default(1),
    /** Slurm's --mem: a number of megabytes, or with a unit suffix K, M, G or T. */
    memory: z.string().regex(/^\d+[KMGT]?$/, 'expected a size such as 4096, 512M or 4G').default('4G'),
    /** Slurm's --time limit (for example 90, 01:30:00, 1-00:00:00); none: the partition's default. */
    time: z.string().regex(SLURM_TIME, 'expected minutes, HH:MM:SS or D-HH:MM:SS').optional(),
    /** GPUs per job (`--gres=gpu:N`); the trainer then picks @tensorflow/tfjs-node-gpu where it is installed. */
    gpus: z.number().int().min(0).default(0),
  })
  .strict();
export type Resources = z.infer<typeof ResourcesSchema>;

const AxisValueSchema = z.union([z.number(), z.string(), z.boolean()]);
const AxisSchema = z.union([
  z.array(AxisValueSchema).min(1, 'an axis needs at least one value'),
  z.record(ConfigPatchSchema).refine((levels) => Object.keys(levels).length > 0, 'an axis needs at least one level'),
]);

export const SweepFileSchema = z
  .object({
    $schema: z.string().optional(),
    /** Names the sweep's folder, its runs and its Slurm jobs; default: the file's name. */
    name: z.string().regex(NAME, 'letters, digits, ".", "_" and "-" only').optional(),
    description: z.string().optional(),
    /** Fields every run's config starts from (the run config of trainer/config/runConfig.ts, in part). */
    base: ConfigPatchSchema.default({}),
    /** Laid over `base` for every run but the teachers. */
    students: ConfigPatchSchema.default({}),
    axes: z.record(AxisSchema).refine((a) => Object.keys(a).length > 0, 'a sweep needs at least one axis'),
    /** A teacher trained once for each combination of the `per` axes (default: the task axis), before the
     *  runs that learn from it; its config is `base`, the levels of those axes, then `config`. */
    teacher: z
      .object({
        per: z.array(z.string()).optional(),
        config: ConfigPatchSchema.default({}),
        /** The teachers are not trained here: each is the finished teacher of the same levels of another
         *  sweep (its id or name) in the same runs folder (trainer/sweep/borrowTeachers.ts). */
        fromSweep: z.string().min(1).optional(),
        resources: ResourcesSchema.partial().optional(),
      })
      .strict()
      .refine((t) => !t.fromSweep || Object.keys(t.config).length === 0, { message: 'a teacher borrowed with fromSweep is not trained here: give no config', path: ['config'] })
      .optional(),
    /** General distillation chained before the task runs (trainer/general/): one general run per
     *  combination of the `per` axes (e.g. the student shape), made of `base`, `students` and those levels
     *  without their task fields (kind, data, teacher, ...), then `config` (the pre-trained teacher, the
     *  corpus). A run whose config says "studentInit": "(general)" starts from the export of its general run
     *  and waits for it, as a run waits for its teacher. */
    general: z
      .object({
        per: z.array(z.string()).default([]),
        config: ConfigPatchSchema.default({}),
        resources: ResourcesSchema.partial().optional(),
      })
      .strict()
      .optional(),
    /** Combinations left out of `axes`' product: a run is not planned when its cell matches every axis of
     *  one entry (an axis given a level or a list of levels), e.g. [{ "task": ["SST-2", "STS-B"], "method": "LRC-BERT" }]. */
    exclude: z.array(z.record(z.union([z.string(), z.array(z.string()).min(1)])).refine((e) => Object.keys(e).length > 0, 'an exclude entry names at least one axis')).default([]),
    /** Paired comparisons for the report: level `a` against level `b` of `axis`, seed by seed. */
    compare: z.array(z.object({ name: z.string().optional(), axis: z.string(), a: z.string(), b: z.string() }).strict()).default([]),
    resources: ResourcesSchema.default({}),
    slurm: z
      .object({
        partition: z.string().optional(),
        account: z.string().optional(),
        qos: z.string().optional(),
        /** At most this many tasks of one array at once (`--array=0-N%K`). */
        maxParallel: positiveInt.optional(),
        /** Further sbatch options, one per element (for example "--constraint=avx2"). */
        args: z.array(z.string().regex(/^--?[A-Za-z]/, 'an sbatch option starting with - or --')).default([]),
        /** Shell lines each job runs first (for example "module load nodejs/20"). */
        setup: z.array(z.string()).default([]),
        /** The node command on the compute nodes; default: the absolute path of the node that submits. */
        node: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    local: z.object({ workers: positiveInt.optional() }).strict().default({}),
  })
  .strict();
export type SweepFile = z.infer<typeof SweepFileSchema>;

/** Parses a sweep file's object; the error names `source` and every bad field. */
export function parseSweepFile(json: unknown, source: string): SweepFile {
  const parsed = SweepFileSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${source}: ${describeZodError(parsed.error)}`, source);
  return parsed.data;
}

/** Reads and validates a sweep file (JSON). */
export function readSweepFile(path: string): SweepFile {
  if (!existsSync(path)) throw new UserError(`${path}: sweep file not found`, path);
  // the one JSON path: a syntax error or a key given twice is one line at its file:line
  return parseSweepFile(parseJsonFile(readFileSync(path, 'utf8'), path, 'a sweep file (a JSON object)'), path);
}
