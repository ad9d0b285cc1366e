import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { disposeInputs, maxAbsDiff, tinyBatch, tinyBert } from './tiny';

test('eval mode: no dropout, two passes give identical outputs', async () => {
  await useBackend('wasm');
  const model = tinyBert();
  const inputs = tinyBatch();
  tf.tidy(() => {
    const a = model.forward(inputs, { training: false });
    const b = model.forward(inputs, { training: false });
    assert.equal(maxAbsDiff(a.logits, b.logits), 0);
    a.hiddenStates.forEach((h, i) => assert.equal(maxAbsDiff(h, b.hiddenStates[i]), 0));
  });
  disposeInputs(inputs);
  model.dispose();
});

test('training mode: the same dropout seed gives the same outputs, another seed and eval differ', async () => {
  await useBackend('wasm');
  const model = tinyBert();
  const inputs = tinyBatch();
  tf.tidy(() => {
    const a = model.forward(inputs, { training: true, dropoutSeed: 42 });
    const b = model.forward(inputs, { training: true, dropoutSeed: 42 });
    const c = model.forward(inputs, { training: true, dropoutSeed: 43 });
    const evalOut = model.forward(inputs, { training: false });
    assert.equal(maxAbsDiff(a.logits, b.logits), 0);
    a.hiddenStates.forEach((h, i) => assert.equal(maxAbsDiff(h, b.hiddenStates[i]), 0));
    assert.ok(maxAbsDiff(a.hiddenStates[2], c.hiddenStates[2]) > 1e-3, 'another seed, other masks');
    assert.ok(maxAbsDiff(a.hiddenStates[0], evalOut.hiddenStates[0]) > 1e-3, 'dropout is applied when training');
  });
  disposeInputs(inputs);
  model.dispose();
});

test('dropout zeroes about hidden_dropout_prob of the embedding output and scales the rest by 1/(1-p)', async () => {
  await useBackend('wasm');
  const model = tinyBert(1, { hidden_dropout_prob: 0.25, max_position_embeddings: 512 });
  const ids = [Array.from({ length: 512 }, (_, i) => 1 + (i % 49))];
  const inputs = { inputIds: tf.tensor2d(ids, undefined, 'int32'), attentionMask: tf.ones([1, 512], 'int32') as tf.Tensor2D, tokenTypeIds: tf.zeros([1, 512], 'int32') as tf.Tensor2D };
  const [dropped, kept] = tf.tidy(() => {
    const clean = model.embed(inputs, false).dataSync();
    const noisy = model.embed(inputs, true, 7).dataSync();
    let zeros = 0;
    let scaled = 0;
    for (let i = 0; i < clean.length; i++) {
      if (noisy[i] === 0) zeros++;
      else if (Math.abs(noisy[i] - clean[i] / 0.75) < 1e-4) scaled++;
    }
    return [zeros / clean.length, scaled / clean.length];
  });
  assert.ok(Math.abs(dropped - 0.25) < 0.01, `dropped fraction ${dropped}`);
  assert.ok(Math.abs(dropped + kept - 1) < 1e-3, 'every kept value is scaled by 1/(1-p)');
  disposeInputs(inputs);
  model.dispose();
});

test('the attention mask masks: changing padded tokens does not change the outputs of real tokens', async () => {
  await useBackend('wasm');
  const model = tinyBert();
  const a = tinyBatch();
  const b = tinyBatch([[2, 7, 9, 11, 3, 14, 15, 3], [2, 21, 22, 3, 30, 17, 41, 8]]); // other ids at the 3 padded positions
  tf.tidy(() => {
    const outA = model.forward(a, { training: false, outputAttentions: true });
    const outB = model.forward(b, { training: false });
    assert.ok(maxAbsDiff(outA.logits, outB.logits) < 1e-6);
    for (let i = 1; i < outA.hiddenStates.length; i++) {
      const real = (h: tf.Tensor3D) => tf.slice(h, [1, 0, 0], [1, 5, 32]);
      assert.ok(maxAbsDiff(real(outA.hiddenStates[i]), real(outB.hiddenStates[i])) < 1e-6, `layer ${i}`);
    }
    // No query attends to a padding key.
    const toPadding = tf.slice(outA.attentions![0], [1, 0, 0, 5], [1, 4, 8, 3]);
    assert.equal(tf.max(toPadding).dataSync()[0], 0);
    // Without the mask the same change does reach the real tokens (the check above can fail).
    const unmasked = (x: typeof a) => ({ ...x, attentionMask: tf.onesLike(x.attentionMask) });
    const openA = model.forward(unmasked(a), { training: false });
    const openB = model.forward(unmasked(b), { training: false });
    assert.ok(maxAbsDiff(openA.logits, openB.logits) > 1e-4);
  });
  disposeInputs(a);
  disposeInputs(b);
  model.dispose();
});

