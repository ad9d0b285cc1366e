// Tree items of a sweep in the run explorer: one node per sweep (name, executor, counts by state), with
// its teachers and runs under it: the run explorer's own run nodes, whose description is their state in
// the sweep ("pending (Priority)", "running · step 12/36", "failed · ..."). contextValue:
// `sweep.live` (runs running or queued in a live pool or scheduler: Cancel), `sweep.done` (every run
// finished) or `sweep.stopped` (neither: Resume), for the menus of package.json.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { countsText, type SweepMemberState, type SweepState } from '../sweeps/sweepState';
import { renderKey, RunNode } from './runTreeItems';

export type SweepContext = 'sweep.live' | 'sweep.done' | 'sweep.stopped';

export function sweepContextOf(s: Pick<SweepState, 'live' | 'done'>): SweepContext {
  return s.live ? 'sweep.live' : s.done ? 'sweep.done' : 'sweep.stopped';
}

function iconOf(s: SweepState): vscode.ThemeIcon {
  if (s.live) return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
  if (s.done) return new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
  if (s.counts.failed > 0) return new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red'));
  return new vscode.ThemeIcon(s.record.cancelledAt ? 'debug-stop' : 'debug-pause');
}

/** "20:46" today, else "4 Dec 20:46": tells apart the sweeps of one name. */
function madeAt(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === now.toDateString() ? time : `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

export class SweepNode extends vscode.TreeItem {
  /** Its members' nodes, kept from one update to the next so that an update can refresh them alone. */
  private readonly members = new Map<string, RunNode | SweepMemberNode>();

  constructor(public state: SweepState) {
    super(state.record.name, state.live ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `sweep:${state.record.id}`;
    this.command = { command: 'lrcDistill.openSweep', title: 'Open Sweep', arguments: [{ sweepId: state.record.id }] };
    this.apply(state);
  }

  /** Shows the sweep's new state; true when the node itself shows something else now. */
  apply(state: SweepState): boolean {
    const before = renderKey(this);
    this.state = state;
    const { record, counts } = state;
    const executor = record.executor === 'local' ? `local${record.workers ? ` ×${record.workers}` : ''}` : 'slurm';
    this.description = `${countsText(counts)} · ${executor}${record.cancelledAt && !state.done ? ' · cancelled' : ''} · ${madeAt(record.createdAt)}`;
    const scheduler = state.scheduler
      ? state.scheduler.error
        ? `Slurm: could not be asked (${state.scheduler.error})`
        : `Slurm: asked at ${new Date(state.scheduler.at).toLocaleTimeString()}`
      : undefined;
    this.tooltip = new vscode.MarkdownString(
      [
        `**${record.name}** (sweep, ${record.executor} executor)`,
        `${record.teachers.length} teacher(s), ${record.runs.length} run(s): ${countsText(counts)}`,
        state.live ? 'live' : state.done ? 'every run finished' : 'not running: Resume Sweep goes on from the checkpoints',
        record.cancelledAt ? `cancelled at ${record.cancelledAt}` : undefined,
        scheduler,
        `axes: ${record.axes.map((a) => `${a.name} (${a.levels.join(', ')})`).join(' × ')}${record.seeds.length ? ` × seed (${record.seeds.join(', ')})` : ''}`,
        `file: \`${record.file}\``,
        `id: \`${record.id}\``,
        `created: ${record.createdAt}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    this.iconPath = iconOf(state);
    this.contextValue = sweepContextOf(state);
    return renderKey(this) !== before;
  }

  /** Its teachers, then its runs, in the sweep's order. */
  children(): (RunNode | SweepMemberNode)[] {
    const nodes = this.state.members.map((m) => {
      const old = this.members.get(m.runId);
      if (m.run) {
        if (old instanceof RunNode) {
          old.apply(m.run, { node: this, member: m });
          return old;
        }
        return new RunNode(m.run, join(this.state.record.runsDir, m.runId), { node: this, member: m });
      }
      return old instanceof SweepMemberNode ? (old.apply(m), old) : new SweepMemberNode(this, m);
    });
    this.members.clear();
    for (const n of nodes) this.members.set(n instanceof RunNode ? n.run.id : n.member.runId, n);
    return nodes;
  }

  /** The member nodes of the last listing. */
  memberNodes(): (RunNode | SweepMemberNode)[] {
    return [...this.members.values()];
  }

  /** Applies the members' new states to their nodes; the nodes whose rendering changed. */
  updateMembers(): (RunNode | SweepMemberNode)[] {
    const changed: (RunNode | SweepMemberNode)[] = [];
    for (const m of this.state.members) {
      const node = this.members.get(m.runId);
      if (node instanceof RunNode && m.run && node.apply(m.run, { node: this, member: m })) changed.push(node);
      if (node instanceof SweepMemberNode && node.apply(m)) changed.push(node);
    }
    return changed;
  }
}

/** A teacher or run of a sweep whose run folder does not exist (yet). */
export class SweepMemberNode extends vscode.TreeItem {
  constructor(
    readonly parent: SweepNode,
    public member: SweepMemberState,
  ) {
    super(member.name, vscode.TreeItemCollapsibleState.None);
    this.id = `sweep-member:${parent.state.record.id}:${member.runId}`;
    this.iconPath = new vscode.ThemeIcon('circle-large-outline');
    this.contextValue = 'sweepMember';
    this.apply(member);
  }

  apply(member: SweepMemberState): boolean {
    const before = renderKey(this);
    this.member = member;
    this.description = member.detail || member.state;
    return renderKey(this) !== before;
  }
}
