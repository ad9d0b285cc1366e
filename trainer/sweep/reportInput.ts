// What the report of a sweep is made of, read from its run folders: each run's status, the dev metrics
// of its exported model (the evaluation that made it the best, or the last one when no evaluation could
// be: the export is then the final weights) and of its last evaluation, and what the runs table shows
// beside them (steps, the best step, train time, parameters). A run of an adopted sweep (`sweep adopt`)
// whose folder is gone is read from its record instead: its evaluations give the same two sets of
// metrics, and the `eval --json` of its exported model, when there is one, gives the exported model's
// scores (those of its best evaluation, at full precision) and the speed of `eval`.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveStages, parseRunConfig } from '../config/effective';
import { readMetrics } from '../runs/metricsLog';
import { runPaths } from '../runs/runFolder';
import { readRun } from '../runs/runStore';
import { readServingCost } from '../serving/servingRecord';
import type { RunRecord } from '../runs/runRecord';
import { readEvalResult, readRunSummaryRecord } from './adopt';
import type { ServingCost } from './report/frontTypes';
import type { StudentShape, SweepGeneralResult } from './report/generalTypes';
import type { RunDetails, SweepReportInput, SweepRunResult, SweepTeacherResult } from './report/types';
import type { SweepRecord } from './sweepRecord';

interface Scores {
  status: RunRecord['status'];
  kind: RunRecord['kind'];
  primary?: string;
  metrics?: Record<string, number | null>;
  last?: Record<string, number | null>;
  details?: RunDetails;
}

type EvalRecord = { step: number; metrics: Record<string, number | null>; primary: string; best?: boolean };

/** Where a run without a folder may be found: an adopted sweep's records and results folders. */
export type RecordsDirs = SweepRecord['records'];

/** Parameters in a safetensors file (from its header alone): all, and those of the word-embedding matrix. */
export function safetensorsParameters(file: string): { total: number; word: number } | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const length = Buffer.alloc(8);
    if (readSync(fd, length, 0, 8, 0) < 8) return undefined;
    const header = Buffer.alloc(Number(length.readBigUInt64LE(0)));
    readSync(fd, header, 0, header.length, 8);
    let total = 0;
    let word = 0;
    for (const [name, t] of Object.entries(JSON.parse(header.toString('utf8')) as Record<string, { shape?: number[] }>)) {
      if (name === '__metadata__' || !t.shape) continue;
      const size = t.shape.reduce((a, b) => a * b, 1);
      total += size;
      if (name.includes('word_embeddings')) word += size;
    }
    return { total, word };
  } finally {
    closeSync(fd);
  }
}

/** The last step of stage 1 of a two-stage distillation (its prediction layer untrained until then); 0 for one stage or another kind. */
function stage1Steps(config: Record<string, unknown> | undefined, totalSteps: number): number {
  if (!config || (config.kind !== 'lrc' && config.kind !== 'mse')) return 0;
  try {
    return Math.round(effectiveStages(parseRunConfig(config)).split * totalSteps);
  } catch {
    return 0;
  }
}

const seconds = (from?: string | null, to?: string | null) => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : undefined);

function details(source: RunDetails['source'], config: Record<string, unknown> | undefined, totalSteps: number, bestStep: number | undefined, extra: Omit<RunDetails, 'source' | 'totalSteps' | 'bestStep' | 'bestInStage1'>): RunDetails {
  const stage1 = stage1Steps(config, totalSteps);
  return { source, totalSteps, bestStep, bestInStage1: bestStep !== undefined && stage1 > 0 ? bestStep <= stage1 : undefined, ...extra };
}

/** A run that has no folder, from its record (and the `eval --json` of its export); undefined without a record. */
function scoresOfRecord(dirs: NonNullable<RecordsDirs>, runId: string, config: Record<string, unknown> | undefined): Scores | undefined {
  const file = join(dirs.dir, `${runId}.json`);
  if (!existsSync(file)) return undefined;
  const record = readRunSummaryRecord(file);
  const resultFile = join(dirs.results, `${runId}.json`);
  const result = existsSync(resultFile) ? readEvalResult(resultFile) : undefined;
  const last = record.evals[record.evals.length - 1];
  const best = record.best ? record.evals.filter((e) => e.step === record.best!.step).pop() : undefined;
  const exported = best ?? last;
  return {
    // A record is written for a finished run only (its exported model was scored).
    status: 'finished',
    kind: record.kind,
    primary: result?.primary ?? record.best?.metric,
    metrics: result?.metrics ?? exported?.metrics,
    last: last?.metrics,
    details: details('record', config, record.totalSteps, exported?.step, {
      step: record.totalSteps,
      trainSeconds: seconds(record.startedAt, record.endedAt),
      parameters: record.parameters,
      evalExamplesPerSecond: result && result.seconds > 0 ? result.examples / result.seconds : undefined,
    }),
  };
}

