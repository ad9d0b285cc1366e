import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowProjections } from '../../../trainer/analysis/rowProjections';

const uniform4 = [{ student: 1, teacher: 3 }, { student: 2, teacher: 6 }, { student: 3, teacher: 9 }, { student: 4, teacher: 12 }];
const shape = { studentLayers: 4, studentHidden: 312, teacherHidden: 768 };

test("'nearest': mapped rows keep their own W, the embedding row takes W of layer 1", () => {
  assert.deepEqual(rowProjections(uniform4, shape, 'nearest'), [{ projection: 0 }, { projection: 0 }, { projection: 1 }, { projection: 2 }, { projection: 3 }]);
});

test("'nearest' with a partial mapping: each row takes the closest mapped layer, a tie the lower one", () => {
  // Layers 2 and 4 mapped (entries 0 and 1): 0 -> 2, 1 -> 2, 2 own, 3 ties 2/4 -> 2, 4 own, 5 -> 4.
  const mapping = [{ student: 2, teacher: 6 }, { student: 4, teacher: 12 }];
  assert.deepEqual(rowProjections(mapping, { ...shape, studentLayers: 5 }, 'nearest'), [
    { projection: 0 }, { projection: 0 }, { projection: 0 }, { projection: 0 }, { projection: 1 }, { projection: 1 },
  ]);
  // Entry order does not matter: the same layers listed the other way round.
  const reversed = [{ student: 4, teacher: 12 }, { student: 2, teacher: 6 }];
  assert.deepEqual(rowProjections(reversed, { ...shape, studentLayers: 5 }, 'nearest').map((r) => (r as { projection: number }).projection), [1, 1, 1, 1, 0, 0]);
});

test("'identity' only for equal widths, 'skip' leaves the row out", () => {
  assert.deepEqual(rowProjections(uniform4.slice(0, 2), { studentLayers: 2, studentHidden: 64, teacherHidden: 64 }, 'identity'), ['identity', { projection: 0 }, { projection: 1 }]);
  assert.throws(() => rowProjections(uniform4, shape, 'identity'), /'identity' needs equal widths.*312.*768/);
  assert.deepEqual(rowProjections(uniform4, shape, 'skip'), [null, { projection: 0 }, { projection: 1 }, { projection: 2 }, { projection: 3 }]);
});

test('bad mappings and policies are named', () => {
  assert.throws(() => rowProjections(uniform4, shape, 'closest' as never), /policy 'closest' is unknown/);
  assert.throws(() => rowProjections([], shape, 'nearest'), /mapping is empty/);
  assert.throws(() => rowProjections([{ student: 5, teacher: 12 }], shape, 'nearest'), /student layer 5 .* layers 1\.\.4/);
  assert.throws(() => rowProjections([{ student: 1, teacher: 3 }, { student: 1, teacher: 6 }], shape, 'nearest'), /student layer 1 is mapped twice/);
});
