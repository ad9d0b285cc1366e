// The one protocol file of the boundary between the extension host and the trainer child process.
// Both sides import it and nothing else of each other. Messages travel over Node's IPC channel as JSON:
//   host -> trainer   { type: 'request', id, method, params }
//   trainer -> host   { type: 'response', id, ok: true, result } | { type: 'response', id, ok: false, error }
//   trainer -> host   { type: 'event', event, data }
// Every message is validated on receipt with the zod schemas below; a malformed one is answered with an
// error (or logged, for events), never thrown at the other side.
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** A request descriptor: the method name, the schema of its params and of its result. */
export class RequestType<P, R> {
  constructor(
    readonly method: string,
    readonly params: z.ZodType<P>,
    readonly result: z.ZodType<R>,
  ) {}
}

/** An event descriptor: the event name and the schema of its data. */
export class EventType<D> {
  constructor(
    readonly event: string,
    readonly data: z.ZodType<D>,
  ) {}

  /** True when `msg` is this event; `msg.data` is then validated. */
  is(msg: EventMessage): msg is EventMessage & { data: D } {
    return msg.event === this.event && this.data.safeParse(msg.data).success;
  }
}

// ---- envelopes -----------------------------------------------------------------------------------

export const RequestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1),
  params: z.unknown(),
});
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export const ErrorInfoSchema = z.object({
  message: z.string(),
  /** The config field, file or line the error is about, when there is one. */
  where: z.string().optional(),
  stack: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

export const ResponseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: ErrorInfoSchema }),
]);
export type ResponseMessage = z.infer<typeof ResponseMessageSchema>;

export const EventMessageSchema = z.object({
  type: z.literal('event'),
  event: z.string().min(1),
  data: z.unknown(),
});
export type EventMessage = z.infer<typeof EventMessageSchema>;

export const TrainerToHostSchema = z.union([ResponseMessageSchema, EventMessageSchema]);
export type TrainerToHostMessage = z.infer<typeof TrainerToHostSchema>;

// ---- requests ------------------------------------------------------------------------------------

