// End to end on a task the test makes up (label 1 when token 5 appears): fine-tune a tiny teacher to high
// accuracy, then distil a smaller student with COS-NCE through both stages and the perturbation, and
// check that the student's angular distance to the teacher falls on the mapped layer and its accuracy rises.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { angularDistance } from '../../../trainer/losses/angularDistance';
import { DEFAULT_LOSS_CONFIG } from '../../../trainer/losses/config';
import { cosNceVectors } from '../../../trainer/losses/cosNce';
import { Bert } from '../../../trainer/model/bert';
import type { BertModel } from '../../../trainer/model/types';
import { AdamW } from '../../../trainer/optim/adamw';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { createDistillation, disposeDistillation, type Distillation } from '../../../trainer/train/distillation';
import type { TrainingBatch } from '../../../trainer/train/batch';
import { distillationStep } from '../../../trainer/train/distillStep';
import { fineTuneStep } from '../../../trainer/train/fineTuneStep';
import { DEFAULT_STAGE_CONFIG } from '../../../trainer/train/stages';
import { SeededRandom } from '../../../trainer/util/random';
import { useBackend } from '../helpers/backend';
import { disposeBatch, makeExamples, tinyConfig, toBatch, type Example } from './tinyTask';

const BATCH = 16;
const train = makeExamples(1024, 1);
let evalSet: TrainingBatch;

before(async () => {
  await useBackend('wasm');
  evalSet = toBatch(makeExamples(256, 2));
});

function accuracy(model: BertModel): number {
  const argMax = tf.tidy(() => tf.argMax(model.forward(evalSet.inputs, { training: false }).logits, 1)); // (B)
  const predictions = Array.from(argMax.dataSync());
  argMax.dispose();
  const labels = evalSet.labels.dataSync();
  return predictions.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / labels.length;
}

/** Mean g(vec(H_i^s W_i), vec(H_phi(i)^t)) over the evaluation set, per mapped layer. */
function angularDistances(d: Distillation): number[] {
  return tf.tidy(() => {
    const s = d.student.forward(evalSet.inputs, { training: false }).hiddenStates;
    const t = d.teacher.forward(evalSet.inputs, { training: false }).hiddenStates;
    return d.mapping.map(({ student, teacher }, k) => {
      const v = cosNceVectors({ studentHidden: s[student], projection: d.projections.weights[k], teacherHidden: t[teacher], attentionMask: evalSet.inputs.attentionMask }, 'flatten');
      return tf.mean(angularDistance(v.student, v.teacher)).dataSync()[0];
    });
  });
}

function batches(epochSeed: number): Example[][] {
  const shuffled = new SeededRandom(epochSeed).shuffle(train);
  return Array.from({ length: shuffled.length / BATCH }, (_, i) => shuffled.slice(i * BATCH, (i + 1) * BATCH));
}

test('fine-tune a tiny teacher, then distil a student with COS-NCE: distance falls, accuracy rises', () => {
  const t0 = Date.now();
  // Teacher: 2 layers x 32, fine-tuned with cross-entropy.
  const teacher = new Bert(tinyConfig(2, 32), { seed: 10 });
  const teacherSteps = 128;
  const teacherOpt = new AdamW(teacher.namedWeights(), DEFAULT_OPTIM_CONFIG);
  const random = new SeededRandom(5);
  let step = 0;
  for (let epoch = 0; step < teacherSteps; epoch++) {
    for (const examples of batches(epoch)) {
      if (step >= teacherSteps) break;
      const batch = toBatch(examples);
      fineTuneStep(teacher, teacherOpt, batch, {
        step, dropoutSeed: random.nextSeed(), maxGradNorm: 1, learningRate: { peak: 2e-3, totalSteps: teacherSteps, warmupShare: 0.1 },
      });
      disposeBatch(batch);
      step++;
    }
  }
  const teacherAccuracy = accuracy(teacher);
  const t1 = Date.now();
  console.log(`# teacher accuracy ${teacherAccuracy} after ${teacherSteps} steps (${t1 - t0} ms)`);
  assert.ok(teacherAccuracy >= 0.95, `teacher accuracy ${teacherAccuracy}`);

  // Student: 1 layer x 16, distilled: 60% of the steps on L_mid alone, then 1:1:3; epsilon 1.
  const student = new Bert(tinyConfig(1, 16), { seed: 20 });
  const totalSteps = 96;
  const d = createDistillation(teacher, student, {
    loss: DEFAULT_LOSS_CONFIG,
    optim: { ...DEFAULT_OPTIM_CONFIG, learningRate: 3e-3 },
    stages: { ...DEFAULT_STAGE_CONFIG, split: 0.6 },
    totalSteps,
    seed: 20,
  });
  const distance0 = angularDistances(d);
  const accuracy0 = accuracy(student);
  let afterStage1: number[] = [];
  step = 0;
  for (let epoch = 0; step < totalSteps; epoch++) {
    for (const examples of batches(100 + epoch)) {
      if (step >= totalSteps) break;
      if (step === d.stages.stage2Start) afterStage1 = angularDistances(d);
      const batch = toBatch(examples);
      distillationStep(d, batch, { step, dropoutSeed: random.nextSeed() });
      disposeBatch(batch);
      step++;
    }
  }
  const distance1 = angularDistances(d);
  const accuracy1 = accuracy(student);
  console.log(`# student: angular distance ${distance0} -> ${afterStage1} (end of stage 1) -> ${distance1}, accuracy ${accuracy0} -> ${accuracy1} (${Date.now() - t1} ms)`);
  // Stage 1 trains on L_mid alone: the distance falls before any label or logit is used.
  distance0.forEach((g0, k) => assert.ok(afterStage1[k] < 0.5 * g0, `layer ${k}: distance ${g0} -> ${afterStage1[k]} in stage 1`));
  distance0.forEach((g0, k) => assert.ok(distance1[k] < 0.5 * g0, `layer ${k}: distance ${g0} -> ${distance1[k]}`));
  assert.ok(accuracy1 >= 0.85 && accuracy1 > accuracy0 + 0.2, `student accuracy ${accuracy0} -> ${accuracy1}`);
  disposeDistillation(d);
  teacherOpt.dispose();
  teacher.dispose();
  student.dispose();
});
