// Which student to ship (issue 23): the serving cost of an exported model, as measured and recorded in
// its run folder (`serving.json`), and the accuracy-against-latency front of a sweep's report, per task.
// These types are the contract between the trainer (`sweep report --format json`, the SVG chart) and the
// sweep panel's chart; change them only additively.
//
// Numbers: as in ./types.ts, every number is a number in memory and NaN stands for "no value";
// reportJson writes NaN (and an infinity) as null, so a reader of the JSON sees `number | null` wherever
// these types say `number`. Scores are on the metric's own scale (accuracy 0.91, a correlation 0.87);
// a "point" is 0.01 of it (100 x the metric), as in the report's tables. Every metric of the report is
// higher-is-better (accuracy, F1, MCC, Pearson/Spearman of STS-B), latency lower-is-better.
import type { RunKind, RunStatus } from '../../runs/runRecord';
import type { Summary } from './statistics';

// ---------------------------------------------------------------------------------------------------
// The serving cost of one exported model (`<run>/serving.json`, written temp + rename).

/** Latency of one forward pass at batch 1. */
export interface LatencyRecord {
  batch: 1;
  /** Passes run before timing and not counted. */
  warmup: number;
  /** Timed passes, each one forward pass with its result read back to the CPU. */
  repetitions: number;
  medianMs: number;
  /** The 95th percentile by nearest rank: the ceil(0.95 x n)-th smallest of the n timed passes. */
  p95Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** How p95Ms was computed. */
  p95Method: 'nearest-rank';
}

/** Throughput at a serving batch. */
export interface ThroughputRecord {
  /** Examples per pass (default 32; `--batch`). */
  batch: number;
  warmup: number;
  repetitions: number;
  /** batch / the median time of one timed pass. */
  examplesPerSecond: number;
  medianBatchMs: number;
}

export interface ServingCost {
  /** Format version of serving.json. */
  version: 1;
  runId: string;
  kind: RunKind;
  /** The folder measured (the run's export/ folder), absolute. */
  model: string;
  /** ISO time the measurement ended. */
  measuredAt: string;
  /** The measuring process: "<host>:<pid>:<start ISO>". Costs with one session were measured one after
   *  another in one process (`sweep measure`), so their ratios are like for like. */
  session: string;
  /** Why it was measured: at the end of the run, by `lrc-distill measure <run>`, or by `sweep measure`. */
  trigger: 'run-end' | 'measure' | 'sweep-measure';
  /** Whether nothing else of ours ran beside it: false at the end of a run of a sweep pool of more than
   *  one worker, true for `measure` and `sweep measure` (which run one model at a time). */
  quiet: boolean;
  /** Why quiet is false, e.g. "ran in a local pool of 2 workers"; null when quiet. */
  beside: string | null;
  backend: { name: string; threads: number | null; version: string | null };
  host: { name: string; cpus: number; cpuModel: string };
  /** Tokens per example: the task's max length (every example is padded to it). */
  maxLength: number;
  latency: LatencyRecord;
  throughput: ThroughputRecord;
  /** Parameters of the model, and of its word-embedding matrix alone. */
  parameters: { total: number; word: number };
  /** Bytes of model.safetensors as exported in f32, and in f16 (every float tensor at 2 bytes). */
  size: { f32Bytes: number; f16Bytes: number };
  /** Wall time of the whole measurement (load, warm-up, timing). */
  seconds: number;
}

// ---------------------------------------------------------------------------------------------------
// The front of a sweep report.

/** How the recommended cell is chosen; `text` is the rule as the user wrote it (`--rule`).
 *  Grammar (docs/sweeps.md): `fastest-within:<points>` | `best-under:<ms>ms` | `best` | `fastest`. */
export interface FrontRule {
  text: string;
  kind: 'fastest-within' | 'best-under' | 'best' | 'fastest';
  /** fastest-within: points of the metric below the teacher's mean score still accepted; else NaN. */
  points: number;
  /** best-under: the bound on the mean median latency at batch 1, in ms; else NaN. */
  ms: number;
}

