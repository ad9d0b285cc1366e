import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { vectorizeHidden } from '../../../trainer/losses/vectorize';
import { useBackend } from '../helpers/backend';
import { assertClose } from './reference';

before(() => useBackend('wasm'));

// Two samples, three tokens, two dimensions; sample 0 has one padding token, sample 1 two.
const hidden = () => tf.tensor3d([
  [[1, 2], [3, 4], [5, 6]],
  [[7, 8], [9, 10], [11, 12]],
]);
const mask = () => tf.tensor2d([[1, 1, 0], [1, 0, 0]], undefined, 'int32');

test("'flatten' flattens L x D and zeroes the rows of padding tokens", () => {
  const v = vectorizeHidden(hidden(), mask(), 'flatten');
  assert.deepEqual(v.shape, [2, 6]);
  assert.deepEqual(Array.from(v.dataSync()), [1, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 0]);
});

test("'cls' takes the first token", () => {
  const v = vectorizeHidden(hidden(), mask(), 'cls');
  assert.deepEqual(Array.from(v.dataSync()), [1, 2, 7, 8]);
});

test("'mean' averages the real tokens only", () => {
  const v = vectorizeHidden(hidden(), mask(), 'mean');
  // sample 0: ((1+3)/2, (2+4)/2) = (2, 3); sample 1: the first token only.
  assertClose(v.dataSync(), [2, 3, 7, 8], 1e-6);
  const allPadding = vectorizeHidden(hidden(), tf.zeros([2, 3]) as tf.Tensor2D, 'mean');
  assertClose(allPadding.dataSync(), [0, 0, 0, 0], 0);
});

test('a mask of the wrong shape and an unknown mode are named in the error', () => {
  assert.throws(() => vectorizeHidden(hidden(), tf.ones([2, 4]) as tf.Tensor2D, 'flatten'), /attention mask has shape \[2,4\] but the hidden state is \[2,3,2\]/);
  assert.throws(() => vectorizeHidden(hidden(), mask(), 'max' as 'cls'), /unknown mode 'max'/);
});
