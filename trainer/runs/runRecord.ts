// run.json: what a run is and where it stands. The trainer that owns the run rewrites it atomically;
// the extension and the CLI only read it (and mark a run crashed when its process has vanished).
import { z } from 'zod';
import { BackendReportSchema, ErrorInfoSchema } from '../protocol';

export const RUN_FORMAT_VERSION = 1;

export const RunKindSchema = z.enum([
  'teacher', // fine-tuning a teacher on the task (cross-entropy or MSE only)
  'lrc', // LRC-BERT distillation (COS-NCE on the intermediate layers)
  'mse', // the MSE baseline: identical except the intermediate loss
  'student', // the student trained on the task alone, without a teacher
  'pretrain', // masked-language-model pre-training of a teacher on the task's texts (labels unused)
  'general', // general distillation: COS-NCE on a corpus without labels, before task distillation (trainer/general/)
]);
export type RunKind = z.infer<typeof RunKindSchema>;

export const RunStatusSchema = z.enum(['queued', 'running', 'paused', 'finished', 'stopped', 'failed', 'crashed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** States in which a process owns the run. */
export const LIVE_STATUSES: readonly RunStatus[] = ['running', 'paused'];

export const RunProgressSchema = z.object({
  step: z.number().int().nonnegative(),
  totalSteps: z.number().int().nonnegative(),
  epoch: z.number().nonnegative(),
  stage: z.number().int().min(1),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const BestMetricSchema = z.object({ metric: z.string(), value: z.number(), step: z.number().int() });

export const RunRecordSchema = z.object({
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  name: z.string(),
  kind: RunKindSchema,
  /** Ablation preset or other named variant ('no-cosnce', 'single-stage', ...). */
  preset: z.string().optional(),
  status: RunStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** The process that owns a live run, and when it last said it was alive. */
  owner: z.object({ pid: z.number().int(), hostname: z.string(), heartbeatAt: z.string() }).optional(),
  backend: BackendReportSchema.optional(),
  versions: z.record(z.string()).optional(),
  /** The run that produced the teacher, or the folder it was loaded from. */
  teacher: z.object({ runId: z.string().optional(), path: z.string().optional() }).optional(),
  /** What a distillation took from its teacher run because the user did not give it (trainer/config/inherit.ts):
   *  the teacher run, its data block, max length, and the folder of the tokenizer read. */
  inherited: z.object({ from: z.string(), data: z.record(z.unknown()).optional(), maxLength: z.number().int().optional(), tokenizer: z.string().optional() }).optional(),
  /** The LRC run and its MSE baseline point at each other. */
  pairedRunId: z.string().optional(),
  /** The sweep the run belongs to (trainer/sweep/), and its levels on the sweep's axes. */
  sweep: z.object({ id: z.string(), cell: z.record(z.string()), seed: z.number().int().optional() }).optional(),
  progress: RunProgressSchema,
  best: BestMetricSchema.optional(),
  error: ErrorInfoSchema.optional(),
  /** The full configuration the run was started with (validated by the trainer's config schema). */
  config: z.record(z.unknown()),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;
