// The analysis of a distillation run (docs/lrc-bert.md, "Analysis"): at an evaluation, the layer grids
// and case records of the run's own student; after an LRC run and its MSE baseline have both trained,
// the paired analysis with both students side by side, for the case analysis against the baseline.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { analyzeDataset, distillationStudent, toAnalysisFile, writeAnalysisFile, type AnalysisStudent } from '../analysis';
import { loadHfModel } from '../checkpoint/hfFolder';
import { assignHfArrays } from '../checkpoint/hfWeights';
import { readTrainingCheckpoint } from '../checkpoint/trainingCheckpoint';
import { effectiveLoss, parseRunConfig } from '../config/effective';
import { resolveLayerMapping } from '../losses/layerMapping';
import { projectionName } from '../losses/projections';
import { Bert } from '../model/bert';
import type { BertModel } from '../model/types';
import { readRun } from '../runs/runStore';
import { UserError } from '../server';
import { loadTaskData } from './taskData';
import { modelFolderOf, teacherFolderOf } from './models';
import { DistillCore } from './trainingCore';
import type { AnalysisContext } from './trainingSession';

/** The analysis of the run's own student at this step; the path of the file written. */
export async function runAnalysisStep(ctx: AnalysisContext): Promise<string | undefined> {
  if (!(ctx.core instanceof DistillCore)) return undefined;
  const d = ctx.core.distillation;
  const role = ctx.config.kind === 'mse' ? 'mse' : 'lrc';
  const result = await analyzeDataset({ teacher: d.teacher, [role]: distillationStudent(d) }, ctx.data.dev, {
    batchSize: ctx.config.eval.batchSize,
    vectorize: d.loss.vectorize,
    angularEps: d.loss.angularEps,
    pause: ctx.pause,
  });
  return writeAnalysisFile(ctx.runDir, toAnalysisFile(result, { step: ctx.step, stage: ctx.stage, run: role, labelNames: ctx.data.labelNames }));
}

export interface LoadedStudent {
  student: AnalysisStudent;
  dispose(): void;
}

/** A run's student and projections as they were at its last checkpoint. */
export function studentOfRun(runDir: string, teacher: BertModel): LoadedStudent {
  const ckptDir = join(runDir, 'checkpoints', 'last');
  const ckpt = readTrainingCheckpoint(ckptDir);
  const { model } = loadHfModel(join(runDir, 'export'), { trainable: false });
  const student: Bert = model;
  assignHfArrays(student, ckpt.student, ckptDir);
  const config = parseRunConfig(readRun(runDir).config, `${runDir}/run.json`);
  const mapping = resolveLayerMapping(effectiveLoss(config).layerMapping, student.config.num_hidden_layers, teacher.config.num_hidden_layers);
  const projections = mapping.map((_, k) => {
    const a = ckpt.projections.get(projectionName(k));
    if (!a) throw new UserError(`${ckptDir} has no ${projectionName(k)}`, 'checkpoint');
    return tf.tensor2d(a.values as Float32Array, a.shape as [number, number]);
  });
  return { student: { model: student, projections, mapping }, dispose: () => { tf.dispose(projections); student.dispose(); } };
}

/**
 * The paired analysis of an LRC run and its MSE baseline (both finished): both students against the
 * teacher on the dev set, written into the LRC run's analysis folder at its last step.
 */
export async function runPairedAnalysis(lrcDir: string, mseDir: string, log: (m: string) => void): Promise<string> {
  const lrcRecord = readRun(lrcDir);
  const config = parseRunConfig(lrcRecord.config, `${lrcDir}/run.json`);
  if (config.kind !== 'lrc') throw new UserError(`${lrcDir} is a ${config.kind} run; the paired analysis starts from the LRC run`, 'run');
  const runsDir = join(lrcDir, '..');
  const teacherFolder = teacherFolderOf(config, runsDir)!;
  const data = await loadTaskData(config, lrcDir, modelFolderOf(config, runsDir), log);
  const { model: teacher } = loadHfModel(teacherFolder, { trainable: false });
  const loaded: LoadedStudent[] = [];
  try {
    const lrc = studentOfRun(lrcDir, teacher);
    loaded.push(lrc);
    const mse = studentOfRun(mseDir, teacher);
    loaded.push(mse);
    const loss = effectiveLoss(config);
    const result = await analyzeDataset({ teacher, lrc: lrc.student, mse: mse.student }, data.dev, {
      batchSize: config.eval.batchSize,
      vectorize: loss.vectorize,
      angularEps: loss.angularEps,
    });
    const step = lrcRecord.progress.step;
    const path = writeAnalysisFile(lrcDir, toAnalysisFile(result, { step, stage: lrcRecord.progress.stage, run: 'lrc', labelNames: data.labelNames }));
    log(`paired analysis of ${lrcRecord.id} and its MSE baseline: ${path}`);
    return path;
  } finally {
    for (const l of loaded) l.dispose();
    teacher.dispose();
  }
}
