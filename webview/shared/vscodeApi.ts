// The webview's handle on the host: typed post, typed receive and persisted state.
import type { IpcMessage } from './protocol';

interface VsCodeApi<S> {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export function connect<S>() {
  const api = acquireVsCodeApi<S>();
  return {
    post: (msg: IpcMessage) => api.postMessage(msg),
    onMessage: (listener: (msg: unknown) => void) => window.addEventListener('message', (e) => listener(e.data)),
    getState: () => api.getState(),
    setState: (s: S) => api.setState(s),
  };
}
