// The extension's settings (package.json `contributes.configuration`), read in one place.
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';

/** The absolute runs folder of the first workspace folder, or undefined without a workspace. */
export function runsFolder(): string | undefined {
  const setting = vscode.workspace.getConfiguration('lrcDistill').get<string>('runsFolder', '.lrc/runs');
  if (isAbsolute(setting)) return setting;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? join(folder.uri.fsPath, setting) : undefined;
}

export type BackendSetting = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export function backendSetting(): BackendSetting {
  return vscode.workspace.getConfiguration('lrcDistill').get<BackendSetting>('backend', 'auto');
}
