// The analysis behind a data file open in the editor: which run's task the file belongs to, the latest
// analysis of that run (the paired one when there is one), and which line is which case. Also the
// text of a line's CodeLens. No vscode here, so that it is tested in plain Node.
import type { RunRef } from '../runs/runRef';
import { readAnalysisView, type AnalysisCase, type AnalysisFileView } from './analysisReader';
import { analysisRuns, runsByRole } from './analysisRuns';
import { caseFiles, defaultCaseFile, type CaseFileRef } from './casesData';
import { CaseTextIndex, matchLines, type DataFormat } from './dataFileMatch';
import { dataFilesOfRun, samePath, type DataFileOfRun } from './dataFiles';
import { HeaderCache } from './heatmapData';

export interface DocumentAnalysis {
  run: RunRef;
  file: CaseFileRef;
  view: AnalysisFileView;
  dataFile: DataFileOfRun;
  index: CaseTextIndex<AnalysisCase>;
}

const RUNS_TTL_MS = 5_000;

export class DataFileCases {
  private runs: { at: number; key: string; list: { run: RunRef; dataFiles: DataFileOfRun[] }[] } | undefined;
  private readonly views = new Map<string, { key: string; view: AnalysisFileView; index: CaseTextIndex<AnalysisCase> }>();
  private readonly matches = new Map<string, { key: string; lines: Map<number, AnalysisCase> }>();

  constructor(private readonly headers = new HeaderCache()) {}

  /** Forget the runs and files read (an analysis file or a run changed). */
  invalidate(): void {
    this.runs = undefined;
  }

  private runsOf(runsDir: string, workspaceFolder: string | undefined) {
    const key = `${runsDir}|${workspaceFolder ?? ''}`;
    if (!this.runs || this.runs.key !== key || Date.now() - this.runs.at > RUNS_TTL_MS) {
      const list = analysisRuns(runsDir).map((run) => ({ run, dataFiles: dataFilesOfRun(run.record.config, workspaceFolder) }));
      this.runs = { at: Date.now(), key, list };
    }
    return this.runs.list;
  }

  /** The analysis for a document at `path`, or undefined when it is no run's data file or has no analysis. */
  forDocument(path: string, runsDir: string | undefined, workspaceFolder: string | undefined): DocumentAnalysis | undefined {
    if (!runsDir) return undefined;
    const candidates = this.runsOf(runsDir, workspaceFolder)
      .flatMap(({ run, dataFiles }) => dataFiles.filter((f) => samePath(f.path, path)).map((dataFile) => ({ run, dataFile })))
      // LRC runs first (their paired analysis has both students), newest first within a kind
      .sort((a, b) => Number(b.run.kind === 'lrc') - Number(a.run.kind === 'lrc'));
    let fallback: { run: RunRef; dataFile: DataFileOfRun; file: CaseFileRef } | undefined;
    for (const { run, dataFile } of candidates) {
      const file = defaultCaseFile(caseFiles(run, this.headers), runsByRole(run).lrc?.id);
      if (!file) continue;
      if (file.students.length === 2) return this.load(run, dataFile, file);
      fallback ??= { run, dataFile, file };
    }
    return fallback && this.load(fallback.run, fallback.dataFile, fallback.file);
  }

  private load(run: RunRef, dataFile: DataFileOfRun, file: CaseFileRef): DocumentAnalysis {
    const header = this.headers.get(file.path);
    const key = `${header.createdAt}:${header.counts.cases}`;
    let hit = this.views.get(file.path);
    if (!hit || hit.key !== key) {
      const view = readAnalysisView(file.path);
      hit = { key, view, index: new CaseTextIndex(view.cases) };
      this.views.set(file.path, hit);
    }
    return { run, file, view: hit.view, dataFile, index: hit.index };
  }

  /** The case of each line of the document's text (0-based line -> case), cached per document version. */
  linesOf(analysis: DocumentAnalysis, documentKey: string, lines: () => string[], format: DataFormat): Map<number, AnalysisCase> {
    const key = `${analysis.file.path}|${analysis.view.createdAt}|${format}`;
    const hit = this.matches.get(documentKey);
    if (hit && hit.key === key) return hit.lines;
    const matched = matchLines(lines(), format, analysis.index);
    this.matches.set(documentKey, { key, lines: matched });
    if (this.matches.size > 20) this.matches.delete(this.matches.keys().next().value!);
    return matched;
  }
}

// ---- what a line shows ---------------------------------------------------------------------------

function label(names: readonly string[], v: number | null): string {
  return v === null ? '–' : (names[v] ?? String(v));
}

function num(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(1) : Number(v.toPrecision(digits)).toString();
}

export function meanOf(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** "pos 0.91" (class and its probability), or the score of a regression task. */
export function predictionShort(p: { prediction: number | null; probabilities?: (number | null)[] }, names: readonly string[]): string {
  if (!p.probabilities) return num(p.prediction, 4);
  const prob = p.prediction === null ? null : (p.probabilities[p.prediction] ?? null);
  return `${label(names, p.prediction)} ${prob === null ? '–' : prob.toFixed(2)}`;
}

function right(p: { prediction: number | null }, gold: number, kind: 'classification' | 'regression'): string {
  if (kind === 'regression') return '';
  return p.prediction === gold ? '✓ ' : '✗ ';
}

/**
 * The CodeLens of a case: "Teacher ✓ pos 0.97 · LRC ✓ pos 0.91 ∠0.412 mse 0.031 · MSE ✗ neg 0.62 ∠0.52 mse 0.029"
 * (∠ and mse: means over the mapped layers).
 */
export function lensTitle(c: AnalysisCase, labelNames: readonly string[], kind: 'classification' | 'regression'): string {
  const parts = [`Teacher ${right(c.teacher, c.label, kind)}${predictionShort(c.teacher, labelNames)}`];
  for (const [name, s] of [['LRC', c.lrc], ['MSE', c.mse]] as const) {
    if (s) parts.push(`${name} ${right(s, c.label, kind)}${predictionShort(s, labelNames)} ∠${num(meanOf(s.angular))} mse ${num(meanOf(s.mse))}`);
  }
  return parts.join(' · ');
}

/** The hover of a case: a Markdown table of the three models and the per-layer distances. */
export function hoverMarkdown(c: AnalysisCase, a: Pick<DocumentAnalysis, 'view' | 'run' | 'file'>): string {
  const names = a.view.task.labelNames;
  const kind = a.view.task.kind;
  const mapping = a.view.students.lrc?.mapping ?? a.view.students.mse?.mapping ?? [];
  const layers = mapping.map((m) => `S${m.student}→T${m.teacher}`).join(' · ');
  const row = (name: string, p: { prediction: number | null; probabilities?: (number | null)[] } | undefined, s?: { angular: (number | null)[]; mse: (number | null)[] }) =>
    p ? `| ${name} | ${right(p, c.label, kind)}${predictionShort(p, names)} | ${s ? s.angular.map((v) => num(v)).join(' · ') : ''} | ${s ? s.mse.map((v) => num(v)).join(' · ') : ''} |` : undefined;
  return [
    `**Case ${c.id}**, gold **${kind === 'regression' ? num(c.label, 4) : label(names, c.label)}** (analysis at step ${a.file.step} of ${a.file.run.name})`,
    '',
    `| model | prediction | ∠ per layer (${layers}) | MSE per layer |`,
    '|---|---|---|---|',
    row('Teacher', c.teacher),
    row('LRC student', c.lrc, c.lrc),
    row('MSE baseline', c.mse, c.mse),
  ].filter((l): l is string => l !== undefined).join('\n');
}
