// The run a command acts on: the one its argument names (runDirOfArg: an id or prefix, a run folder, a
// run explorer node, { runId }, { runDir }...), else the run selected in the Runs view when the command
// takes it and it fits, else the user's pick from a quick pick of the runs that fit, newest first.
import * as vscode from 'vscode';
import type { RunRecord } from '../../trainer/runs/runRecord';
import { UserError } from '../../trainer/server';
import { listRunRefs, runDirOfArg, runRef, type RunRef } from '../runs/runRef';
import { requireRunsFolder, runsFolder } from '../settings';
import { RunNode } from '../views/runTreeItems';
import type { CommandContext } from './context';

export interface RunPick {
  /** The quick pick's title: "LRC: pick a run to pause", "LRC: Open Layer Heatmap". */
  title: string;
  /** The runs offered, and the selected run taken. */
  fits: (run: RunRef) => boolean;
  /** Why a run given as the argument does not fit (an error then); without it, a given run is taken as it is. */
  rule?: string;
  /** What is said when no run of the runs folder fits. */
  none: (runsDir: string) => string;
  /** A run's row; by default its status icon and name, kind · status · step · best score, and id. */
  describe?: (run: RunRef) => vscode.QuickPickItem;
  placeHolder?: string;
  /** Typing filters by the rows' descriptions too (always by label and detail). */
  matchOnDescription?: boolean;
  /** The Runs view's selection: a selected run that fits is taken without asking. */
  selection?: readonly unknown[];
}

const ICONS: Record<string, string> = { queued: 'clock', running: 'sync', paused: 'debug-pause', finished: 'pass', stopped: 'debug-stop', failed: 'error', crashed: 'warning' };

function statusRow({ record: r }: RunRef): vscode.QuickPickItem {
  return {
    label: `$(${ICONS[r.status] ?? 'circle'}) ${r.name}`,
    description: `${r.kind} · ${r.status} · step ${r.progress.step}/${r.progress.totalSteps || '?'}${r.best ? ` · ${r.best.metric} ${r.best.value.toFixed(4)}` : ''}`,
    detail: r.id,
  };
}

/** The run to act on, or undefined when the user cancels or no run fits (they are told). */
export async function chooseRun(arg: unknown, pick: RunPick): Promise<RunRef | undefined> {
  const dir = runDirOfArg(arg, runsFolder());
  if (dir) {
    const run = runRef(dir);
    if (pick.rule !== undefined && !pick.fits(run)) throw new UserError(`run ${run.name} (${run.id}) is ${run.status}: ${pick.rule}`, 'run');
    return run;
  }
  const selected = pick.selection?.find((n): n is RunNode => n instanceof RunNode);
  if (selected) {
    const run = runRef(selected.dir);
    if (pick.fits(run)) return run;
  }
  const runsDir = requireRunsFolder();
  const fitting = listRunRefs(runsDir).filter(pick.fits);
  if (fitting.length === 0) {
    void vscode.window.showInformationMessage(`LRC Distill: ${pick.none(runsDir)}`);
    return undefined;
  }
  const describe = pick.describe ?? statusRow;
  const items = fitting.map((run) => ({ ...describe(run), run }));
  const choice = await vscode.window.showQuickPick(items, {
    title: pick.title,
    placeHolder: pick.placeHolder ?? 'Runs of this workspace',
    matchOnDescription: pick.matchOnDescription,
    matchOnDetail: true,
  });
  return choice?.run;
}

export interface RunFilter {
  /** What the run is picked for, in the quick pick's title: "to pause". */
  purpose: string;
  fits: (run: RunRecord, ctx: CommandContext) => boolean;
  /** Why a given run does not fit: "only a running run can be paused". */
  rule: string;
}

/** The run a run command acts on (its argument, the Runs view's selection, or a pick of the runs that fit). */
export async function pickRun(ctx: CommandContext, arg: unknown, filter: RunFilter): Promise<RunRecord | undefined> {
  const run = await chooseRun(arg, {
    title: `LRC: pick a run ${filter.purpose}`,
    fits: (r) => filter.fits(r.record, ctx),
    rule: filter.rule,
    none: () => `no run ${filter.purpose}: ${filter.rule}.`,
    selection: ctx.treeView?.selection,
  });
  return run?.record;
}
