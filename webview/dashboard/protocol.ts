// Messages between the extension host and the run dashboard webview.
import { IpcNotification, isObject, isString } from '../shared/protocol';

export interface TrainerInfo {
  /** 'not started', 'starting', 'ready' or 'failed'. */
  status: string;
  backend?: string;
  device?: string;
  detail?: string;
}

const isTrainerInfo = (v: unknown): v is TrainerInfo =>
  isObject(v) && isString(v.status) && ['backend', 'device', 'detail'].every((k) => v[k] === undefined || isString(v[k]));

/** host -> webview: the trainer process and its backend. */
export const DidChangeTrainerNotification = new IpcNotification<TrainerInfo>('dashboard/didChangeTrainer', isTrainerInfo);

/** webview -> host: the user asks to start (or ask) the trainer. */
export const StartTrainerNotification = new IpcNotification<Record<string, never>>(
  'dashboard/startTrainer',
  (v): v is Record<string, never> => isObject(v),
);

/** State kept by the webview across reloads (vscode.getState / panel serializer). */
export interface DashboardState {
  runId?: string;
}
