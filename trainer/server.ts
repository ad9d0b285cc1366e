// The trainer's side of the protocol, apart from the transport: validates every incoming message,
// dispatches requests to their handlers and turns every failure into an error response. Unit tests
// drive it directly; trainer/main.ts connects it to Node's IPC channel.
import { debugEnabled, describeZodError, UserError } from './errors';
import {
  RequestMessageSchema,
  type ErrorInfo,
  type EventType,
  type RequestType,
  type TrainerToHostMessage,
} from './protocol';

// The error types live in errors.ts (the one error path of the CLI and the trainer); re-exported here for
// the modules that have always imported them from the server.
export { describeZodError, InputError, UserError } from './errors';

type Handler = (params: unknown) => Promise<unknown>;

export class TrainerServer {
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly send: (msg: TrainerToHostMessage) => void) {}

  /** Registers the handler of one request type; its params arrive validated. */
  on<P, R>(type: RequestType<P, R>, handler: (params: P) => Promise<R> | R): void {
    this.handlers.set(type.method, async (raw) => {
      const params = type.params.safeParse(raw ?? {});
      if (!params.success) throw new UserError(`invalid params for '${type.method}': ${describeZodError(params.error, raw ?? {})}`, 'params');
      return handler(params.data);
    });
  }

  emit<D>(type: EventType<D>, data: D): void {
    this.send({ type: 'event', event: type.event, data });
  }

  /** Handles one raw message from the host. Never throws. */
  async receive(raw: unknown): Promise<void> {
    const msg = RequestMessageSchema.safeParse(raw);
    if (!msg.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      this.send({ type: 'response', id, ok: false, error: { message: `malformed message: ${describeZodError(msg.error)}` } });
      return;
    }
    const { id, method, params } = msg.data;
    const handler = this.handlers.get(method);
    if (!handler) {
      this.send({ type: 'response', id, ok: false, error: { message: `unknown method '${method}'`, where: 'method' } });
      return;
    }
    try {
      const result = await handler(params);
      this.send({ type: 'response', id, ok: true, result: result ?? {} });
    } catch (e) {
      this.send({ type: 'response', id, ok: false, error: toErrorInfo(e) });
    }
  }
}

/** The error response or run error of a failure: a UserError's one line (the stack with LRC_DEBUG=1), else the message and stack. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof UserError) return { message: e.message, where: e.where, ...(debugEnabled() && e.stack ? { stack: e.stack } : {}) };
  if (e instanceof Error) return { message: e.message, stack: e.stack };
  return { message: String(e) };
}
