// The run a command acts on: given by the tree (a RunNode), by id ({ runId } or a string), else the run
// selected in the Runs view when it fits, else a quick pick of the runs that fit.
import * as vscode from 'vscode';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { listRuns } from '../../trainer/runs/runStore';
import { UserError } from '../../trainer/server';
import { RunNode } from '../views/runTreeItems';
import type { CommandContext } from './context';

export interface RunFilter {
  /** What the run is picked for, in the quick pick's placeholder: "to pause". */
  purpose: string;
  fits: (run: RunRecord, ctx: CommandContext) => boolean;
  /** Why a given run does not fit: "only a running run can be paused". */
  rule: string;
}

/** The run id an argument names, if it names one. */
export function runIdOf(arg: unknown): string | undefined {
  if (arg instanceof RunNode) return arg.run.id;
  if (typeof arg === 'string' && arg) return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { runId?: unknown }).runId === 'string') return (arg as { runId: string }).runId;
  return undefined;
}

const ICONS: Record<string, string> = { queued: 'clock', running: 'sync', paused: 'debug-pause', finished: 'pass', stopped: 'debug-stop', failed: 'error', crashed: 'warning' };

/** The run to act on, or undefined when the user cancels or no run fits (they are told). */
export async function pickRun(ctx: CommandContext, arg: unknown, filter: RunFilter): Promise<RunRecord | undefined> {
  const id = runIdOf(arg);
  if (id) {
    const run = ctx.manager.read(id);
    if (!filter.fits(run, ctx)) throw new UserError(`run ${run.name} (${run.id}) is ${run.status}: ${filter.rule}`, 'run');
    return run;
  }
  const selected = ctx.treeView?.selection.find((n): n is RunNode => n instanceof RunNode);
  if (selected) {
    const run = ctx.manager.read(selected.run.id);
    if (filter.fits(run, ctx)) return run;
  }
  const runs = listRuns(ctx.manager.runsDir()).runs.filter((r) => filter.fits(r, ctx));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`LRC Distill: no run ${filter.purpose}: ${filter.rule}.`);
    return undefined;
  }
  const items = runs.map((r) => ({
    label: `$(${ICONS[r.status] ?? 'circle'}) ${r.name}`,
    description: `${r.kind} · ${r.status} · step ${r.progress.step}/${r.progress.totalSteps || '?'}${r.best ? ` · ${r.best.metric} ${r.best.value.toFixed(4)}` : ''}`,
    detail: r.id,
    run: r,
  }));
  const choice = await vscode.window.showQuickPick(items, { title: `LRC: pick a run ${filter.purpose}`, placeHolder: 'Runs of this workspace', matchOnDetail: true });
  return choice?.run;
}
