// An error notification that offers "Open File" at the line when the message names a file and line,
// as the trainer's and the CLI's input errors do ("/data/news.tsv:3: column "label": expected ...").
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { locationsInMessage, type ErrorLocation } from './errorLocation';

export const OPEN_FILE = 'Open File';

/** One error notification: its message, its actions in order, and the action the user chose (or undefined). */
export interface ShownError {
  message: string;
  actions: string[];
  choice: Thenable<string | undefined>;
}

// The one seam for tests inside VS Code (the API has no way to read a notification): they hear what was
// shown through the extension's API and choose an action in the workbench itself.
const shown = new vscode.EventEmitter<ShownError>();
export const onDidShowError: vscode.Event<ShownError> = shown.event;

/** The first location of the message that is a file on disk. */
function existingFile(message: string): ErrorLocation | undefined {
  return locationsInMessage(message).find((l) => {
    try {
      return statSync(l.file).isFile();
    } catch {
      return false;
    }
  });
}

/** Opens `file` with the cursor at the start of `line` (1-based). */
export async function openFileAt(location: ErrorLocation): Promise<void> {
  const line = Math.max(0, (location.line ?? 1) - 1);
  const at = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: new vscode.Range(at, at), preview: false });
}

/**
 * showErrorMessage with "Open File" first when the message names an existing file; choosing it opens the
 * file at the line. Resolves to the action chosen (Open File included) or undefined.
 */
export async function showErrorWithLocation(text: string, ...actions: string[]): Promise<string | undefined> {
  const location = existingFile(text);
  const all = [...(location ? [OPEN_FILE] : []), ...actions];
  const shownChoice = vscode.window.showErrorMessage(text, ...all);
  shown.fire({ message: text, actions: all, choice: shownChoice });
  const choice = await shownChoice;
  if (choice === OPEN_FILE && location) await openFileAt(location).catch(() => undefined);
  return choice;
}
