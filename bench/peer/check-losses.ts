// Our side of the peer's loss check: L_total (COS-NCE on the uniformly mapped layers, L_soft, L_hard) and
// the perturbation delta of trainer/losses and trainer/train/perturbation.ts on small random tensors with
// padding, written as JSON with the inputs. bench/peer/torch_lrc_step.py --check <file> computes the same
// with its own functions and fails if they differ: the peer's step computes the same losses as ours.
// Usage: node --import tsx bench/peer/check-losses.ts <out.json>
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_LOSS_CONFIG } from '../../trainer/losses/config';
import { resolveLayerMapping } from '../../trainer/losses/layerMapping';
import { lossValues, totalLoss } from '../../trainer/losses/total';
import { perturbationStep } from '../../trainer/train/perturbation';
import { DEFAULT_STAGE_CONFIG } from '../../trainer/train/stages';

const B = 4, L = 6, D = 8, DT = 12, M = 2, N = 4, C = 2;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const out = process.argv[2];
  if (!out) throw new Error('usage: check-losses.ts <out.json>');
  const lengths = [6, 4, 5, 2]; // real tokens per row: padding in three of them
  const mask = tf.tensor2d(lengths.flatMap((n) => Array.from({ length: L }, (_, j) => (j < n ? 1 : 0))), [B, L], 'int32');
  const studentHidden = Array.from({ length: M + 1 }, (_, i) => tf.randomNormal([B, L, D], 0, 1, 'float32', 10 + i) as tf.Tensor3D);
  const teacherHidden = Array.from({ length: N + 1 }, (_, i) => tf.randomNormal([B, L, DT], 0, 1, 'float32', 20 + i) as tf.Tensor3D);
  const mapping = resolveLayerMapping('uniform', M, N);
  const projections = mapping.map((_, k) => tf.randomNormal([D, DT], 0, 0.3, 'float32', 30 + k) as tf.Tensor2D);
  const studentLogits = tf.randomNormal([B, C], 0, 1, 'float32', 40) as tf.Tensor2D;
  const teacherLogits = tf.randomNormal([B, C], 0, 2, 'float32', 41) as tf.Tensor2D;
  const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
  const { alpha, beta, gamma } = DEFAULT_STAGE_CONFIG.stage2;
  const weights = { alpha, beta, gamma, temperature: DEFAULT_STAGE_CONFIG.temperature };
  const loss = totalLoss({
    student: { logits: studentLogits, hiddenStates: studentHidden },
    teacher: { logits: teacherLogits, hiddenStates: teacherHidden },
    attentionMask: mask, labels, mapping, projections,
  }, weights, DEFAULT_LOSS_CONFIG);
  const gradient = tf.randomNormal([B, L, D], 0, 1, 'float32', 50) as tf.Tensor3D;
  const delta = perturbationStep(gradient, DEFAULT_STAGE_CONFIG.epsilon);
  const arr = (t: tf.Tensor) => ({ shape: t.shape, values: Array.from(t.dataSync()) });
  writeFileSync(out, JSON.stringify({
    weights, epsilon: DEFAULT_STAGE_CONFIG.epsilon, mapping: mapping.map((p) => [p.student, p.teacher]),
    inputs: {
      mask: arr(mask), labels: arr(labels), studentLogits: arr(studentLogits), teacherLogits: arr(teacherLogits),
      studentHidden: studentHidden.map(arr), teacherHidden: teacherHidden.map(arr), projections: projections.map(arr), gradient: arr(gradient),
    },
    ours: { ...lossValues(loss), delta: arr(delta) },
  }));
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
