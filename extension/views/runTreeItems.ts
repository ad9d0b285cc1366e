// Tree items of the run explorer: one per run, with children for its config, checkpoints, analysis
// and exported model. `contextValue` carries kind and status so package.json menus can fit the state.
import * as vscode from 'vscode';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord, RunStatus } from '../../trainer/runs/runRecord';
import { runPaths } from '../../trainer/runs/runFolder';

const STATUS_ICONS: Record<RunStatus, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  paused: ['debug-pause', 'charts.yellow'],
  finished: ['pass', 'charts.green'],
  stopped: ['debug-stop'],
  failed: ['error', 'charts.red'],
  crashed: ['warning', 'charts.orange'],
};

const KIND_LABELS: Record<RunRecord['kind'], string> = {
  teacher: 'teacher fine-tuning',
  lrc: 'LRC distillation',
  mse: 'MSE baseline',
  student: 'student alone',
  pretrain: 'masked-LM pre-training',
};

export type ExplorerNode = RunNode | RunFileNode;

export class RunNode extends vscode.TreeItem {
  constructor(
    readonly run: RunRecord,
    readonly dir: string,
  ) {
    super(run.name, vscode.TreeItemCollapsibleState.Collapsed);
    const { step, totalSteps, stage } = run.progress;
    const best = run.best ? ` · best ${run.best.metric} ${run.best.value.toFixed(4)}` : '';
    const stageText = run.kind === 'lrc' || run.kind === 'mse' ? ` · stage ${stage}` : '';
    this.id = `run:${run.id}`;
    this.description = `${run.status}${stageText} · step ${step}/${totalSteps || '?'}${best}`;
    this.tooltip = new vscode.MarkdownString(
      [
        `**${run.name}** (${KIND_LABELS[run.kind]}${run.preset ? `, ${run.preset}` : ''})`,
        `status: ${run.status}`,
        `id: \`${run.id}\``,
        run.backend ? `backend: ${run.backend.backend} on ${run.backend.device}` : undefined,
        run.error ? `error: ${run.error.message}` : undefined,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    const [icon, color] = STATUS_ICONS[run.status];
    this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    this.contextValue = `run.${run.kind}.${run.status}`;
  }

  children(): RunFileNode[] {
    const p = runPaths(this.dir);
    const nodes: RunFileNode[] = [new RunFileNode('config', join(this.dir, 'config.json'), 'settings-gear', false)];
    const count = (d: string) => (existsSync(d) ? readdirSync(d).filter((n) => !n.startsWith('.')).length : 0);
    nodes.push(new RunFileNode(`checkpoints (${count(p.checkpoints)})`, p.checkpoints, 'save-all', true));
    nodes.push(new RunFileNode(`analysis (${count(p.analysis)})`, p.analysis, 'graph', true));
    if (existsSync(p.export)) nodes.push(new RunFileNode('exported model', p.export, 'package', true));
    nodes.push(new RunFileNode('metrics', p.metrics, 'pulse', false));
    return nodes;
  }
}

export class RunFileNode extends vscode.TreeItem {
  constructor(label: string, readonly path: string, icon: string, folder: boolean) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.resourceUri = vscode.Uri.file(path);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = folder ? 'runFolder' : 'runFile';
    if (!folder) this.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(path)] };
    else this.command = { command: 'revealInExplorer', title: 'Reveal', arguments: [vscode.Uri.file(path)] };
  }
}
