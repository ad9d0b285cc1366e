// The run a command works on: the one its argument names, else one the user picks from the LRC and MSE
// runs of the runs folder (newest first, with their analysis files and pair).
import * as vscode from 'vscode';
import { runsFolder } from '../settings';
import { analysisRuns, runDirOfArg, runRef, shortId, type AnalysisRunChoice, type RunRef } from './analysisRuns';

export interface PickOptions {
  title: string;
  /** Only finished (or stopped) runs with a pair: for the paired analysis. */
  pairedAndFinished?: boolean;
}

/** The run of the argument, or the user's pick; undefined when the user cancels or there is none (said). */
export async function runOfArgOrPick(arg: unknown, options: PickOptions): Promise<RunRef | undefined> {
  const runs = runsFolder();
  const dir = runDirOfArg(arg, runs);
  if (dir) return runRef(dir);
  if (!runs) throw new Error('open a workspace folder first: the runs are in its .lrc/runs folder');
  const choices = analysisRuns(runs, { finishedOnly: options.pairedAndFinished, withPair: options.pairedAndFinished });
  if (choices.length === 0) {
    const what = options.pairedAndFinished ? 'finished LRC run with an MSE baseline' : 'LRC or MSE run';
    void vscode.window.showInformationMessage(`LRC Distill: no ${what} in ${runs}. Start one with "lrc-distill distill --baseline" or the run explorer.`);
    return undefined;
  }
  const item = (c: AnalysisRunChoice): vscode.QuickPickItem & { run: RunRef } => ({
    run: c.run,
    label: c.run.name,
    description: `${c.run.kind.toUpperCase()} · ${c.run.status} · step ${c.run.record.progress.step} · ${c.files} analysis file${c.files === 1 ? '' : 's'}`,
    detail: `${c.run.id}${c.pair ? ` · paired with ${c.pair.name} (${shortId(c.pair.id)})` : ' · no paired run'}`,
  });
  const picked = await vscode.window.showQuickPick(choices.map(item), { title: options.title, placeHolder: 'Pick a run (type to filter by name or id)', matchOnDescription: true, matchOnDetail: true });
  return picked?.run;
}
