// One evaluation batch through the teacher and the students (eval mode, no dropout): each model's
// predictions, and for each student the per-example distance grids to the teacher (layerDistances.ts).
// The plan (planAnalysis) checks the models and resolves the row projections once per evaluation.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_ANGULAR_EPS } from '../losses/angularDistance';
import type { LayerPair } from '../losses/layerMapping';
import { VECTORIZE_MODES, type VectorizeMode } from '../losses/vectorize';
import type { BertInputs, BertModel } from '../model/types';
import type { Distillation } from '../train/distillation';
import { batchLayerDistances, type BatchLayerDistances } from './layerDistances';
import { DEFAULT_UNPROJECTED_LAYER_POLICY, rowProjections, type RowProjection, type UnprojectedLayerPolicy } from './rowProjections';

/** A distilled student with what it was trained with: its W_k and its layer mapping. */
export interface AnalysisStudent {
  model: BertModel;
  /** W_k (d, d') of mapping entry k, e.g. `distillation.projections.weights`. */
  projections: readonly tf.Tensor2D[];
  mapping: readonly LayerPair[];
}

/** The two students of the paper's case analysis: LRC-BERT's, and the MSE baseline's ("BERT_m"). */
export type StudentRole = 'lrc' | 'mse';
export const STUDENT_ROLES: readonly StudentRole[] = ['lrc', 'mse'];

export interface AnalysisModels {
  teacher: BertModel;
  lrc?: AnalysisStudent;
  mse?: AnalysisStudent;
}

export interface AnalysisOptions {
  /** vec(H) of g: the run's LossConfig.vectorize (default 'flatten'). */
  vectorize?: VectorizeMode;
  /** eps of g's smoothed norms: the run's LossConfig.angularEps. */
  angularEps?: number;
  /** Grid rows of student layers without their own W (rowProjections.ts); default 'nearest'. */
  unprojected?: UnprojectedLayerPolicy;
}

export interface StudentPlan extends AnalysisStudent {
  rows: RowProjection[];
}

export interface AnalysisPlan {
  teacher: BertModel;
  students: Partial<Record<StudentRole, StudentPlan>>;
  vectorize: VectorizeMode;
  angularEps: number;
  unprojected: UnprojectedLayerPolicy;
  /** 1 = regression. */
  numLabels: number;
}

/** Checks the models against each other and resolves each student's row projections. */
export function planAnalysis(models: AnalysisModels, options: AnalysisOptions = {}): AnalysisPlan {
  const { teacher } = models;
  const vectorize = options.vectorize ?? 'flatten';
  const unprojected = options.unprojected ?? DEFAULT_UNPROJECTED_LAYER_POLICY;
  const angularEps = options.angularEps ?? DEFAULT_ANGULAR_EPS;
  if (!VECTORIZE_MODES.includes(vectorize)) throw new Error(`analysis: vectorize '${String(vectorize)}' is unknown, expected one of ${VECTORIZE_MODES.join(', ')}`);
  if (!(angularEps > 0)) throw new Error(`analysis: angularEps must be > 0, got ${angularEps}`);
  const t = teacher.config;
  const students: Partial<Record<StudentRole, StudentPlan>> = {};
  for (const role of STUDENT_ROLES) {
    const student = models[role];
    if (!student) continue;
    const s = student.model.config;
    if (s.num_labels !== t.num_labels) {
      throw new Error(`analysis: the ${role} student has num_labels ${s.num_labels} but the teacher has ${t.num_labels}`);
    }
    if (student.projections.length !== student.mapping.length) {
      throw new Error(`analysis: the ${role} student has ${student.projections.length} projections for ${student.mapping.length} mapped layers`);
    }
    student.mapping.forEach(({ teacher: j }, k) => {
      if (!Number.isInteger(j) || j < 0 || j > t.num_hidden_layers) {
        throw new Error(`analysis: the ${role} student's mapping entry ${k} names teacher layer ${j} but the teacher has layers 0..${t.num_hidden_layers}`);
      }
    });
    student.projections.forEach((w, k) => {
      if (w.shape[0] !== s.hidden_size || w.shape[1] !== t.hidden_size) {
        throw new Error(`analysis: the ${role} student's projection ${k} is [${w.shape}], expected [${s.hidden_size},${t.hidden_size}] (student hidden, teacher hidden)`);
      }
    });
    const rows = rowProjections(student.mapping, { studentLayers: s.num_hidden_layers, studentHidden: s.hidden_size, teacherHidden: t.hidden_size }, unprojected);
    students[role] = { ...student, rows };
  }
  if (Object.keys(students).length === 0) throw new Error('analysis: no student given (lrc and/or mse)');
  return { teacher, students, vectorize, angularEps, unprojected, numLabels: t.num_labels };
}

/** Classification: the arg-max class and the softmax probabilities; regression: the score alone. */
export interface ModelPrediction {
  prediction: number;
  probabilities?: number[];
}

export interface StudentBatch {
  predictions: ModelPrediction[];
  distances: BatchLayerDistances;
}

export interface BatchAnalysis {
  size: number;
  teacher: ModelPrediction[];
  students: Partial<Record<StudentRole, StudentBatch>>;
}

/** (B, C) logits -> per example the prediction (and probabilities). */
function predictionsOf(logits: tf.Tensor2D, numLabels: number): ModelPrediction[] {
  const values = tf.tidy(() => (numLabels === 1 ? logits : tf.softmax(logits))).arraySync() as number[][];
  return values.map((p) => {
    if (numLabels === 1) return { prediction: p[0] };
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return { prediction: best, probabilities: p };
  });
}

/** Every number the analysis needs from one batch, as plain JS; no tensor outlives the call. */
export function analyzeBatch(plan: AnalysisPlan, inputs: BertInputs): BatchAnalysis {
  const [size] = inputs.inputIds.shape;
  const result: BatchAnalysis = { size, teacher: [], students: {} };
  tf.tidy(() => {
    const teacherOut = plan.teacher.forward(inputs, { training: false });
    result.teacher = predictionsOf(teacherOut.logits, plan.numLabels);
    for (const role of STUDENT_ROLES) {
      const student = plan.students[role];
      if (!student) continue;
      // Its own scope, so that one student's hidden states are gone before the next student runs.
      tf.tidy(() => {
        const out = student.model.forward(inputs, { training: false });
        const distances = batchLayerDistances(
          { studentHidden: out.hiddenStates, teacherHidden: teacherOut.hiddenStates, rows: student.rows, projections: student.projections, attentionMask: inputs.attentionMask },
          { vectorize: plan.vectorize, eps: plan.angularEps },
        );
        result.students[role] = { predictions: predictionsOf(out.logits, plan.numLabels), distances };
      });
    }
  });
  return result;
}

/** The student of a distillation run as the analysis sees it (its current W_k and mapping). */
export function distillationStudent(d: Pick<Distillation, 'student' | 'projections' | 'mapping'>): AnalysisStudent {
  return { model: d.student, projections: d.projections.weights, mapping: d.mapping };
}
