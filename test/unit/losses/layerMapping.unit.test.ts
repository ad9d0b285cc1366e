import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveLayerMapping } from '../../../trainer/losses/layerMapping';

const teachers = (spec: Parameters<typeof resolveLayerMapping>[0], m: number, n: number) =>
  resolveLayerMapping(spec, m, n).map((p) => p.teacher);

test('uniform mapping phi(i) = i * N / M', () => {
  assert.deepEqual(teachers('uniform', 4, 12), [3, 6, 9, 12]);
  assert.deepEqual(teachers('uniform', 1, 2), [2]);
  assert.deepEqual(teachers('uniform', 6, 6), [1, 2, 3, 4, 5, 6]);
  // 12 / 5 = 2.4: 2.4, 4.8, 7.2, 9.6, 12 rounded to the nearest layer.
  assert.deepEqual(teachers('uniform', 5, 12), [2, 5, 7, 10, 12]);
  assert.deepEqual(resolveLayerMapping('uniform', 2, 4), [{ student: 1, teacher: 2 }, { student: 2, teacher: 4 }]);
});

test('an explicit list is accepted as given', () => {
  assert.deepEqual(resolveLayerMapping([2, 5, 8, 11], 4, 12), [
    { student: 1, teacher: 2 }, { student: 2, teacher: 5 }, { student: 3, teacher: 8 }, { student: 4, teacher: 11 },
  ]);
});

test('an explicit list is validated against both depths', () => {
  assert.throws(() => resolveLayerMapping([2, 5, 8, 13], 4, 12), /layer mapping \[2,5,8,13\] names teacher layer 13 but the teacher has 12/);
  assert.throws(() => resolveLayerMapping([2, 5, 8], 4, 12), /layer mapping \[2,5,8\] has 3 entries but the student has 4 layers/);
  assert.throws(() => resolveLayerMapping([0, 5, 8, 12], 4, 12), /names teacher layer 0 but teacher layers count from 1/);
  assert.throws(() => resolveLayerMapping([2, 5.5, 8, 12], 4, 12), /entry 2 \(5.5\) is not a whole layer number/);
  assert.throws(() => resolveLayerMapping('uniform', 0, 12), /student must have at least 1 layer, got 0/);
  assert.throws(() => resolveLayerMapping('uniform', 4, 0), /teacher must have at least 1 layer, got 0/);
  assert.throws(() => resolveLayerMapping('every' as 'uniform', 4, 12), /must be 'uniform' or a list/);
});
