// Tree items of the run explorer: one per run, with children for its config, checkpoints, analysis
// and exported model. `contextValue` carries kind and status so package.json menus can fit the state;
// a run of a sweep (under its sweep's node, views/sweepTreeItems.ts) shows its sweep state instead.
import * as vscode from 'vscode';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord, RunStatus } from '../../trainer/runs/runRecord';
import { runPaths } from '../../trainer/runs/runFolder';
import type { SweepMemberState } from '../sweeps/sweepState';
import type { SweepMemberNode, SweepNode } from './sweepTreeItems';

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
  general: 'general distillation (corpus)',
};

export type ExplorerNode = RunNode | RunFileNode | SweepNode | SweepMemberNode;

/** How a run of a sweep stands in its sweep (trainer/sweep/sweepStatus.ts). */
export type SweepStateName = SweepMemberState['state'];

const SWEEP_STATE_ICONS: Record<SweepStateName, [string, string?]> = {
  waiting: ['clock'],
  pending: ['watch', 'charts.yellow'],
  running: ['sync~spin', 'charts.blue'],
  finished: ['pass', 'charts.green'],
  failed: ['error', 'charts.red'],
};

/** What a sweep's run shows after its name: the detail of its state ("accuracy 0.9583", "step 12/36",
 *  "pending (Priority)", "stopped at step 10/36: ..."); the icon shows the state itself. */
export function sweepStateText(m: Pick<SweepMemberState, 'state' | 'detail'>): string {
  return m.detail || m.state;
}

/** What a tree item shows, to tell whether an update changed it. */
export function renderKey(item: vscode.TreeItem): string {
  const icon = item.iconPath instanceof vscode.ThemeIcon ? `${item.iconPath.id}:${item.iconPath.color?.id ?? ''}` : '';
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? '');
  return JSON.stringify([item.label, item.description, tooltip, icon, item.contextValue]);
}

export class RunNode extends vscode.TreeItem {
  constructor(
    public run: RunRecord,
    readonly dir: string,
    /** The run's place in a sweep, when the node sits under the sweep's node. */
    public sweep?: { node: SweepNode; member: SweepMemberState },
  ) {
    super(run.name, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `run:${run.id}`;
    this.apply(run, sweep);
  }

  /** Shows the run's new record (and sweep state); true when what the tree shows changed. */
  apply(run: RunRecord, sweep?: { node: SweepNode; member: SweepMemberState }): boolean {
    const before = renderKey(this);
    this.run = run;
    this.sweep = sweep;
    const { step, totalSteps, stage } = run.progress;
    const best = run.best ? ` · best ${run.best.metric} ${run.best.value.toFixed(4)}` : '';
    const stageText = run.kind === 'lrc' || run.kind === 'mse' ? ` · stage ${stage}` : '';
    this.label = sweep ? memberLabel(run.name, sweep.node.state.record.name) : run.name;
    this.description = sweep ? sweepStateText(sweep.member) : `${run.status}${stageText} · step ${step}/${totalSteps || '?'}${best}`;
    this.tooltip = new vscode.MarkdownString(
      [
        `**${run.name}** (${KIND_LABELS[run.kind]}${run.preset ? `, ${run.preset}` : ''})`,
        sweep ? `in sweep: ${sweep.node.state.record.name} (\`${sweep.node.state.record.id}\`)` : undefined,
        sweep ? `sweep state: **${sweep.member.state}**${sweep.member.detail ? `: ${sweep.member.detail}` : ''}` : undefined,
        sweep && Object.keys(sweep.member.cell).length ? `cell: ${Object.entries(sweep.member.cell).map(([a, l]) => `${a} ${l}`).join(', ')}${sweep.member.seed !== undefined ? `; seed ${sweep.member.seed}` : ''}` : undefined,
        sweep?.member.job ? `Slurm job: ${sweep.member.job}` : undefined,
        `status: ${run.status}${stageText} · step ${step}/${totalSteps || '?'}${best}`,
        `id: \`${run.id}\``,
        run.backend ? `backend: ${run.backend.backend} on ${run.backend.device}` : undefined,
        run.error ? `error: ${run.error.message}` : undefined,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    const [icon, color] = sweep ? SWEEP_STATE_ICONS[sweep.member.state] : STATUS_ICONS[run.status];
    this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    // A sweep's run says so: its sweep starts and resumes it, not Start/Resume (package.json menus).
    this.contextValue = `run.${run.kind}.${run.status}${sweep ? '.sweep' : ''}`;
    return renderKey(this) !== before;
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

/** A sweep's run shown under its sweep: its name without the sweep's name in front ("A LRC seed 42"). */
function memberLabel(name: string, sweepName: string): string {
  return name.startsWith(`${sweepName} `) ? name.slice(sweepName.length + 1) : name;
}