test('forward from a given embeddingOutput equals the normal forward (eval, and training with the same seed)', async () => {
  await useBackend('wasm');
  const model = tinyBert();
  const inputs = tinyBatch();
  tf.tidy(() => {
    for (const [training, seed] of [[false, undefined], [true, 9]] as const) {
      const normal = model.forward(inputs, { training, dropoutSeed: seed });
      const embeddingOutput = model.embed(inputs, training, seed);
      const fromEmbedding = model.forward(inputs, { training, dropoutSeed: seed, embeddingOutput });
      assert.equal(maxAbsDiff(normal.hiddenStates[0], embeddingOutput), 0);
      assert.ok(maxAbsDiff(normal.logits, fromEmbedding.logits) < 1e-6, `training=${training}`);
      normal.hiddenStates.forEach((h, i) => assert.ok(maxAbsDiff(h, fromEmbedding.hiddenStates[i]) < 1e-6));
    }
    // A perturbed embedding output changes the result.
    const e = model.embed(inputs, false);
    const moved = model.forward(inputs, { training: false, embeddingOutput: tf.add(e, 0.5) as tf.Tensor3D });
    assert.ok(maxAbsDiff(moved.logits, model.forward(inputs, { training: false }).logits) > 1e-4);
  });
  disposeInputs(inputs);
  model.dispose();
});

test('outputs have the contract shapes; bad inputs are refused with their shapes', async () => {
  await useBackend('wasm');
  const model = tinyBert(1, { num_labels: 1 });
  const inputs = tinyBatch();
  tf.tidy(() => {
    const out = model.forward(inputs, { training: false, outputAttentions: true });
    assert.deepEqual(out.logits.shape, [2, 1]);
    assert.deepEqual(out.hiddenStates.map((h) => h.shape), [[2, 8, 32], [2, 8, 32], [2, 8, 32]]);
    assert.deepEqual(out.attentions!.map((a) => a.shape), [[2, 4, 8, 8], [2, 4, 8, 8]]);
    assert.equal(model.forward(inputs, { training: false }).attentions, undefined);
    assert.throws(
      () => model.forward({ ...inputs, attentionMask: tf.ones([2, 7], 'int32') as tf.Tensor2D }, { training: false }),
      /BERT input attentionMask has shape \[2,7\] but inputIds has \[2,8\]/,
    );
    assert.throws(
      () => model.forward({ ...inputs, tokenTypeIds: tf.zeros([2, 8]) as tf.Tensor2D }, { training: false }),
      /BERT input tokenTypeIds must be an int32 \(batch, length\) tensor, got float32 \[2,8\]/,
    );
    const long = tf.zeros([1, 17], 'int32') as tf.Tensor2D;
    assert.throws(
      () => model.forward({ inputIds: long, attentionMask: long, tokenTypeIds: long }, { training: false }),
      /BERT input length 17 exceeds max_position_embeddings 16/,
    );
    assert.throws(
      () => model.forward(inputs, { training: false, embeddingOutput: tf.zeros([2, 8, 31]) as tf.Tensor3D }),
      /embeddingOutput has shape \[2,8,31\], expected \[2,8,32\]/,
    );
  });
  disposeInputs(inputs);
  model.dispose();
});
