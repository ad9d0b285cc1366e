// Inline case analysis in a data file of a run's task: a CodeLens over each example line with the
// teacher's, the LRC student's and the MSE baseline's predictions and distances (from the latest
// analysis), a hover with the per-layer values, and a click that opens the case in the case analysis.
import * as vscode from 'vscode';
import { runsFolder, workspaceFolder } from '../settings';
import { Disposable } from '../util/disposable';
import type { AnalysisCase } from './analysisReader';
import type { AnalysisWatcher } from './analysisWatcher';
import { DataFileCases, hoverMarkdown, lensTitle, type DocumentAnalysis } from './dataFileCases';
import { dataFormatOf } from './dataFileMatch';

/** The files the providers look at: the formats the trainer reads. */
export const DATA_FILE_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.{tsv,tab,csv,jsonl,ndjson,json}' },
];

export const OPEN_CASE_COMMAND = 'lrcDistill.openCaseAnalysis';

/** Larger files (a big training set) are not matched line by line: the cases are the dev set's anyway. */
const MAX_LINES = 200_000;

export function codeLensEnabled(): boolean {
  return vscode.workspace.getConfiguration('lrcDistill').get<boolean>('analysis.codeLens', true);
}

export class CaseLensProvider extends Disposable implements vscode.CodeLensProvider, vscode.HoverProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  readonly cases = new DataFileCases();

  constructor(watcher: AnalysisWatcher, private readonly output: vscode.LogOutputChannel) {
    super();
    this.register(watcher.onDidChange(() => this.refresh()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('lrcDistill') && this.refresh()));
  }

  refresh(): void {
    this.cases.invalidate();
    this.changed.fire();
  }

  /** The analysis behind the document and the case of each line, or undefined. */
  lookup(document: vscode.TextDocument): { analysis: DocumentAnalysis; lines: Map<number, AnalysisCase> } | undefined {
    if (document.uri.scheme !== 'file' || document.lineCount > MAX_LINES) return undefined;
    const format = dataFormatOf(document.uri.fsPath);
    if (!format) return undefined;
    try {
      const analysis = this.cases.forDocument(document.uri.fsPath, runsFolder(), workspaceFolder());
      if (!analysis) return undefined;
      const lines = this.cases.linesOf(analysis, `${document.uri.toString()}@${document.version}`, () => document.getText().split('\n'), analysis.dataFile.format ?? format);
      return { analysis, lines };
    } catch (e) {
      this.output.warn(`inline case analysis of ${document.uri.fsPath}: ${(e as Error).message}`);
      return undefined;
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled()) return [];
    const found = this.lookup(document);
    if (!found) return [];
    const { analysis, lines } = found;
    const names = analysis.view.task.labelNames;
    const lenses: vscode.CodeLens[] = [];
    for (const [line, c] of lines) {
      if (line >= document.lineCount) continue;
      lenses.push(new vscode.CodeLens(document.lineAt(line).range, {
        title: lensTitle(c, names, analysis.view.task.kind),
        tooltip: `Case ${c.id} of the analysis at step ${analysis.file.step} (${analysis.file.run.name}): open it in the case analysis`,
        command: OPEN_CASE_COMMAND,
        arguments: [{ runDir: analysis.run.dir, caseId: c.id, file: { runId: analysis.file.runId, step: analysis.file.step } }],
      }));
    }
    return lenses;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.lookup(document);
    const c = found?.lines.get(position.line);
    if (!found || !c) return undefined;
    const args = encodeURIComponent(JSON.stringify([{ runDir: found.analysis.run.dir, caseId: c.id, file: { runId: found.analysis.file.runId, step: found.analysis.file.step } }]));
    const md = new vscode.MarkdownString(`${hoverMarkdown(c, found.analysis)}\n\n[Open in the case analysis](command:${OPEN_CASE_COMMAND}?${args})`);
    md.isTrusted = { enabledCommands: [OPEN_CASE_COMMAND] };
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}
