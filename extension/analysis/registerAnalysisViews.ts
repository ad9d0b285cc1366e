// Registers the analysis views with VS Code: the commands, the panels' serializers (so that they come
// back after a reload), the CodeLens and hover of data files, the analysis file watcher and the
// trainer process of "Analyze Selection". Everything goes into context.subscriptions.
import * as vscode from 'vscode';
import { isCasesState } from '../../webview/cases/protocol';
import { isHeatmapState } from '../../webview/heatmap/protocol';
import { runDirOfArg } from '../runs/runRef';
import { runsFolder } from '../settings';
import { ANALYSIS_COMMANDS, analyzeSelection, computeAnalysis, openCases, openHeatmap, probe, type AnalysisContext } from './analysisCommands';
import { AnalysisTrainer } from './analysisTrainer';
import { AnalysisWatcher } from './analysisWatcher';
import { CaseLensProvider, DATA_FILE_SELECTOR } from './caseLens';
import { CasesPanel } from './casesPanel';
import { HeatmapPanel } from './heatmapPanel';
import { SelectionPanel } from './selectionPanel';

export interface AnalysisViewsOptions {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
}

/** The run folder a saved page names: its folder when it still exists, else its id in the runs folder. */
function savedRunDir(state: { runId: string; runDir?: string }): string | undefined {
  for (const arg of [state.runDir && { runDir: state.runDir }, state.runId]) {
    try {
      const dir = arg ? runDirOfArg(arg, runsFolder()) : undefined;
      if (dir) return dir;
    } catch {
      // try the next
    }
  }
  return undefined;
}

export function registerAnalysisViews(context: vscode.ExtensionContext, options: AnalysisViewsOptions): void {
  const watcher = new AnalysisWatcher();
  const trainer = new AnalysisTrainer(options.extensionUri, options.output);
  const lens = new CaseLensProvider(watcher, options.output);
  const ctx: AnalysisContext = { ...options, watcher, trainer, lens };
  const gone = (panel: vscode.WebviewPanel, what: string) => {
    options.output.warn(`${what}: the run of a saved panel is gone; the panel is closed`);
    panel.dispose();
  };

  context.subscriptions.push(
    watcher,
    trainer,
    lens,
    vscode.window.registerWebviewPanelSerializer(HeatmapPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const dir = isHeatmapState(state) ? savedRunDir(state) : undefined;
        if (dir) HeatmapPanel.revive(panel, ctx, dir);
        else gone(panel, 'layer heatmap');
      },
    }),
    vscode.window.registerWebviewPanelSerializer(CasesPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const dir = isCasesState(state) ? savedRunDir(state) : undefined;
        if (dir && isCasesState(state)) CasesPanel.revive(panel, ctx, dir, state.file);
        else gone(panel, 'case analysis');
      },
    }),
    vscode.window.registerWebviewPanelSerializer(SelectionPanel.viewType, {
      deserializeWebviewPanel: async (panel) => void SelectionPanel.revive(panel, ctx),
    }),
    vscode.languages.registerCodeLensProvider(DATA_FILE_SELECTOR, lens),
    vscode.languages.registerHoverProvider(DATA_FILE_SELECTOR, lens),
    vscode.commands.registerCommand(ANALYSIS_COMMANDS.openHeatmap, (arg?: unknown) => openHeatmap(ctx, arg)),
    vscode.commands.registerCommand(ANALYSIS_COMMANDS.openCases, (arg?: unknown) => openCases(ctx, arg)),
    vscode.commands.registerCommand(ANALYSIS_COMMANDS.analyzeSelection, (arg?: unknown) => analyzeSelection(ctx, arg)),
    vscode.commands.registerCommand(ANALYSIS_COMMANDS.computeAnalysis, (arg?: unknown) => computeAnalysis(ctx, arg)),
    vscode.commands.registerCommand(ANALYSIS_COMMANDS.probe, (args: Parameters<typeof probe>[0]) => probe(args)),
  );
}