/** The run of one seed of a front cell. */
/** What the front knows of one exported model (a seed's student or the teacher): its score and the
 *  serving cost from its run's serving.json. */
export interface MeasuredExport {
  runId: string;
  status: RunStatus;
  /** The primary metric of the exported model; NaN unless the run finished with a finite value. */
  score: number;
  /** Median latency at batch 1 (ms) from the run's serving.json; NaN without one. */
  latencyMs: number;
  p95Ms: number;
  /** Examples/s at the serving batch. */
  examplesPerSecond: number;
  /** From the serving record; null without one. */
  quiet: boolean | null;
  session: string | null;
}

export interface FrontSeed extends MeasuredExport {
  seed: number;
  /** The teacher's median latency / this run's, both measured; NaN without both. */
  speedUp: number;
}

/** One cell of a task: a combination of the levels of every axis but the task and the seed axes
 *  (shape x method x ...), with its seeds. */
export interface FrontCell {
  /** Axis name -> level of the axes that make the cell (the task and seed axes excluded), in axis order. */
  cell: Record<string, string>;
  /** The levels joined for display, e.g. "4x312 · LRC". */
  label: string;
  /** The level of the shape axis (`shapeAxis` of the task), null without one. */
  shape: string | null;
  /** One entry per seed with a run, by increasing seed. */
  seeds: FrontSeed[];
  /** The primary metric over the finished seeds. */
  score: Summary;
  /** Median latency at batch 1 (ms) over the measured seeds. */
  latencyMs: Summary;
  p95Ms: Summary;
  examplesPerSecond: Summary;
  /** Speed-up over the teacher of the cell's mean latency: teacher / latencyMs.mean (so that it orders the
   *  cells as the front does), its sd by the delta method (teacher x sd / mean^2); n as latencyMs. */
  speedUp: Summary;
  /** Of the first measured seed (all seeds of a cell have one shape); NaN unknown. */
  parameters: number;
  sizeF32Bytes: number;
  sizeF16Bytes: number;
  /** Whether the cell is on the Pareto front: no other cell of the task has a mean score at least as
   *  high and a mean latency at least as low with one of them strictly better. A cell with no mean
   *  score or no mean latency is not on it (see notes). Equal cells are both on it. */
  onFront: boolean;
  recommended: boolean;
  /** What the columns cannot show, e.g. "no serving cost measured: left out of the front". */
  notes: string[];
}

/** The teacher of a task, measured as its students were. */
export interface FrontTeacher extends MeasuredExport {
  parameters: number;
  sizeF32Bytes: number;
  sizeF16Bytes: number;
}

export interface TaskFront {
  /** The level of the task axis (e.g. "SST-2"); "" when the sweep has no task axis. */
  task: string;
  /** The primary metric of the task's runs (e.g. 'accuracy', 'pearson'); null when none names one. */
  primary: string | null;
  /** The axes whose levels make the cells, in axis order (every axis but the task and seed axes). */
  cellAxes: string[];
  /** The axis named `shape` (or whose levels set `student`), null without one. */
  shapeAxis: string | null;
  /** In axis/level order. */
  cells: FrontCell[];
  /** The task's teacher (null without one; with several, the first). */
  teacher: FrontTeacher | null;
  /** Indexes into `cells` of the front, by increasing mean latency. */
  front: number[];
  rule: FrontRule;
  /** Index into `cells` of the recommended cell; null when no cell has both a score and a latency. */
  recommended: number | null;
  /** Why that cell, in one sentence (e.g. "the fastest cell within 1 point of the teacher (90.1)"). */
  reason: string;
  /** Whether no cell met the rule and the recommendation is the rule's fallback (said in `reason`). */
  fallback: boolean;
  /** Whether every serving cost of the task (its teacher's included) was measured quietly. */
  quiet: boolean;
  /** Whether every serving cost of the task was measured in one session (one process, one after another). */
  oneSession: boolean;
  notes: string[];
}

export interface FrontReport {
  sweep: { id: string; name: string };
  rule: FrontRule;
  /** In the order of the task axis' levels. */
  tasks: TaskFront[];
}
