// The sidebar run explorer: the workspace's sweeps and run folders, live. A file watcher on the runs
// folder refreshes the tree when a run is created or its run.json changes, also when the CLI started
// it; the sweep service (sweeps/sweepService.ts) adds the sweeps folder and the Slurm scheduler. A sweep
// is one node with its teachers and runs under it; the runs of no sweep are at the top level.
//
// A refresh lists everything again but tells VS Code only what changed: the whole tree when a run or a
// sweep came or went, else just the nodes whose label, description, tooltip, icon or context changed.
// Runs write their run.json several times a second; refreshing the whole tree that often would make
// VS Code drop the commands of the rows under the mouse, and a click on a live sweep would be lost.
import * as vscode from 'vscode';
import { join, relative, sep } from 'node:path';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { listRuns } from '../../trainer/runs/runStore';
import { Disposable } from '../util/disposable';
import { RunNode, type ExplorerNode } from './runTreeItems';
import { SweepMemberNode, SweepNode } from './sweepTreeItems';
import { runsFolder } from '../settings';
import type { SweepService } from '../sweeps/sweepService';
import type { SweepState } from '../sweeps/sweepState';

type Change = ExplorerNode | ExplorerNode[] | undefined;

export class RunExplorer extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  static readonly viewId = 'lrcDistill.runs';
  private readonly changed = this.register(new vscode.EventEmitter<Change>());
  readonly onDidChangeTreeData = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private pending: NodeJS.Timeout | undefined;
  private broken: string[] = [];
  /** The nodes of the last listing, by run or sweep id, reused by the next one. */
  private runNodesById = new Map<string, RunNode>();
  private sweepNodesById = new Map<string, SweepNode>();
  /** The nodes VS Code has been given (only those can be refreshed one by one). */
  private shown = new WeakSet<ExplorerNode>();
  /** The runs whose children (config, checkpoints (n), analysis (n), ...) VS Code listed, with their labels. */
  private listed = new WeakMap<RunNode, string>();
  private structure: string | undefined;
  /** Run ids of the sweeps' members: their files' changes reach the tree through the sweep service. */
  private members = new Set<string>();

  constructor(private readonly sweeps: SweepService) {
    super();
    this.watch();
    this.register(sweeps.onDidChange(() => this.refresh()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrcDistill.runsFolder')) {
          this.watch();
          this.refresh(true);
        }
      }),
    );
    this.register({ dispose: () => this.pending && clearTimeout(this.pending) });
  }

  /** The folders that could not be read at the last refresh, with the reason. */
  get brokenRuns(): readonly string[] {
    return this.broken;
  }

  /** Lists the runs and sweeps again and shows what changed (`full`: redraws the whole tree). */
  refresh(full = false): void {
    if (full || this.structure === undefined) {
      this.structure = undefined;
      this.changed.fire(undefined);
      return;
    }
    const { sweeps, runs } = this.read();
    if (this.structureOf(sweeps, runs) !== this.structure) {
      this.structure = undefined;
      this.changed.fire(undefined);
      return;
    }
    const changes: ExplorerNode[] = [];
    // A run node shown open whose files changed (a new checkpoint, analysis or export) is listed again.
    const filesChanged = (n: RunNode) => this.listed.has(n) && this.listed.get(n) !== childLabels(n.children());
    for (const s of sweeps) {
      const node = this.sweepNodesById.get(s.record.id)!;
      const self = node.apply(s);
      if (self && this.shown.has(node)) {
        changes.push(node); // VS Code lists its children again too
        continue;
      }
      const updated = new Set(node.updateMembers());
      for (const m of node.memberNodes()) {
        if (this.shown.has(m) && (updated.has(m) || (m instanceof RunNode && filesChanged(m)))) changes.push(m);
      }
    }
    for (const r of runs) {
      const node = this.runNodesById.get(r.id);
      if (node && (node.apply(r) || filesChanged(node)) && this.shown.has(node)) changes.push(node);
    }
    if (changes.length) this.changed.fire(changes);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    let children: ExplorerNode[];
    if (node instanceof RunNode) {
      children = node.children();
      this.listed.set(node, childLabels(children));
    } else if (node instanceof SweepNode) children = node.children();
    else if (node) children = [];
    else children = this.rootNodes();
    for (const c of children) this.shown.add(c);
    return children;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    if (node instanceof RunNode && node.sweep) return node.sweep.node;
    if (node instanceof SweepMemberNode) return node.parent;
    return undefined;
  }

  /** All runs as nodes, those of sweeps too (for commands that ask the user to pick one). */
  runNodes(): RunNode[] {
    return this.getChildren().flatMap((n) => (n instanceof SweepNode ? n.children() : [n])).filter((n): n is RunNode => n instanceof RunNode);
  }

  /** The sweeps' nodes, newest first. */
  sweepNodes(): SweepNode[] {
    return this.getChildren().filter((n): n is SweepNode => n instanceof SweepNode);
  }

  private read(): { sweeps: SweepState[]; runs: RunRecord[] } {
    const dir = runsFolder();
    if (!dir) return { sweeps: [], runs: [] };
    const sweeps = this.sweeps.states();
    this.members = new Set(sweeps.flatMap((s) => s.members.map((m) => m.runId)));
    const { runs, broken } = listRuns(dir);
    this.broken = [...broken.map((b) => b.error), ...this.sweeps.broken];
    return { sweeps, runs: runs.filter((r) => !this.members.has(r.id)) };
  }

  private structureOf(sweeps: SweepState[], runs: RunRecord[]): string {
    return JSON.stringify([runsFolder(), sweeps.map((s) => [s.record.id, s.members.map((m) => `${m.runId}:${m.run ? 1 : 0}`).join(',')]), runs.map((r) => r.id)]);
  }

  private rootNodes(): ExplorerNode[] {
    const dir = runsFolder();
    if (!dir) {
      this.structure = '';
      return [];
    }
    const { sweeps, runs } = this.read();
    const sweepNodes = sweeps.map((s) => {
      const old = this.sweepNodesById.get(s.record.id);
      if (!old) return new SweepNode(s);
      old.apply(s);
      return old;
    });
    const runNodes = runs.map((r) => {
      const old = this.runNodesById.get(r.id);
      if (!old) return new RunNode(r, join(dir, r.id));
      old.apply(r);
      return old;
    });
    this.sweepNodesById = new Map(sweepNodes.map((n) => [n.state.record.id, n]));
    this.runNodesById = new Map(runNodes.map((n) => [n.run.id, n]));
    const structure = this.structureOf(sweeps, runs);
    if (this.structure !== undefined && structure !== this.structure) {
      // Listed by someone else than the tree (a command, a test) after a run or sweep came or went:
      // the tree may not know yet, so it lists everything again.
      this.structure = undefined;
      setTimeout(() => this.changed.fire(undefined), 0);
    } else {
      this.structure = structure;
    }
    return [...sweepNodes, ...runNodes];
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
    const later = (uri: vscode.Uri) => {
      // A sweep's runs: the sweep service follows their run.json and tells the tree.
      if (this.members.has(relative(dir, uri.fsPath).split(sep)[0])) return;
      this.refreshSoon();
    };
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

const childLabels = (nodes: ExplorerNode[]) => nodes.map((n) => String(n.label)).join('|');