/** A run folder's status and scores; a folder not yet created counts as queued, unless `records` holds the
 *  record of the run (an adopted sweep), which then gives them. */
export function scoresOfRun(runsDir: string, runId: string, kind: RunRecord['kind'], from: { config?: Record<string, unknown>; records?: RecordsDirs } = {}): Scores {
  const dir = join(runsDir, runId);
  if (!existsSync(runPaths(dir).record)) return (from.records && scoresOfRecord(from.records, runId, from.config)) || { status: 'queued', kind };
  const run = readRun(dir);
  const evals = readMetrics(runPaths(dir).metrics).filter((m) => m.type === 'eval') as unknown as EvalRecord[];
  const last = evals[evals.length - 1];
  const best = run.best ? evals.filter((e) => e.best && e.step === run.best!.step).pop() : undefined;
  const exported = run.status === 'finished' ? (best ?? last) : undefined;
  return {
    status: run.status, kind: run.kind, primary: last?.primary, metrics: exported?.metrics, last: last?.metrics,
    details: details('run folder', run.config, run.progress.totalSteps, exported?.step, {
      step: run.progress.step,
      trainSeconds: run.status === 'finished' ? seconds(run.startedAt, run.endedAt) : undefined,
      parameters: run.status === 'finished' ? safetensorsParameters(join(dir, 'export', 'model.safetensors')) : undefined,
    }),
  };
}

/** The serving cost of a run's export (serving.json, issue 23), when its folder has one. A file that
 *  cannot be read leaves the run unmeasured with the reason (the front's notes say it), rather than
 *  taking the whole report, the sweep panel and export-recommended down with it. */
function servingOf(runsDir: string, runId: string): { serving?: ServingCost; servingError?: string } {
  try {
    const serving = readServingCost(join(runsDir, runId));
    return serving ? { serving } : {};
  } catch (e) {
    return { servingError: (e as Error).message };
  }
}

/** A general run: what its planned config says it is (student, teacher, corpus) and what its folder (or record) says it did. */
function generalResultOf(sweep: SweepRecord, g: SweepRecord['generals'][number]): SweepGeneralResult {
  const s = scoresOfRun(sweep.runsDir, g.runId, 'general', { config: g.config, records: sweep.records });
  const c = g.config as { student?: StudentShape; teacher?: { path?: string; runId?: string }; data?: { paths?: string[]; text?: string } };
  return {
    runId: g.runId, cell: g.cell, status: s.status, primary: s.primary, metrics: s.metrics, last: s.last, details: s.details,
    ...(c.student ? { student: { layers: c.student.layers, hidden: c.student.hidden, heads: c.student.heads, intermediate: c.student.intermediate } } : {}),
    ...(c.teacher?.path ?? c.teacher?.runId ? { teacher: c.teacher.path ?? c.teacher.runId } : {}),
    ...(c.data?.paths ? { corpus: { paths: c.data.paths, ...(c.data.text ? { text: c.data.text } : {}) } } : {}),
  };
}

export function reportInputOf(sweep: SweepRecord): SweepReportInput {
  const runs: SweepRunResult[] = sweep.runs.map((r) => ({
    runId: r.runId,
    cell: r.cell,
    seed: r.seed,
    teacherRunId: r.teacherRunId,
    ...(r.generalRunId ? { generalRunId: r.generalRunId } : {}),
    ...(typeof r.config.preset === 'string' ? { preset: r.config.preset } : {}),
    ...scoresOfRun(sweep.runsDir, r.runId, r.config.kind as RunRecord['kind'], { config: r.config, records: sweep.records }),
    ...servingOf(sweep.runsDir, r.runId),
  }));
  const teachers = sweep.teachers.map((t): SweepTeacherResult => {
    const s = scoresOfRun(sweep.runsDir, t.runId, 'teacher', { config: t.config, records: sweep.records });
    return { runId: t.runId, cell: t.cell, status: s.status, primary: s.primary, metrics: s.metrics, last: s.last, details: s.details, ...servingOf(sweep.runsDir, t.runId) };
  });
  const generals = sweep.generals.map((g) => generalResultOf(sweep, g));
  return { sweep: { id: sweep.id, name: sweep.name }, axes: sweep.axes.map((a) => ({ name: a.name, levels: a.levels })), seeds: sweep.seeds, runs, teachers, ...(generals.length ? { generals } : {}), comparisons: sweep.comparisons };
}
