// Evaluation and analysis of a general-distillation run on the passages held out from the corpus:
// the COS-NCE loss (negatives from each evaluation batch) and the angular distance g(z^t, z^s) of every
// mapped layer, the teacher and the student in eval mode. The best checkpoint is the one whose mapped
// layers point most nearly the teacher's way: the primary metric is their mean cosine, 1 - mean g.
// The layer heatmap is the analysis of a task run without its case records (no labels, no predictions).
import * as tf from '@tensorflow/tfjs';
import { analyzeDataset, distillationStudent, toAnalysisFile, writeAnalysisFile } from '../analysis';
import { datasetBatches } from '../analysis/analyze';
import type { TokenizedDataset } from '../data/batches';
import { totalLoss } from '../losses/total';
import type { Distillation } from '../train/distillation';
import type { Scores } from '../session/taskData';
import { nextTurn, type Pause } from '../util/timeSlices';

export async function scoreGeneral(d: Distillation, dev: TokenizedDataset, batchSize: number, pause: Pause = nextTurn): Promise<Scores> {
  let examples = 0;
  let cosNce = 0;
  const distance = new Array<number>(d.mapping.length).fill(0);
  const weights = { alpha: 1, beta: 0, gamma: 0, temperature: 1 };
  for (const batch of datasetBatches(dev, { batchSize })) {
    const b = batch.inputs.inputIds.shape[0];
    const values = tf.tidy(() => {
      const teacher = d.teacher.forward(batch.inputs, { training: false });
      const student = d.student.forward(batch.inputs, { training: false });
      const labels = tf.zeros([b], 'int32') as tf.Tensor1D; // never read: negatives are all other passages
      const loss = totalLoss({ student, teacher, attentionMask: batch.inputs.attentionMask, labels, mapping: d.mapping, projections: d.projections.weights }, weights, d.loss);
      return { mid: loss.mid!.dataSync()[0], distance: loss.distance!.map((s) => s.dataSync()[0]) };
    });
    examples += b;
    cosNce += values.mid * b;
    values.distance.forEach((v, k) => (distance[k] += v * b));
    await pause(); // control messages and signals between batches (a stop ends the evaluation)
  }
  const perLayer = distance.map((v) => v / examples);
  const mean = perLayer.reduce((a, v) => a + v, 0) / perLayer.length;
  const metrics: Record<string, number> = { cosine: 1 - mean, angular_distance: mean, cos_nce: cosNce / examples };
  d.mapping.forEach((pair, k) => (metrics[`angular_distance_s${pair.student}_t${pair.teacher}`] = perLayer[k]));
  return { metrics, primary: 'cosine', score: 1 - mean };
}

/** The layer grids (angular distance and MSE, every student layer against every teacher layer) on the held-out passages. */
export async function analyzeGeneral(d: Distillation, dev: TokenizedDataset, meta: { runDir: string; step: number; batchSize: number; pause?: Pause }): Promise<string> {
  const result = await analyzeDataset({ teacher: d.teacher, lrc: distillationStudent(d) }, dev, {
    batchSize: meta.batchSize,
    vectorize: d.loss.vectorize,
    angularEps: d.loss.angularEps,
    maxCases: 0,
    pause: meta.pause,
  });
  // The file format names the labels of the models' classifiers; a general run's are unused (and it keeps no cases).
  const c = d.student.config;
  const labelNames = c.num_labels === 1 ? [] : Array.from({ length: c.num_labels }, (_, i) => c.id2label?.[String(i)] ?? `LABEL_${i}`);
  return writeAnalysisFile(meta.runDir, toAnalysisFile(result, { step: meta.step, stage: 1, run: 'lrc', labelNames }));
}
