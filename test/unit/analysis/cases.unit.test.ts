// Case records against each example run alone: the teacher's and both students' predictions and
// probabilities, and per mapped layer g and the MSE of each student (with its own projections).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { analyzeBatches, analyzeDataset, datasetBatches, type CaseRecord } from '../../../trainer/analysis';
import { makeBatch } from '../../../trainer/data/batches';
import { disposeBertInputs, toBertInputs } from '../../../trainer/data/tensors';
import { hiddenMse } from '../../../trainer/losses/hiddenMse';
import { intermediateLoss } from '../../../trainer/losses/intermediate';
import { useBackend } from '../helpers/backend';
import { assertNear, disposeStudent, forwardOne, g, matrixOf, mse, project, softmax, tinyDataset, tinyModel, tinyStudent, vec, type TinyStudent } from './fixture';

let teacher: ReturnType<typeof tinyModel>;
let lrc: TinyStudent;
let baseline: TinyStudent;
const data = tinyDataset(9, 11);

before(async () => {
  await useBackend('wasm');
  teacher = tinyModel(4, 16, 21);
  lrc = tinyStudent(teacher, 2, 8, 22);
  baseline = tinyStudent(teacher, 2, 12, 23);
});
after(() => {
  teacher.dispose();
  disposeStudent(lrc);
  disposeStudent(baseline);
});

function checkStudentCase(record: CaseRecord, n: number, role: 'lrc' | 'mse', student: TinyStudent, regression: boolean): void {
  const t = forwardOne(teacher, data, n);
  const s = forwardOne(student.model, data, n);
  const got = record[role]!;
  if (regression) {
    assertNear(got.prediction, s.logits[0], 1e-5, `case ${n} ${role} score`);
    assert.equal(got.probabilities, undefined);
  } else {
    const p = softmax(s.logits);
    assert.equal(got.prediction, p.indexOf(Math.max(...p)), `case ${n} ${role} prediction`);
    p.forEach((v, c) => assertNear(got.probabilities![c], v, 1e-5, `case ${n} ${role} probability ${c}`));
  }
  assert.equal(got.angular.length, student.mapping.length);
  student.mapping.forEach(({ student: i, teacher: j }, k) => {
    const z = project(s.hidden[i], matrixOf(student.projections[k]));
    assertNear(got.angular[k], g(vec(z, 'flatten'), vec(t.hidden[j], 'flatten')), 2e-5, `case ${n} ${role} angular ${k}`);
    assertNear(got.mse[k], mse(z, t.hidden[j]), 1e-4, `case ${n} ${role} mse ${k}`);
  });
}

test('each case holds the example, the three predictions and both students’ per-layer distances', async () => {
  const result = await analyzeDataset({ teacher, lrc, mse: baseline }, data, { batchSize: 4, padTo: 'max' });
  assert.equal(result.cases.length, 9);
  result.cases.forEach((record, n) => {
    const example = data.dataset.examples[n];
    assert.equal(record.id, example.id);
    assert.equal(record.text, example.text);
    assert.equal(record.textPair, example.textPair);
    assert.equal(record.label, example.label);
    const p = softmax(forwardOne(teacher, data, n).logits);
    assert.equal(record.teacher.prediction, p.indexOf(Math.max(...p)), `case ${n} teacher prediction`);
    p.forEach((v, c) => assertNear(record.teacher.probabilities![c], v, 1e-5, `case ${n} teacher probability ${c}`));
    checkStudentCase(record, n, 'lrc', lrc, false);
    checkStudentCase(record, n, 'mse', baseline, false);
  });
  // The two students have their own weights and projections, so their distances differ.
  assert.notDeepEqual(result.cases[0].lrc!.angular, result.cases[0].mse!.angular);
});

