// The sidebar run explorer: the workspace's run folders, live. A file watcher on the runs folder
// refreshes the tree when a run is created or its run.json changes, also when the CLI started it.
import * as vscode from 'vscode';
import { join, relative, sep } from 'node:path';
import { listRuns } from '../../trainer/runs/runStore';
import { Disposable } from '../util/disposable';
import { RunNode, type ExplorerNode } from './runTreeItems';
import { runsFolder } from '../settings';

export class RunExplorer extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  static readonly viewId = 'lrcDistill.runs';
  private readonly changed = this.register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private pending: NodeJS.Timeout | undefined;
  private broken: string[] = [];

  constructor() {
    super();
    this.watch();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrcDistill.runsFolder')) {
          this.watch();
          this.refresh();
        }
      }),
    );
    this.register({ dispose: () => this.pending && clearTimeout(this.pending) });
  }

  /** The folders that could not be read at the last refresh, with the reason. */
  get brokenRuns(): readonly string[] {
    return this.broken;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    if (node instanceof RunNode) return node.children();
    if (node) return [];
    const dir = runsFolder();
    if (!dir) return [];
    const { runs, broken } = listRuns(dir);
    this.broken = broken.map((b) => b.error);
    return runs.map((r) => new RunNode(r, join(dir, r.id)));
  }

  /** All runs as nodes (for commands that ask the user to pick one). */
  runNodes(): RunNode[] {
    return this.getChildren().filter((n): n is RunNode => n instanceof RunNode);
  }

  private watch(): void {
    this.watcher?.dispose();
    const dir = runsFolder();
    if (!dir) return;
    // Inside the workspace, watch through the workspace folder so that the runs folder may not exist yet.
    const folder = vscode.workspace.workspaceFolders?.[0];
    const inside = folder && !relative(folder.uri.fsPath, dir).startsWith('..');
    const pattern = inside
      ? new vscode.RelativePattern(folder, `${relative(folder.uri.fsPath, dir).split(sep).join('/')}/**`)
      : new vscode.RelativePattern(vscode.Uri.file(dir), '**');
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const later = () => this.refreshSoon();
    this.watcher.onDidCreate(later);
    this.watcher.onDidChange(later);
    this.watcher.onDidDelete(later);
    this.register(this.watcher);
  }

  /** Many files change at once during a run: refresh at most every 300 ms. */
  private refreshSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.refresh();
    }, 300);
  }
}
