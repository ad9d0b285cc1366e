// The input and the output of a sweep's report: what the sweep's runs and teachers scored (fed by the
// sweep code, no file I/O here), and the tables made of it (cells, teachers, paired comparisons, counts).
// Every number of the report is a number; NaN stands for "no value" and reportJson writes it as null.
import type { RunKind, RunStatus } from '../../runs/runRecord';
import type { FrontReport, ServingCost } from './frontTypes';
import type { GeneralRow, SweepGeneralResult } from './generalTypes';
import type { SignTest, Summary } from './statistics';

/** One run of a sweep, as the report sees it. */
export interface SweepRunResult {
  runId: string;
  /** The run's cell: axis name -> level label, every axis of the sweep except the seed axis, e.g. { task: 'SST-2', method: 'LRC', 'stages.epsilon': '0.1' }. */
  cell: Record<string, string>;
  seed: number;
  kind: RunKind;
  status: RunStatus;
  /** The task's primary metric name (e.g. 'accuracy', 'mcc', 'glue'). */
  primary?: string;
  /** Dev metrics of the run's exported (best) model; null where undefined (a correlation of constant predictions). */
  metrics?: Record<string, number | null>;
  /** Dev metrics of the last evaluation of the run. */
  last?: Record<string, number | null>;
  /** The run's teacher, when it learnt from one: its run id (the teachers are in `teachers`). */
  teacherRunId?: string;
  /** The general run its student starts from, when it does (the general runs are in `generals`). */
  generalRunId?: string;
  /** The ablation preset of an lrc run. */
  preset?: string;
  details?: RunDetails;
  /** The serving cost of its export (serving.json), when measured (issue 23). */
  serving?: ServingCost;
  /** Why its serving.json could not be read (damaged, another version): the run counts as unmeasured. */
  servingError?: string;
}

/** What the runs table shows of a run beside its scores; each field absent where unknown (a run folder
 *  has no `eval` speed, a record rebuilt from a training log no train time). */
export interface RunDetails {
  /** Where the scores were read: the run folder, or (its folder gone) its record and `eval --json`. */
  source: 'run folder' | 'record';
  /** Steps done (run.json's progress; a record: its totalSteps). */
  step?: number;
  totalSteps?: number;
  /** The step of the evaluation the exported model is from. */
  bestStep?: number;
  /** Whether that evaluation was in stage 1 of a two-stage distillation (absent for one stage and other kinds). */
  bestInStage1?: boolean;
  /** Training wall time, endedAt - startedAt. */
  trainSeconds?: number;
  /** Parameters of the exported model, and of its word-embedding matrix alone. */
  parameters?: { total: number; word: number };
  /** Dev examples per second of `lrc-distill eval` on the exported model. */
  evalExamplesPerSecond?: number;
}

export interface SweepTeacherResult {
  runId: string;
  /** The axes the teacher was trained for (e.g. { task: 'SST-2' }). */
  cell: Record<string, string>;
  status: RunStatus;
  primary?: string;
  metrics?: Record<string, number | null>;
  /** Dev metrics of the teacher's last evaluation. */
  last?: Record<string, number | null>;
  details?: RunDetails;
  /** The serving cost of its export (serving.json), when measured (issue 23). */
  serving?: ServingCost;
  /** Why its serving.json could not be read (damaged, another version): the run counts as unmeasured. */
  servingError?: string;
}

/** A paired comparison: level `a` against level `b` of one axis, paired by seed within every combination of the other axes. */
export interface SweepComparison { name: string; axis: string; a: string; b: string; }

export interface SweepReportInput {
  sweep: { id: string; name: string };
  /** Axis names in the sweep file's order (the seed axis excluded) and their levels in order. */
  axes: { name: string; levels: string[] }[];
  /** The levels of the seed axis, when known: a cell without a run for one of them lists it as missing. */
  seeds?: number[];
  runs: SweepRunResult[];
  teachers: SweepTeacherResult[];
  /** The general-distillation runs the runs' students start from; absent for a sweep without a general stage. */
  generals?: SweepGeneralResult[];
  comparisons: SweepComparison[];
}

/** The run of one seed in a cell. */
export interface SeedResult {
  seed: number;
  runId: string;
  status: RunStatus;
  /** Primary metric of the exported model; NaN unless the run finished with a finite value. */
  value: number;
  /** Primary metric at the run's last evaluation; NaN likewise. */
  last: number;
}

/** One combination of axis levels that has at least one run (a sweep may leave combinations out). */
export interface CellRow {
  /** Axis name -> level, in the order of the sweep's axes. */
  cell: Record<string, string>;
  /** The primary metric of the cell's runs; null when no run names one. */
  primary: string | null;
  runs: number;
  finished: number;
  /** One entry per seed with a run, by increasing seed. */
  seeds: SeedResult[];
  /** Seeds of the sweep (input `seeds`) without any run in this cell. */
  missingSeeds: number[];
  /** The exported models' primary metric over the finished runs (null metrics left out and counted). */
  value: Summary;
  /** The same at the last evaluation of each finished run. */
  last: Summary;
  teacherRunId: string | null;
  /** The teacher's primary metric; NaN without a finished teacher. */
  teacherValue: number;
  /** 100 x value.mean / teacherValue, a percentage; NaN unless teacherValue > 0.05 (a share of a
   *  Matthews correlation near 0 means nothing). */
  keptOfTeacher: number;
  /** The teacher's primary metric at its last evaluation; NaN likewise. */
  teacherLast: number;
  /** 100 x (teacherValue - value.mean): the teacher's lead in points of the metric; NaN without both. */
  teacherLead: number;
  /** What the columns cannot show: duplicate runs of a seed, null metrics, an unresolved teacher. */
  notes: string[];
}

