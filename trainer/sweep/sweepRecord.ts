// sweep.json: what a sweep is (its plan, with every run's id and config chosen when it was created) and
// what was done with it (the executor, each submission to a scheduler, the local pool's process). The
// run folders hold how each run stands; this file never copies their status, so it cannot go stale.
import { z } from 'zod';
import { ResourcesSchema } from './sweepFile';

export const SWEEP_FORMAT_VERSION = 1;

const CellSchema = z.record(z.string());

export const SweepTeacherSchema = z.object({
  key: z.string(),
  runId: z.string(),
  name: z.string(),
  cell: CellSchema,
  config: z.record(z.unknown()),
  /** A teacher borrowed from another sweep (its id): finished there, never trained by this one. */
  borrowedFrom: z.string().optional(),
});

export const SweepRunSchema = z.object({
  key: z.string(),
  runId: z.string(),
  name: z.string(),
  cell: CellSchema,
  seed: z.number().int(),
  config: z.record(z.unknown()),
  teacherRunId: z.string().optional(),
  /** The general run whose export the run's student starts from (studentInit). */
  generalRunId: z.string().optional(),
  pairedRunId: z.string().optional(),
});
export type SweepRun = z.infer<typeof SweepRunSchema>;

export const SubmissionSchema = z.object({
  /** 1, 2, ...: names the submission's files (slurm/<n>-<stage>.sbatch, .runs). */
  n: z.number().int().positive(),
  at: z.string(),
  stage: z.enum(['teachers', 'runs']),
  /** The Slurm job id of the array. */
  jobId: z.string(),
  /** Array task i runs runIds[i]. */
  runIds: z.array(z.string()).min(1),
  dependsOn: z.string().optional(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

export const SweepRecordSchema = z.object({
  formatVersion: z.literal(SWEEP_FORMAT_VERSION),
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  name: z.string(),
  /** The sweep file it was made from (absolute), and the folder its jobs run in. */
  file: z.string(),
  cwd: z.string(),
  runsDir: z.string(),
  createdAt: z.string(),
  executor: z.enum(['local', 'slurm']),
  axes: z.array(z.object({ name: z.string(), type: z.enum(['levels', 'values']), levels: z.array(z.string()) })),
  seeds: z.array(z.number().int()),
  comparisons: z.array(z.object({ name: z.string(), axis: z.string(), a: z.string(), b: z.string() })),
  resources: z.object({ teacher: ResourcesSchema, student: ResourcesSchema }),
  slurm: z.object({ partition: z.string().optional(), account: z.string().optional(), qos: z.string().optional(), maxParallel: z.number().int().optional(), args: z.array(z.string()), setup: z.array(z.string()).default([]), node: z.string().optional() }),
  workers: z.number().int().positive().optional(),
  teachers: z.array(SweepTeacherSchema),
  /** General-distillation runs, in the teachers' stage (a Slurm array of their own, before the runs). */
  generals: z.array(SweepTeacherSchema).default([]),
  runs: z.array(SweepRunSchema),
  submissions: z.array(SubmissionSchema).default([]),
  /** The local executor's process while it runs the pool. */
  pool: z.object({ pid: z.number().int(), hostname: z.string(), startedAt: z.string() }).optional(),
  cancelledAt: z.string().optional(),
  /** A sweep made by `sweep adopt` from runs whose folders are gone: a run without a folder is read from
   *  its record (`dir`/<run id>.json) and the `eval --json` of its exported model (`results`/<run id>.json). */
  records: z.object({ dir: z.string(), results: z.string() }).optional(),
});
export type SweepRecord = z.infer<typeof SweepRecordSchema>;

/** A teacher, general run or run of the sweep: all are run folders in the runs folder. */
export type SweepMember = { runId: string; name: string; cell: Record<string, string>; config: Record<string, unknown>; seed?: number; teacherRunId?: string; generalRunId?: string; borrowedFrom?: string; role: 'teacher' | 'general' | 'run' };

export function membersOf(s: SweepRecord): SweepMember[] {
  return [...s.teachers.map((t) => ({ ...t, role: 'teacher' as const })), ...s.generals.map((g) => ({ ...g, role: 'general' as const })), ...s.runs.map((r) => ({ ...r, role: 'run' as const }))];
}

/** The members a member waits for: its teacher and its general run. */
export const dependenciesOf = (m: Pick<SweepMember, 'teacherRunId' | 'generalRunId'>): string[] => [m.teacherRunId, m.generalRunId].filter((id): id is string => id !== undefined);