export const BackendNameSchema = z.enum(['tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendNameSchema>;

export const BackendReportSchema = z.object({
  /** The TensorFlow.js backend in use. */
  backend: z.string(),
  /** The npm package that provides it, and its version. */
  package: z.string(),
  version: z.string().optional(),
  /** Human-readable device description (CPU model and threads, GPU name, SIMD support). */
  device: z.string(),
  /** Better backends that were tried and why they were not used (their load error). */
  rejected: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type BackendReport = z.infer<typeof BackendReportSchema>;

export const HelloResultSchema = z.object({
  protocolVersion: z.number().int(),
  pid: z.number().int(),
  backend: BackendReportSchema,
  versions: z.record(z.string()),
});
export type HelloResult = z.infer<typeof HelloResultSchema>;

export const HelloRequest = new RequestType(
  'hello',
  z.object({ backend: BackendNameSchema.optional() }).strict(),
  HelloResultSchema,
);

/** Ends the trainer after it has finished what it must save. */
export const ShutdownRequest = new RequestType('shutdown', z.object({}).strict(), z.object({}));

// ---- events --------------------------------------------------------------------------------------

export const LogEvent = new EventType(
  'log',
  z.object({ level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string() }),
);

// ---- runs ----------------------------------------------------------------------------------------

/** Between-step requests to a running run: from the host over IPC, or as lines of the run's control.jsonl. */
export const ControlRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause') }).strict(),
  z.object({ type: z.literal('resume') }).strict(),
  /** Graceful: checkpoint first, then status 'stopped'. */
  z.object({ type: z.literal('stop') }).strict(),
  z.object({ type: z.literal('nextStage') }).strict(),
  z.object({
    type: z.literal('setWeights'),
    alpha: z.number().min(0).optional(),
    beta: z.number().min(0).optional(),
    gamma: z.number().min(0).optional(),
    temperature: z.number().positive().optional(),
    epsilon: z.number().min(0).optional(),
  }).strict(),
  z.object({ type: z.literal('evaluate') }).strict(),
  z.object({ type: z.literal('analyze') }).strict(),
]);
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

const LossTermsSchema = z.object({
  total: z.number(),
  mid: z.number().optional(),
  midPerLayer: z.array(z.number()).optional(),
  distance: z.array(z.number()).optional(),
  soft: z.number().optional(),
  hard: z.number().optional(),
  /** Masked-language-model loss (pre-training runs). */
  mlm: z.number().optional(),
});
export type LossTerms = z.infer<typeof LossTermsSchema>;

export const ProgressSchema = z.object({
  runId: z.string(),
  /** Optimiser steps done. */
  step: z.number().int(),
  totalSteps: z.number().int(),
  epoch: z.number(),
  stage: z.number().int(),
  weights: z.object({ alpha: z.number(), beta: z.number(), gamma: z.number(), temperature: z.number(), epsilon: z.number() }).optional(),
  /** Loss terms on the clean input, and on the perturbed embedding when epsilon > 0. */
  clean: LossTermsSchema,
  perturbed: LossTermsSchema.optional(),
  learningRate: z.number(),
  gradNorm: z.number(),
  examplesPerSecond: z.number(),
  tokensPerSecond: z.number(),
  tensors: z.number().int(),
  memoryBytes: z.number(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const EvaluationSchema = z.object({
  runId: z.string(),
  step: z.number().int(),
  /** Finite values only: a metric that is not a number (the correlation of constant predictions) is left out. */
  metrics: z.record(z.number()),
  primary: z.string(),
  /** The primary metric; null when it is not a finite number. */
  score: z.number().nullable(),
  best: z.boolean(),
  /** false when the evaluation cannot be the best model: a distilled student whose prediction layer has
   *  not trained yet (stage 1: L_soft and L_hard off), or a score that is not a number. */
  candidate: z.boolean(),
  seconds: z.number(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

export const StartRunRequest = new RequestType(
  'startRun',
  z.object({
    /** The run folder, created by the host (or the CLI) with createRun. */
    runDir: z.string().min(1),
    /** Go on from the run's last checkpoint. */
    resume: z.boolean().default(false),
  }).strict(),
  z.object({ runId: z.string() }),
);

export const ControlRunRequest = new RequestType('control', ControlRequestSchema, z.object({}));

export const ProgressEvent = new EventType('progress', ProgressSchema);
export const EvaluationEvent = new EventType('evaluation', EvaluationSchema);
export const CheckpointEvent = new EventType('checkpoint', z.object({ runId: z.string(), step: z.number().int(), path: z.string(), best: z.boolean() }));
export const AnalysisEvent = new EventType('analysis', z.object({ runId: z.string(), step: z.number().int(), file: z.string() }));
export const StatusEvent = new EventType('status', z.object({ runId: z.string(), status: z.string(), error: ErrorInfoSchema.optional() }));
export const FinishedEvent = new EventType('finished', z.object({
  runId: z.string(),
  status: z.string(),
  best: z.object({ metric: z.string(), value: z.number(), step: z.number().int() }).optional(),
  error: z.string().optional(),
}));

// ---- analysis ------------------------------------------------------------------------------------

const ModelPredictionSchema = z.object({
  /** Class id, or the score of a regression task. */
  prediction: z.number(),
  probabilities: z.array(z.number()).optional(),
});
const StudentCaseSchema = ModelPredictionSchema.extend({
  /** Per mapped layer: angular distance and MSE of the student (projected) to the teacher. */
  angular: z.array(z.number()),
  mse: z.array(z.number()),
});

/** One text (or pair) through the teacher, the LRC student and its MSE baseline ("Analyze Selection"). */
export const AnalyzeTextRequest = new RequestType(
  'analyzeText',
  z.object({ runDir: z.string().min(1), text: z.string(), textPair: z.string().optional() }).strict(),
  z.object({
    labelNames: z.array(z.string()),
    record: z.object({
      text: z.string(),
      textPair: z.string().optional(),
      teacher: ModelPredictionSchema,
      lrc: StudentCaseSchema.optional(),
      mse: StudentCaseSchema.optional(),
    }),
  }),
);

/** The paired analysis of a trained LRC run and its MSE baseline, now; answers with the file written. */
export const PairedAnalysisRequest = new RequestType(
  'pairedAnalysis',
  z.object({ lrcRunDir: z.string().min(1), mseRunDir: z.string().min(1) }).strict(),
  z.object({ file: z.string() }),
);
