// The heatmap's data: the steps of an LRC run and of its MSE baseline, and for each step the grids of
// both students, read from the files' headers (never their case records) and kept while the files do
// not change. No vscode here.
import { statSync } from 'node:fs';
import { readRunRecord } from '../../trainer/runs/runStore';
import type { GridSideView, HeatmapRunView, HeatmapStepView, RowKind } from '../../webview/heatmap/protocol';
import type { RunRef } from '../runs/runRef';
import { listStepFiles, readAnalysisHeader, type AnalysisHeader, type StepFile } from './analysisReader';
import { runsByRole, type StudentRole } from './analysisRuns';

/** The grids of one student in one file, as the page draws them. */
export function gridSide(header: AnalysisHeader, role: StudentRole, runId: string): GridSideView | undefined {
  const s = header.students[role];
  if (!s) return undefined;
  const cols = header.teacher.layers + 1;
  const rows: RowKind[] = s.rows.map((r) => (r === null ? 'none' : r === 'identity' ? 'identity' : 'projected'));
  const fill = (grid: (number | null)[][] | (null | (number | null)[])[]) => grid.map((row) => row ?? new Array<null>(cols).fill(null));
  return {
    role,
    runId,
    sourceStep: header.step,
    layers: s.layers,
    mapping: s.mapping.map((m) => ({ student: m.student, teacher: m.teacher })),
    rows,
    angular: fill(s.grid.angular),
    mse: fill(s.grid.mse),
    examples: header.counts.examples,
  };
}

/** Headers by path, re-read when the file's size or time changes. */
export class HeaderCache {
  private readonly entries = new Map<string, { key: string; header: AnalysisHeader }>();

  get(path: string): AnalysisHeader {
    const st = statSync(path);
    const key = `${st.size}:${st.mtimeMs}`;
    const hit = this.entries.get(path);
    if (hit && hit.key === key) return hit.header;
    const header = readAnalysisHeader(path);
    this.entries.set(path, { key, header });
    return header;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The file of `files` at the greatest step <= `step`. */
function atOrBefore(files: readonly StepFile[], step: number): StepFile | undefined {
  let found: StepFile | undefined;
  for (const f of files) if (f.step <= step) found = f;
  return found;
}

/**
 * The heatmap of a run: its role's grids and those of its pair, step by step. Steps are the union of
 * both runs' evaluation steps; at a step where one run has no file, its latest earlier file is shown
 * (and says so with its own step). At the LRC run's last step the paired analysis, when there, gives
 * both students from the same file.
 */
export class HeatmapSource {
  private readonly roles: Partial<Record<StudentRole, RunRef>>;
  private files: Partial<Record<StudentRole, StepFile[]>> = {};

  constructor(
    readonly run: RunRef,
    private readonly cache = new HeaderCache(),
  ) {
    if (run.kind !== 'lrc' && run.kind !== 'mse' && run.kind !== 'general') throw new Error(`run ${run.id} is a ${run.kind} run: the layer heatmap shows an LRC run and its MSE baseline, or a general run`);
    this.roles = runsByRole(run);
    this.refresh();
  }

  /** Lists both runs' files again; true when the steps changed. */
  refresh(): boolean {
    const before = this.steps().join();
    this.files = {};
    for (const role of ['lrc', 'mse'] as const) {
      const r = this.roles[role];
      if (r) this.files[role] = listStepFiles(r.dir);
    }
    return this.steps().join() !== before;
  }

  /** The folders whose analysis files this heatmap shows. */
  get runDirs(): string[] {
    return Object.values(this.roles).map((r) => r!.dir);
  }

  steps(): number[] {
    const all = new Set<number>();
    for (const files of Object.values(this.files)) for (const f of files!) all.add(f.step);
    return [...all].sort((a, b) => a - b);
  }

  view(): HeatmapRunView {
    const pair = Object.values(this.roles).find((r) => r!.id !== this.run.id);
    let status: string = this.run.status;
    try {
      status = readRunRecord(this.run.dir).status; // a running run moves on
    } catch {
      // keep the status it had
    }
    return {
      runId: this.run.id,
      runName: this.run.name,
      kind: this.run.kind,
      status,
      ...(pair ? { pair: { runId: pair.id, runName: pair.name } } : {}),
      steps: this.steps(),
    };
  }

  /** The grids at `step`; throws with the file and field when a file is broken. */
  stepView(step: number): HeatmapStepView {
    const sides: HeatmapStepView['sides'] = {};
    let stage = 1;
    let teacherLayers: number | undefined;
    let exact = false;
    const lrcRun = this.roles.lrc;
    const lrcFile = lrcRun && atOrBefore(this.files.lrc ?? [], step);
    const lrcHeader = lrcFile && this.cache.get(lrcFile.path);
    if (lrcRun && lrcHeader) {
      sides.lrc = gridSide(lrcHeader, 'lrc', lrcRun.id);
      teacherLayers = lrcHeader.teacher.layers;
      stage = lrcHeader.stage;
      exact = lrcHeader.step === step;
      // the paired analysis: the LRC run's file of this very step holds the baseline too
      if (exact && lrcHeader.students.mse) sides.mse = gridSide(lrcHeader, 'mse', lrcRun.id);
    }
    const mseRun = this.roles.mse;
    const mseFile = mseRun && atOrBefore(this.files.mse ?? [], step);
    if (mseRun && mseFile && !sides.mse) {
      const h = this.cache.get(mseFile.path);
      if (teacherLayers !== undefined && h.teacher.layers !== teacherLayers) {
        throw new Error(`${mseFile.path}: teacher.layers is ${h.teacher.layers} but the LRC run's file says ${teacherLayers}: the two runs do not share a teacher`);
      }
      sides.mse = gridSide(h, 'mse', mseRun.id);
      teacherLayers ??= h.teacher.layers;
      if (!exact && h.step === step) stage = h.stage;
    }
    if (teacherLayers === undefined || (!sides.lrc && !sides.mse)) throw new Error(`no analysis file at or before step ${step} in ${this.runDirs.join(' or ')}`);
    return { step, stage, teacherLayers, sides };
  }
}
