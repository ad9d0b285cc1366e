// The extension's settings (package.json `contributes.configuration`), read in one place.
import * as vscode from 'vscode';
import { availableParallelism } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../trainer/server';
import { threadsPerWorker } from '../trainer/sweep/localPool';

const section = () => vscode.workspace.getConfiguration('lrcDistill');

/** The first workspace folder's path, or undefined without a workspace. */
export function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The absolute runs folder of the first workspace folder, or undefined without a workspace. */
export function runsFolder(): string | undefined {
  const setting = section().get<string>('runsFolder', '.lrc/runs');
  if (isAbsolute(setting)) return setting;
  const folder = workspaceFolder();
  return folder ? join(folder, setting) : undefined;
}

/** The runs folder; without a workspace, an error that says so. */
export function requireRunsFolder(): string {
  const dir = runsFolder();
  if (!dir) throw new UserError('open a folder first: LRC Distill keeps its runs in the workspace (setting lrcDistill.runsFolder)', 'workspace');
  return dir;
}

/** Where the new-run wizard saves its configs: `.lrc/configs/` in the workspace. */
export function configsFolder(): string | undefined {
  const folder = workspaceFolder();
  return folder ? join(folder, '.lrc', 'configs') : undefined;
}

export const BACKEND_SETTINGS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

export function backendSetting(): BackendSetting {
  return section().get<BackendSetting>('backend', 'auto');
}

/** Writes lrcDistill.backend in the workspace (or the user settings without a workspace). */
export async function setBackendSetting(value: BackendSetting): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await section().update('backend', value, target);
}

/** How long a trainer may leave a request (or the liveness ping) unanswered before it counts as hung. */
export function trainerTimeoutMs(): number {
  return Math.max(5, section().get<number>('trainerTimeoutSeconds', 120)) * 1000;
}

export const STUDENT_PRESET_NAMES = ['paper', 'small', 'tiny'] as const;
export type StudentPresetName = (typeof STUDENT_PRESET_NAMES)[number];

/** Defaults of the new-run wizard. */
export interface WizardDefaults {
  student: StudentPresetName;
  epochs: number;
  learningRate: number;
  split: number;
  evalEverySteps: number;
}

export function wizardDefaults(): WizardDefaults {
  const s = section();
  return {
    student: s.get<StudentPresetName>('defaults.student', 'paper'),
    epochs: s.get<number>('defaults.epochs', 3),
    learningRate: s.get<number>('defaults.learningRate', 1e-4),
    split: s.get<number>('defaults.stageSplit', 0.8),
    evalEverySteps: s.get<number>('evalEverySteps', 200),
  };
}

/** The trainer's LRC_THREADS, LRC_TEACHER_CACHE, LRC_TEACHER_STORE, LRC_TEACHER_STORE_DTYPE and LRC_TEACHER_STORE_MAX for a run
 * started now, beside `othersRunning` runs of this window: lrcDistill.threads ('auto' shares the cores out
 * as the sweep pool does), lrcDistill.teacherCache, lrcDistill.teacherStore, lrcDistill.teacherStoreDtype and
 * lrcDistill.teacherStoreMax ('' = no limit).
 * A relative store folder is the workspace folder's. */
export function trainerPerfEnv(othersRunning: number, cores = availableParallelism()): Record<string, string> {
  const threads = section().get<string>('threads', 'auto').trim();
  const cache = section().get<string>('teacherCache', 'auto').trim();
  const store = section().get<string>('teacherStore', 'auto').trim();
  const storeFolder = store === '' || ['auto', 'on', 'off'].includes(store) ? store || 'auto' : resolveInWorkspace(store);
  return {
    LRC_THREADS: threads === 'auto' || threads === '' ? String(threadsPerWorker(othersRunning + 1, cores)) : threads,
    LRC_TEACHER_CACHE: cache === '' ? 'auto' : cache,
    LRC_TEACHER_STORE: storeFolder,
    LRC_TEACHER_STORE_DTYPE: section().get<string>('teacherStoreDtype', 'float32'),
    LRC_TEACHER_STORE_MAX: section().get<string>('teacherStoreMax', '').trim(),
  };
}

function resolveInWorkspace(folder: string): string {
  const ws = workspaceFolder();
  return ws && !isAbsolute(folder) ? join(ws, folder) : folder;
}
