// The distance grids against values computed by hand: each example run alone and unpadded, its hidden
// states projected, vectorised and compared with plain-JS g and MSE, then averaged over the examples.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { analyzeDataset, type AnalysisResult, type AnalysisStudent } from '../../../trainer/analysis';
import type { VectorizeMode } from '../../../trainer/losses/vectorize';
import { useBackend } from '../helpers/backend';
import { assertNear, disposeStudent, forwardOne, g, matrixOf, mse, project, tinyDataset, tinyModel, tinyStudent, vec, type TinyStudent } from './fixture';

let teacher: ReturnType<typeof tinyModel>;
let lrc: TinyStudent;
let baseline: TinyStudent;
const data = tinyDataset(10, 7);

before(async () => {
  await useBackend('wasm');
  teacher = tinyModel(4, 16, 1);
  lrc = tinyStudent(teacher, 2, 8, 2);
  baseline = tinyStudent(teacher, 2, 12, 3);
});
after(() => {
  teacher.dispose();
  disposeStudent(lrc);
  disposeStudent(baseline);
});

/** D[i][j] by hand; `weightOfRow(i)` is the W of row i, or null for the identity. */
function referenceGrids(student: AnalysisStudent, weightOfRow: (i: number) => tf.Tensor2D | null, mode: VectorizeMode) {
  const rows = student.model.config.num_hidden_layers + 1;
  const cols = teacher.config.num_hidden_layers + 1;
  const angular = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  const squared = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  const n = data.examples.length;
  for (let e = 0; e < n; e++) {
    const t = forwardOne(teacher, data, e).hidden;
    const s = forwardOne(student.model, data, e).hidden;
    for (let i = 0; i < rows; i++) {
      const w = weightOfRow(i);
      const z = w ? project(s[i], matrixOf(w)) : s[i];
      for (let j = 0; j < cols; j++) {
        angular[i][j] += g(vec(z, mode), vec(t[j], mode)) / n;
        squared[i][j] += mse(z, t[j]) / n;
      }
    }
  }
  return { angular, mse: squared };
}

function assertGrid(actual: (number[] | null)[], expected: number[][], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  expected.forEach((row, i) => {
    assert.ok(actual[i], `${what}: row ${i} is missing`);
    assert.equal(actual[i]!.length, row.length, `${what}: columns of row ${i}`);
    row.forEach((v, j) => assertNear(actual[i]![j], v, tolerance, `${what}[${i}][${j}]`));
  });
}

const nearestRow = (s: AnalysisStudent) => (i: number) => s.projections[Math.max(0, i - 1)];

test('angular and MSE grids of both students equal the per-example means computed by hand', async () => {
  const result = await analyzeDataset({ teacher, lrc, mse: baseline }, data, { batchSize: 4, padTo: 'max' });
  assert.equal(result.examples, 10);
  for (const [role, student] of [['lrc', lrc], ['mse', baseline]] as const) {
    const expected = referenceGrids(student, nearestRow(student), 'flatten');
    const grid = result.students[role]!.grid;
    assertGrid(grid.angular, expected.angular, 2e-5, `${role} angular`);
    assertGrid(grid.mse, expected.mse, 1e-4, `${role} mse`);
  }
  // Not a constant grid: the layers differ from each other.
  const cells = result.students.lrc!.grid.angular.flat() as number[];
  assert.ok(Math.max(...cells) - Math.min(...cells) > 0.05, `grid spread ${Math.min(...cells)}..${Math.max(...cells)}`);
});

test('the mapped pairs and the projection of each row are reported', async () => {
  const result = await analyzeDataset({ teacher, lrc }, data, { batchSize: 10 });
  const s = result.students.lrc!;
  assert.deepEqual(s.mapping, [{ student: 1, teacher: 2 }, { student: 2, teacher: 4 }]);
  assert.deepEqual(s.rows, [{ projection: 0 }, { projection: 0 }, { projection: 1 }]);
  assert.deepEqual([s.layers, s.hidden, result.teacher.layers, result.teacher.hidden], [2, 8, 4, 16]);
  assert.equal(result.students.mse, undefined);
});

test("vectorize 'cls' and 'mean' change g as the losses define them; the MSE stays over all tokens", async () => {
  for (const mode of ['cls', 'mean'] as const) {
    const result = await analyzeDataset({ teacher, lrc }, data, { batchSize: 3, vectorize: mode });
    const expected = referenceGrids(lrc, nearestRow(lrc), mode);
    assertGrid(result.students.lrc!.grid.angular, expected.angular, 2e-5, `${mode} angular`);
    assertGrid(result.students.lrc!.grid.mse, expected.mse, 1e-4, `${mode} mse`);
  }
});

