// Read-only documents of the `lrc-sweep:` scheme: a sweep's report as markdown (the text of
// `lrc-distill sweep report`, made in-process by the trainer's reportMarkdown, and made again while
// the document is open and the sweep changes), and the planned runs of a dry run. Read-only, so that
// closing them never asks to save; Save As writes a copy.
import * as vscode from 'vscode';
import { reportMarkdown } from '../../trainer/sweep/report/render';
import { Disposable } from '../util/disposable';
import type { SweepService } from './sweepService';
import { reportOf } from './sweepView';

export const SWEEP_SCHEME = 'lrc-sweep';

export const reportUri = (sweepId: string, name: string) => vscode.Uri.from({ scheme: SWEEP_SCHEME, path: `/report/${name}.md`, query: `sweep=${encodeURIComponent(sweepId)}` });

export class SweepDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly plans = new Map<string, string>();
  private plansMade = 0;

  constructor(private readonly sweeps: SweepService) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(SWEEP_SCHEME, this));
    this.register(sweeps.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) {
        if (doc.uri.scheme === SWEEP_SCHEME && doc.uri.path.startsWith('/report/')) this.changed.fire(doc.uri);
      }
    }));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === SWEEP_SCHEME && doc.uri.path.startsWith('/plan/')) this.plans.delete(doc.uri.toString());
    }));
  }

  /** A document with the text of a dry run. */
  planUri(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SWEEP_SCHEME, path: `/plan/${name} (dry run).txt`, query: `n=${++this.plansMade}` });
    this.plans.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.path.startsWith('/plan/')) return this.plans.get(uri.toString()) ?? 'This dry run is no longer kept: run it again.';
    const id = new URLSearchParams(uri.query).get('sweep');
    const state = id ? this.sweeps.get(id) : undefined;
    if (!state) return `No sweep ${id ?? ''} in this workspace any more.\n`;
    try {
      return reportMarkdown(reportOf(state));
    } catch (e) {
      return `The report of sweep ${state.record.id} could not be made: ${(e as Error).message}\n`;
    }
  }
}
