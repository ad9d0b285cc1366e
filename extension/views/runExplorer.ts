// The sidebar run explorer: a tree of the workspace's runs. The run store arrives with its own issue;
// until a run folder exists the view shows its welcome content (package.json `viewsWelcome`).
import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';

export class RunItem extends vscode.TreeItem {}

export class RunExplorer extends Disposable implements vscode.TreeDataProvider<RunItem> {
  static readonly viewId = 'lrcDistill.runs';
  private readonly changed = this.register(new vscode.EventEmitter<RunItem | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  getChildren(): RunItem[] {
    return [];
  }
}
