// The CodeLens of a sweep file (`*.sweep.json`), over its first line: Run sweep (local), Run sweep on
// Slurm, Dry run, and for the sweeps made from this file (newest first) Open sweep <id> with its counts.
import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { SweepService } from './sweepService';
import { countsText } from './sweepState';

export const SWEEP_FILE_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.sweep.json' }];

/** At most this many "Open sweep" lenses; older sweeps of the file are in Open Sweep's pick. */
const MAX_OPEN_LENSES = 3;

export class SweepLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  private lastKey = '';

  constructor(private readonly sweeps: SweepService) {
    super();
    // Only what the lenses show: which sweeps each file has, and their counts.
    this.register(sweeps.onDidChange(() => {
      const key = JSON.stringify(sweeps.states().map((s) => [s.record.id, s.record.file, s.counts, s.live]));
      if (key !== this.lastKey) {
        this.lastKey = key;
        this.changed.fire();
      }
    }));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const range = new vscode.Range(0, 0, 0, 0);
    const file = document.uri;
    const lenses = [
      new vscode.CodeLens(range, { title: '$(play) Run sweep (local)', tooltip: 'lrc-distill sweep <file> --executor local: a pool of worker processes on this machine', command: 'lrcDistill.runSweep', arguments: [file, { executor: 'local' }] }),
      new vscode.CodeLens(range, { title: '$(server) Run sweep on Slurm', tooltip: 'lrc-distill sweep <file> --executor slurm: job arrays submitted with sbatch', command: 'lrcDistill.runSweep', arguments: [file, { executor: 'slurm' }] }),
      new vscode.CodeLens(range, { title: '$(list-flat) Dry run', tooltip: 'The runs this file plans (every config validated); nothing is created', command: 'lrcDistill.dryRunSweep', arguments: [file] }),
    ];
    const made = this.sweeps.states().filter((s) => s.record.file === file.fsPath);
    for (const s of made.slice(0, MAX_OPEN_LENSES)) {
      lenses.push(new vscode.CodeLens(range, {
        title: `$(${s.live ? 'sync' : s.done ? 'pass' : 'graph'}) Open sweep ${s.record.id}`,
        tooltip: `${s.record.executor}: ${countsText(s.counts)}`,
        command: 'lrcDistill.openSweep',
        arguments: [{ sweepId: s.record.id }],
      }));
    }
    if (made.length > MAX_OPEN_LENSES) {
      lenses.push(new vscode.CodeLens(range, { title: `${made.length - MAX_OPEN_LENSES} older sweep(s)…`, command: 'lrcDistill.openSweep', arguments: [] }));
    }
    return lenses;
  }
}