export interface TeacherRow {
  runId: string;
  cell: Record<string, string>;
  status: RunStatus;
  primary: string | null;
  /** Primary metric of the exported teacher; NaN unless it finished with a finite value. */
  value: number;
  /** The same at its last evaluation. */
  last: number;
}

/** One run or teacher of the runs table: every metric of its exported model and what else is known of it. */
export interface RunRow {
  runId: string;
  role: 'teacher' | 'run';
  /** The run's cell (a teacher's: its `per` axes). */
  cell: Record<string, string>;
  /** null for a teacher. */
  seed: number | null;
  kind: RunKind;
  preset: string | null;
  status: RunStatus;
  primary: string | null;
  /** Every dev metric of the exported model (NaN for null); empty unless the run finished. */
  metrics: Record<string, number>;
  /** The primary metric at the last evaluation; NaN unless the run finished with a finite one. */
  last: number;
  /** 100 x the exported primary metric / its teacher's (a teacher, and a teacher-kind run without one: itself);
   *  NaN unless the teacher's is above 0.05. */
  keptOfTeacher: number;
  /** Dev examples/s of `eval` relative to its teacher's (a teacher: 1); NaN where either is unknown. */
  speedUp: number;
  teacherRunId: string | null;
  details: RunDetails | null;
}

/** Runs whose exported models have the same metrics, in one table. */
export interface RunsTable {
  metrics: string[];
  rows: RunRow[];
}

/** One seed of a paired comparison. */
export interface PairedSeed {
  seed: number;
  /** Values of level a and level b (NaN when missing). */
  a: number;
  b: number;
  /** 100 x (a - b): points of the metric; NaN when the seed is dropped. */
  difference: number;
  /** 100 x (a - b) at the last evaluation of each run; NaN when the seed is dropped or a value is missing. */
  lastDifference: number;
  /** Why the seed does not count (e.g. "no MSE run", "LRC run failed", "MSE: accuracy is null"); null when it counts. */
  dropped: string | null;
}

/** A comparison within one combination of the other axes that has cells of both levels (a combination the
 *  sweep left out for either level has no group). */
export interface ComparisonGroup {
  /** The other axes' levels, in axis order. */
  cell: Record<string, string>;
  primary: string | null;
  /** Every seed with a run of a or b (or planned), by increasing seed. */
  seeds: PairedSeed[];
  /** Level a and level b over the seeds that count. */
  a: Summary;
  b: Summary;
  /** The differences in points over the seeds that count; `difference.n` is the n of "a ahead on k of n". */
  difference: Summary;
  /** The same differences at the last evaluation, over the seeds that count. */
  lastDifference: Summary;
  /** Sign test of those differences (ties dropped from the test, not from n). */
  signTest: SignTest;
}

export interface ComparisonTable extends SweepComparison {
  /** The axes the groups are made of: every axis but `axis`, in axis order. */
  otherAxes: string[];
  groups: ComparisonGroup[];
  /** Every pair that counts, of every group (e.g. tasks x seeds): the differences in points of each
   *  group's own metric, and their sign test, the paper's question "is a ahead of b across the board". */
  pooled: PooledComparison;
}

export interface PooledComparison {
  /** The groups with at least one pair that counts. */
  groups: number;
  /** Over all those pairs; `difference.n` is the n of the sign test's "a ahead on k of n". */
  difference: Summary;
  signTest: SignTest;
}

export type StatusCounts = Record<RunStatus, number>;

export interface SweepReport {
  sweep: { id: string; name: string };
  axes: { name: string; levels: string[] }[];
  summary: { runs: number; runsByStatus: StatusCounts; teachers: number; teachersByStatus: StatusCounts; generals: number; generalsByStatus: StatusCounts };
  /** In axis/level order: the first axis varies slowest. */
  cells: CellRow[];
  /** In input order. */
  teachers: TeacherRow[];
  /** The general runs, in input order (./generalTypes.ts); empty without a general stage. */
  generals: GeneralRow[];
  /** In input order. */
  comparisons: ComparisonTable[];
  /** Every teacher and run, grouped by the metrics of their exported models; teachers first, then the runs
   *  in cell order and by seed. */
  runs: RunsTable[];
  /** What no table shows: runs outside every cell (an unknown axis level, a missing axis). */
  notes: string[];
  /** Score against serving cost per task, with the Pareto front and the recommendation (./frontTypes.ts,
   *  issue 23); absent where the report was made without it. */
  front?: FrontReport;
}