test("unprojected rows: 'identity' compares H_0 itself when the widths agree, 'skip' leaves the row null", async () => {
  const same = tinyStudent(teacher, 2, 16, 4);
  try {
    const result = await analyzeDataset({ teacher, lrc: same }, data, { batchSize: 4, unprojected: 'identity' });
    assert.deepEqual(result.students.lrc!.rows, ['identity', { projection: 0 }, { projection: 1 }]);
    const expected = referenceGrids(same, (i) => (i === 0 ? null : same.projections[i - 1]), 'flatten');
    assertGrid(result.students.lrc!.grid.angular, expected.angular, 2e-5, 'identity angular');
    assertGrid(result.students.lrc!.grid.mse, expected.mse, 1e-4, 'identity mse');
    const skipped = await analyzeDataset({ teacher, lrc: same }, data, { batchSize: 4, unprojected: 'skip' });
    assert.equal(skipped.students.lrc!.grid.angular[0], null);
    assert.equal(skipped.students.lrc!.grid.mse[0], null);
    assertGrid(skipped.students.lrc!.grid.angular.slice(1), expected.angular.slice(1), 2e-5, 'skip angular');
  } finally {
    disposeStudent(same);
  }
  await assert.rejects(analyzeDataset({ teacher, lrc }, data, { batchSize: 4, unprojected: 'identity' }), /'identity' needs equal widths.*8.*16/);
});

function maxDifference(a: AnalysisResult, b: AnalysisResult): number {
  let worst = 0;
  const cmp = (x: number, y: number) => (worst = Math.max(worst, Math.abs(x - y)));
  for (const role of ['lrc', 'mse'] as const) {
    for (const kind of ['angular', 'mse'] as const) {
      a.students[role]!.grid[kind].forEach((row, i) => row!.forEach((v, j) => cmp(v, b.students[role]!.grid[kind][i]![j])));
    }
  }
  assert.equal(a.cases.length, b.cases.length);
  a.cases.forEach((c, n) => {
    const d = b.cases[n];
    assert.equal(c.id, d.id);
    for (const role of ['lrc', 'mse'] as const) {
      c[role]!.angular.forEach((v, k) => cmp(v, d[role]!.angular[k]));
      c[role]!.mse.forEach((v, k) => cmp(v, d[role]!.mse[k]));
      c[role]!.probabilities!.forEach((v, k) => cmp(v, d[role]!.probabilities![k]));
    }
  });
  return worst;
}

test('streaming over batches of 1, 3 or 4 equals one batch of all; padding to the longest or to maxLength agrees', async () => {
  const models = { teacher, lrc, mse: baseline };
  const whole = await analyzeDataset(models, data, { batchSize: 10, padTo: 'longest' });
  for (const [batchSize, padTo] of [[1, 'longest'], [3, 'max'], [4, 'longest'], [10, 'max']] as const) {
    const part = await analyzeDataset(models, data, { batchSize, padTo });
    assert.equal(part.examples, 10);
    const worst = maxDifference(part, whole);
    assert.ok(worst < 2e-5, `batch ${batchSize} padded to ${padTo}: largest difference ${worst}`);
  }
});

test('an analysis leaves no tensor behind, nor does a failing one', async () => {
  await analyzeDataset({ teacher, lrc, mse: baseline }, data, { batchSize: 4 }); // warm-up: kernels, caches
  const before = tf.memory().numTensors;
  await analyzeDataset({ teacher, lrc, mse: baseline }, data, { batchSize: 4, vectorize: 'mean' });
  assert.equal(tf.memory().numTensors, before);
  const badProjection = tf.zeros([8, 15]) as tf.Tensor2D;
  await assert.rejects(analyzeDataset({ teacher, lrc: { ...lrc, projections: [badProjection, lrc.projections[1]] } }, data, { batchSize: 4 }), /projection 0 is \[8,15\], expected \[8,16\]/);
  badProjection.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('bad model combinations are named', async () => {
  const regression = tinyModel(2, 8, 5, { num_labels: 1 });
  try {
    await assert.rejects(analyzeDataset({ teacher }, data, { batchSize: 4 }), /no student given/);
    await assert.rejects(analyzeDataset({ teacher, lrc: { ...lrc, model: regression } }, data, { batchSize: 4 }), /lrc student has num_labels 1 but the teacher has 2/);
    await assert.rejects(analyzeDataset({ teacher, lrc: { ...lrc, mapping: [lrc.mapping[0]] } }, data, { batchSize: 4 }), /2 projections for 1 mapped layers/);
    await assert.rejects(
      analyzeDataset({ teacher, lrc: { ...lrc, mapping: [{ student: 1, teacher: 2 }, { student: 2, teacher: 5 }] } }, data, { batchSize: 4 }),
      /mapping entry 1 names teacher layer 5 but the teacher has layers 0\.\.4/,
    );
  } finally {
    regression.dispose();
  }
});
