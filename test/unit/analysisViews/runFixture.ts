// Run folders with analysis files written by the trainer's own writer (trainer/analysis/analysisFile.ts),
// for the tests of the views' readers: an LRC run, its MSE baseline, hand-made grids and cases.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, CaseRecord, StudentAnalysis } from '../../../trainer/analysis/accumulate';
import { toAnalysisFile, writeAnalysisFile } from '../../../trainer/analysis/analysisFile';

export type Role = 'lrc' | 'mse';

/** grid[i][j] = base + i / 10 + j / 100: every cell tells where it is. */
export function grid(rows: number, cols: number, base: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => base + i / 10 + j / 100));
}

/** A student of 2 layers mapped to teacher layers 2 and 4 (teacher of 4 layers). */
export function student(base: number): StudentAnalysis {
  return {
    layers: 2,
    hidden: 8,
    mapping: [{ student: 1, teacher: 2 }, { student: 2, teacher: 4 }],
    rows: [{ projection: 0 }, { projection: 0 }, { projection: 1 }],
    grid: { angular: grid(3, 5, base), mse: grid(3, 5, base * 10) },
  };
}

export interface WrittenRun {
  id: string;
  dir: string;
}

/** A run folder with run.json (finished) and its config. */
export function writeRun(runsDir: string, id: string, kind: Role | 'teacher', extra: { pairedRunId?: string; config?: Record<string, unknown>; name?: string; createdAt?: string } = {}): WrittenRun {
  const dir = join(runsDir, id);
  mkdirSync(join(dir, 'analysis'), { recursive: true });
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  const createdAt = extra.createdAt ?? '2025-01-01T00:00:00.000Z';
  writeFileSync(join(dir, 'run.json'), JSON.stringify({
    formatVersion: 1, id, name: extra.name ?? `${kind} run`, kind, status: 'finished', createdAt,
    ...(extra.pairedRunId ? { pairedRunId: extra.pairedRunId } : {}),
    progress: { step: 10, totalSteps: 10, epoch: 1, stage: 2 },
    config: extra.config ?? { kind, data: { task: 'demo' } },
  }));
  return { id, dir };
}

/** An analysis file of `roles` at `step` into the run's folder, with these cases. */
export function writeAnalysis(run: WrittenRun, step: number, roles: Role[], cases: CaseRecord[], own: Role = roles[0], base = 0.1): string {
  const result: AnalysisResult = {
    examples: Math.max(cases.length, 1),
    numLabels: 2,
    vectorize: 'flatten',
    angularEps: 1e-6,
    unprojected: 'nearest',
    teacher: { layers: 4, hidden: 16 },
    students: Object.fromEntries(roles.map((r) => [r, student(r === 'lrc' ? base : base + 0.5)])),
    cases,
  };
  return writeAnalysisFile(run.dir, toAnalysisFile(result, { step, stage: step >= 6 ? 2 : 1, run: own, labelNames: ['neg', 'pos'], createdAt: `2025-01-01T00:00:${String(step).padStart(2, '0')}.000Z` }));
}

/** A case record with both students (or the roles given). */
export function caseRecord(id: string, text: string, label: number, p: { teacher: number; lrc?: number; mse?: number }, d: { lrc?: [number, number]; mse?: [number, number] } = {}, textPair?: string): CaseRecord {
  const probs = (k: number) => (k === 1 ? [0.25, 0.75] : [0.75, 0.25]);
  const studentCase = (k: number, dist: [number, number] = [0.5, 0.05]) => ({ prediction: k, probabilities: probs(k), angular: [dist[0], dist[0] + 0.1], mse: [dist[1], dist[1] * 2] });
  return {
    id, text, ...(textPair !== undefined ? { textPair } : {}), label,
    teacher: { prediction: p.teacher, probabilities: probs(p.teacher) },
    ...(p.lrc !== undefined ? { lrc: studentCase(p.lrc, d.lrc) } : {}),
    ...(p.mse !== undefined ? { mse: studentCase(p.mse, d.mse) } : {}),
  };
}