test('a case’s distances are what the training losses measure: COS-NCE’s g and the baseline’s hidden MSE', async () => {
  const result = await analyzeDataset({ teacher, lrc }, data, { batchSize: 9 });
  const batch = makeBatch(data, data.examples.map((_, i) => i), 'max');
  const inputs = toBertInputs(batch);
  const lossDistances = tf.tidy(() => {
    const t = teacher.forward(inputs, { training: false });
    const s = lrc.model.forward(inputs, { training: false });
    const loss = intermediateLoss(
      'cosnce',
      { studentHidden: s.hiddenStates, teacherHidden: t.hiddenStates, mapping: lrc.mapping, projections: lrc.projections, attentionMask: inputs.attentionMask },
      { vectorize: 'flatten', negatives: 'all' },
    );
    return loss.distance!.map((d) => d.dataSync()[0]);
  });
  disposeBertInputs(inputs);
  lrc.mapping.forEach((_, k) => {
    const mean = result.cases.reduce((sum, c) => sum + c.lrc!.angular[k], 0) / result.cases.length;
    assertNear(mean, lossDistances[k], 1e-5, `layer ${k}: batch mean of g vs COS-NCE distance`);
  });
  // The MSE of one example is hiddenMse over a batch of that example alone.
  for (const n of [0, 4]) {
    const one = toBertInputs(makeBatch(data, [n], 'longest'));
    const k = 1;
    const { student: i, teacher: j } = lrc.mapping[k];
    const value = tf.tidy(() => hiddenMse(lrc.model.forward(one, { training: false }).hiddenStates[i], lrc.projections[k], teacher.forward(one, { training: false }).hiddenStates[j], one.attentionMask).dataSync()[0]);
    disposeBertInputs(one);
    assertNear(result.cases[n].lrc!.mse[k], value, 1e-5, `case ${n} mse vs hiddenMse`);
  }
});

test('regression (num_labels 1): the score is the prediction and there are no probabilities', async () => {
  const reg = tinyDataset(6, 5, 'regression');
  const regTeacher = tinyModel(4, 16, 31, { num_labels: 1 });
  const regStudent = tinyStudent(regTeacher, 2, 8, 32, { num_labels: 1 });
  try {
    const result = await analyzeDataset({ teacher: regTeacher, mse: regStudent }, reg, { batchSize: 4 });
    assert.equal(result.numLabels, 1);
    result.cases.forEach((record, n) => {
      assert.equal(record.label, reg.dataset.examples[n].label);
      assertNear(record.teacher.prediction, forwardOne(regTeacher, reg, n).logits[0], 1e-5, `case ${n} teacher score`);
      assert.equal(record.teacher.probabilities, undefined);
      assert.equal(record.lrc, undefined);
      const s = forwardOne(regStudent.model, reg, n);
      const t = forwardOne(regTeacher, reg, n);
      assertNear(record.mse!.prediction, s.logits[0], 1e-5, `case ${n} student score`);
      assert.equal(record.mse!.probabilities, undefined);
      const z = project(s.hidden[2], matrixOf(regStudent.projections[1]));
      assertNear(record.mse!.mse[1], mse(z, t.hidden[4]), 1e-4, `case ${n} mse layer 2`);
    });
  } finally {
    regTeacher.dispose();
    disposeStudent(regStudent);
  }
});

test('maxCases keeps the first cases while the grid counts every example', async () => {
  const result = await analyzeDataset({ teacher, lrc }, data, { batchSize: 2, maxCases: 3 });
  assert.equal(result.examples, 9);
  assert.deepEqual(result.cases.map((c) => c.id), ['dev:0', 'dev:1', 'dev:2']);
});

test('batches of the caller: tensors stay the caller’s; without examples they count in the grid only', async () => {
  const own = [...datasetBatches(data, { batchSize: 5 })].length; // the generator frees each batch
  assert.equal(own, 2);
  const inputs = toBertInputs(makeBatch(data, [0, 1, 2], 'max'));
  const before = tf.memory().numTensors;
  const result = await analyzeBatches({ teacher, lrc }, [{ inputs }, { inputs, examples: data.dataset.examples.slice(0, 3) }]);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(inputs.inputIds.isDisposed, false);
  assert.equal(result.examples, 6);
  assert.deepEqual(result.cases.map((c) => c.id), ['dev:0', 'dev:1', 'dev:2']);
  await assert.rejects(analyzeBatches({ teacher, lrc }, [{ inputs, examples: data.dataset.examples.slice(0, 2) }]), /2 case examples for a batch of 3/);
  await assert.rejects(analyzeBatches({ teacher, lrc }, []), /no evaluation examples/);
  disposeBertInputs(inputs);
});
