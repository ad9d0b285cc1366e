// Tells the analysis views when an analysis file appears or changes: a file system watcher on the runs
// folder (and on any run folder a view shows from elsewhere), with the run folder of each change.
import * as vscode from 'vscode';
import { dirname, isAbsolute, relative } from 'node:path';
import { runsFolder } from '../settings';
import { Disposable } from '../util/disposable';

export interface AnalysisChange {
  /** The run folder whose analysis folder changed. */
  runDir: string;
  /** The analysis file, when the change names one. */
  path: string;
}

const PATTERN = '*/analysis/step-*.json';

export class AnalysisWatcher extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<AnalysisChange>());
  private runsWatcher: vscode.FileSystemWatcher | undefined;
  private readonly runWatchers = new Map<string, { watcher: vscode.FileSystemWatcher; users: number }>();

  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.watchRunsFolder();
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('lrcDistill.runsFolder') && this.watchRunsFolder()));
    this.register({ dispose: () => {
      this.runsWatcher?.dispose();
      for (const w of this.runWatchers.values()) w.watcher.dispose();
      this.runWatchers.clear();
    } });
  }

  /** Also watches a run folder outside the runs folder while the returned disposable lives. */
  watchRun(runDir: string): vscode.Disposable {
    const runs = runsFolder();
    if (runs && isInside(runDir, runs)) return { dispose: () => undefined };
    let entry = this.runWatchers.get(runDir);
    if (!entry) {
      entry = { watcher: this.listen(new vscode.RelativePattern(vscode.Uri.file(runDir), 'analysis/step-*.json')), users: 0 };
      this.runWatchers.set(runDir, entry);
    }
    entry.users++;
    return {
      dispose: () => {
        const e = this.runWatchers.get(runDir);
        if (e && --e.users === 0) {
          e.watcher.dispose();
          this.runWatchers.delete(runDir);
        }
      },
    };
  }

  /** Fires a change by hand (a view that wrote a file itself, a test). */
  fire(path: string): void {
    this.changed.fire({ runDir: dirname(dirname(path)), path });
  }

  private watchRunsFolder(): void {
    this.runsWatcher?.dispose();
    const runs = runsFolder();
    this.runsWatcher = runs ? this.listen(new vscode.RelativePattern(vscode.Uri.file(runs), PATTERN)) : undefined;
  }

  private listen(pattern: vscode.RelativePattern): vscode.FileSystemWatcher {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const fire = (uri: vscode.Uri) => this.fire(uri.fsPath);
    watcher.onDidCreate(fire);
    watcher.onDidChange(fire);
    watcher.onDidDelete(fire);
    return watcher;
  }
}

function isInside(path: string, folder: string): boolean {
  const r = relative(folder, path);
  return !!r && !r.startsWith('..') && !isAbsolute(r);
}
