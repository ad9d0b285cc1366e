// The case analysis's data: the analysis files of an LRC run and of its baseline, which of them holds
// both students, the default file, and the cases of a file as the page shows them. No vscode here.
import type { AnalysisFileChoice, CasesFileView, CaseView } from '../../webview/cases/protocol';
import type { RunRef } from '../runs/runRef';
import { listStepFiles, readAnalysisView, type AnalysisCase, type AnalysisFileView } from './analysisReader';
import { HeaderCache } from './heatmapData';
import { runsByRole, type StudentRole } from './analysisRuns';

export interface CaseFileRef extends AnalysisFileChoice {
  path: string;
  run: RunRef;
}

/**
 * Every analysis file of the run and of its pair, the LRC run's first, each with the students it holds
 * (read from the file's header). Files that cannot be read are left out and reported to `warn`.
 */
export function caseFiles(run: RunRef, cache: HeaderCache, warn: (message: string) => void = () => undefined): CaseFileRef[] {
  const roles = runsByRole(run);
  const runs = [roles.lrc, roles.mse].filter((r): r is RunRef => !!r);
  if (runs.length === 0) runs.push(run);
  const out: CaseFileRef[] = [];
  for (const r of runs) {
    for (const f of listStepFiles(r.dir)) {
      try {
        const h = cache.get(f.path);
        const students = (['lrc', 'mse'] as const).filter((role) => h.students[role]);
        out.push({ runId: r.id, step: f.step, students, path: f.path, run: r });
      } catch (e) {
        warn((e as Error).message);
      }
    }
  }
  return out;
}

/** The latest file with both students (the paired analysis), else the latest file of the LRC run, else the latest. */
export function defaultCaseFile(files: readonly CaseFileRef[], lrcRunId: string | undefined): CaseFileRef | undefined {
  const latest = (list: readonly CaseFileRef[]) => list.reduce<CaseFileRef | undefined>((best, f) => (!best || f.step > best.step ? f : best), undefined);
  return latest(files.filter((f) => f.students.length === 2)) ?? latest(files.filter((f) => f.runId === lrcRunId)) ?? latest(files);
}

function caseView(c: AnalysisCase): CaseView {
  const student = (s: AnalysisCase['lrc']) => s && { prediction: s.prediction, ...(s.probabilities ? { probabilities: s.probabilities } : {}), angular: s.angular, mse: s.mse };
  return {
    id: c.id,
    text: c.text,
    ...(c.textPair !== undefined ? { textPair: c.textPair } : {}),
    label: c.label,
    teacher: { prediction: c.teacher.prediction, ...(c.teacher.probabilities ? { probabilities: c.teacher.probabilities } : {}) },
    ...(c.lrc ? { lrc: student(c.lrc) } : {}),
    ...(c.mse ? { mse: student(c.mse) } : {}),
  };
}

export function casesFileView(file: AnalysisFileView, run: RunRef): CasesFileView {
  const mapping: CasesFileView['mapping'] = {};
  for (const role of ['lrc', 'mse'] as StudentRole[]) {
    const s = file.students[role];
    if (s) mapping[role] = s.mapping.map((m) => ({ student: m.student, teacher: m.teacher }));
  }
  return {
    runId: run.id,
    runName: run.name,
    step: file.step,
    stage: file.stage,
    createdAt: file.createdAt,
    kind: file.task.kind,
    labelNames: file.task.labelNames,
    examples: file.counts.examples,
    mapping,
    cases: file.cases.map(caseView),
  };
}

/** Reads the file and makes its view. */
export function loadCasesFile(ref: CaseFileRef): CasesFileView {
  return casesFileView(readAnalysisView(ref.path), ref.run);
}

export function fileChoices(files: readonly CaseFileRef[]): AnalysisFileChoice[] {
  return files.map((f) => ({ runId: f.runId, step: f.step, students: f.students }));
}
