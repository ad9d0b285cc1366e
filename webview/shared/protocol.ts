// Typed message descriptors for the host <-> webview boundary. Each panel's protocol.ts declares its
// messages with these; both sides test a message with `X.is(msg)` rather than comparing strings.
// The direction is in the name: `Did...` goes host -> webview, the rest webview -> host.

export interface IpcMessage<P = unknown> {
  method: string;
  params: P;
}

export class IpcNotification<P> {
  constructor(
    readonly method: string,
    /** Checks the shape of params that arrive from the other side. */
    private readonly check: (params: unknown) => params is P,
  ) {}

  is(msg: unknown): msg is IpcMessage<P> {
    if (typeof msg !== 'object' || msg === null) return false;
    const m = msg as { method?: unknown; params?: unknown };
    return m.method === this.method && this.check(m.params);
  }

  create(params: P): IpcMessage<P> {
    return { method: this.method, params };
  }
}

// Small shape checks the panels' protocol files build their guards from.
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isEmpty = (v: unknown): v is Record<string, never> => isObject(v) && Object.keys(v).length === 0;

/** The webview tells the host it has loaded and can take messages. */
export const ReadyNotification = new IpcNotification<Record<string, never>>('webview/ready', isEmpty);
