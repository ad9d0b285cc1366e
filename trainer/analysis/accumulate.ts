// Streaming sums over evaluation batches: the distance grids (mean over examples of each cell) and the
// case records (one per example, in the order the batches come), so that thousands of examples never
// need more than one batch of tensors.
import type { LayerPair } from '../losses/layerMapping';
import type { VectorizeMode } from '../losses/vectorize';
import { STUDENT_ROLES, type AnalysisPlan, type BatchAnalysis, type ModelPrediction, type StudentRole } from './batchAnalysis';
import type { ExampleGrid } from './layerDistances';
import type { RowProjection, UnprojectedLayerPolicy } from './rowProjections';

/** What a case record tells of an evaluation example (data/types.ts Example). */
export interface CaseExample {
  id: string;
  text: string;
  textPair?: string;
  /** Gold class id, or score for regression. */
  label: number;
}

export interface StudentCase extends ModelPrediction {
  /** Per mapping entry k: g(vec(H_i^s W_k), vec(H_phi(i)^t)) of this example. */
  angular: number[];
  /** Per mapping entry k: MSE(H_i^s W_k, H_phi(i)^t) over this example's real tokens and dimensions. */
  mse: number[];
}

export interface CaseRecord extends CaseExample {
  teacher: ModelPrediction;
  lrc?: StudentCase;
  mse?: StudentCase;
}

/** Rows: student layers 0..M; columns: teacher layers 0..N; null: a skipped row. */
export interface LayerGrid {
  angular: (number[] | null)[];
  mse: (number[] | null)[];
}

export interface StudentAnalysis {
  layers: number;
  hidden: number;
  mapping: LayerPair[];
  /** The projection each grid row used. */
  rows: RowProjection[];
  /** Means over `examples`. */
  grid: LayerGrid;
}

export interface AnalysisResult {
  /** Examples averaged in the grids. */
  examples: number;
  numLabels: number;
  vectorize: VectorizeMode;
  angularEps: number;
  unprojected: UnprojectedLayerPolicy;
  teacher: { layers: number; hidden: number };
  students: Partial<Record<StudentRole, StudentAnalysis>>;
  /** At most maxCases, the first examples seen. */
  cases: CaseRecord[];
}

export interface AccumulatorOptions {
  /** Keep case records of at most this many examples (default: all). The grids use every example. */
  maxCases?: number;
}

function addInto(sum: (number[] | null)[], grid: ExampleGrid): void {
  grid.forEach((row, i) => {
    if (!row) return;
    const target = sum[i]!;
    row.forEach((v, j) => (target[j] += v));
  });
}

export class AnalysisAccumulator {
  private examples = 0;
  private readonly sums: Partial<Record<StudentRole, LayerGrid>> = {};
  private readonly cases: CaseRecord[] = [];
  private readonly maxCases: number;

  constructor(private readonly plan: AnalysisPlan, options: AccumulatorOptions = {}) {
    this.maxCases = options.maxCases ?? Infinity;
    if (!(this.maxCases >= 0)) throw new Error(`analysis: maxCases must be >= 0, got ${options.maxCases}`);
    const columns = plan.teacher.config.num_hidden_layers + 1;
    for (const role of STUDENT_ROLES) {
      const student = plan.students[role];
      if (!student) continue;
      const zeros = () => student.rows.map((row) => (row === null ? null : new Array<number>(columns).fill(0)));
      this.sums[role] = { angular: zeros(), mse: zeros() };
    }
  }

  /** Adds a batch; `examples` (same order as the batch) makes case records of it. */
  add(batch: BatchAnalysis, examples?: readonly CaseExample[]): void {
    if (examples && examples.length !== batch.size) {
      throw new Error(`analysis: ${examples.length} case examples for a batch of ${batch.size}`);
    }
    for (const role of STUDENT_ROLES) {
      const sums = this.sums[role];
      if (!sums) continue;
      const student = batch.students[role];
      if (!student) throw new Error(`analysis: the batch has no results of the ${role} student`);
      student.distances.angular.forEach((g) => addInto(sums.angular, g));
      student.distances.mse.forEach((g) => addInto(sums.mse, g));
    }
    this.examples += batch.size;
    if (!examples) return;
    for (let b = 0; b < batch.size && this.cases.length < this.maxCases; b++) {
      const { id, text, textPair, label } = examples[b];
      const record: CaseRecord = { id, text, ...(textPair === undefined ? {} : { textPair }), label, teacher: batch.teacher[b] };
      for (const role of STUDENT_ROLES) {
        const plan = this.plan.students[role];
        const student = batch.students[role];
        if (!plan || !student) continue;
        const angular = student.distances.angular[b];
        const mse = student.distances.mse[b];
        record[role] = {
          ...student.predictions[b],
          angular: plan.mapping.map(({ student: i, teacher: j }) => angular[i]![j]),
          mse: plan.mapping.map(({ student: i, teacher: j }) => mse[i]![j]),
        };
      }
      this.cases.push(record);
    }
  }

  result(): AnalysisResult {
    const { plan } = this;
    if (this.examples === 0) throw new Error('analysis: no evaluation examples were added');
    const mean = (sum: (number[] | null)[]) => sum.map((row) => (row ? row.map((v) => v / this.examples) : null));
    const students: Partial<Record<StudentRole, StudentAnalysis>> = {};
    for (const role of STUDENT_ROLES) {
      const student = plan.students[role];
      const sums = this.sums[role];
      if (!student || !sums) continue;
      const config = student.model.config;
      students[role] = {
        layers: config.num_hidden_layers,
        hidden: config.hidden_size,
        mapping: student.mapping.map(({ student: s, teacher: t }) => ({ student: s, teacher: t })),
        rows: student.rows,
        grid: { angular: mean(sums.angular), mse: mean(sums.mse) },
      };
    }
    return {
      examples: this.examples,
      numLabels: plan.numLabels,
      vectorize: plan.vectorize,
      angularEps: plan.angularEps,
      unprojected: plan.unprojected,
      teacher: { layers: plan.teacher.config.num_hidden_layers, hidden: plan.teacher.config.hidden_size },
      students,
      cases: this.cases.slice(),
    };
  }
}
