// The TensorFlow.js BERT against an independent PyTorch implementation of Hugging Face's equations
// (test/fixtures/bert-reference/generate.py): same weights, same padded two-segment inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { assignHfWeights, Bert } from '../../../trainer/model';

interface Fixture {
  config: Record<string, unknown>;
  inputs: { input_ids: number[][]; attention_mask: number[][]; token_type_ids: number[][] };
  weights: Record<string, { shape: number[]; values: number[] }>;
  logits: number[][];
  hidden_states: number[][][][];
  attentions: number[][][][][];
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'bert-reference', 'bert-reference.json'), 'utf8'),
) as Fixture;

function maxAbsDiff(actual: tf.Tensor, expected: unknown): number {
  const a = actual.dataSync();
  const e = (expected as number[]).flat(4) as number[];
  assert.equal(a.length, e.length, 'element count');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - e[i]));
  return m;
}

test('logits, every hidden state and every attention map match the PyTorch reference within 1e-4', async () => {
  await useBackend('wasm');
  const model = Bert.fromConfigJson(fixture.config, { seed: 99 });
  const hf = new Map(Object.entries(fixture.weights).map(([name, w]) => [name, tf.tensor(w.values, w.shape)]));
  assignHfWeights(model.namedWeights(), hf, 'bert-reference.json');
  tf.dispose([...hf.values()]);

  tf.tidy(() => {
    const inputs = {
      inputIds: tf.tensor2d(fixture.inputs.input_ids, undefined, 'int32'),
      attentionMask: tf.tensor2d(fixture.inputs.attention_mask, undefined, 'int32'),
      tokenTypeIds: tf.tensor2d(fixture.inputs.token_type_ids, undefined, 'int32'),
    };
    const out = model.forward(inputs, { training: false, outputAttentions: true });
    assert.equal(out.hiddenStates.length, fixture.hidden_states.length);
    out.hiddenStates.forEach((h, i) => {
      const diff = maxAbsDiff(h, fixture.hidden_states[i]);
      assert.ok(diff < 1e-4, `hidden state ${i}: max diff ${diff}`);
    });
    out.attentions!.forEach((a, i) => {
      const diff = maxAbsDiff(a, fixture.attentions[i]);
      assert.ok(diff < 1e-4, `attention ${i}: max diff ${diff}`);
    });
    const diff = maxAbsDiff(out.logits, fixture.logits);
    assert.ok(diff < 1e-4, `logits: max diff ${diff}`);
  });
  model.dispose();
});
