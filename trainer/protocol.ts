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
  /** The npm package that provides it. */
  package: z.string(),
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
