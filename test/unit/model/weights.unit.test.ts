import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { assignHfWeights, Bert, hfLayoutOf, toHfLayout } from '../../../trainer/model';
import { TINY_CONFIG } from './tiny';

// The state_dict keys of transformers' BertForSequenceClassification with 2 layers, in order.
function expectedNames(layers: number): string[] {
  const names = [
    'bert.embeddings.word_embeddings.weight', 'bert.embeddings.position_embeddings.weight',
    'bert.embeddings.token_type_embeddings.weight', 'bert.embeddings.LayerNorm.weight', 'bert.embeddings.LayerNorm.bias',
  ];
  for (let i = 0; i < layers; i++) {
    for (const m of ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense',
      'attention.output.LayerNorm', 'intermediate.dense', 'output.dense', 'output.LayerNorm']) {
      names.push(`bert.encoder.layer.${i}.${m}.weight`, `bert.encoder.layer.${i}.${m}.bias`);
    }
  }
  return [...names, 'bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias'];
}

test('namedWeights has exactly the Hugging Face names, and toHfLayout gives the Hugging Face shapes', async () => {
  await useBackend('wasm');
  const model = new Bert({ ...Bert.fromConfigJson(TINY_CONFIG).config }, { seed: 3 });
  const named = model.namedWeights();
  assert.deepEqual([...named.keys()], expectedNames(2));
  assert.deepEqual(model.trainableVariables, [...named.values()]);
  const hfShape = (name: string) => tf.tidy(() => toHfLayout(name, named.get(name)!).shape);
  assert.deepEqual(hfShape('bert.embeddings.word_embeddings.weight'), [50, 32]);
  assert.deepEqual(hfShape('bert.encoder.layer.1.intermediate.dense.weight'), [64, 32]); // (out, in)
  assert.deepEqual(hfShape('bert.encoder.layer.1.output.dense.weight'), [32, 64]);
  assert.deepEqual(hfShape('classifier.weight'), [2, 32]);
  assert.deepEqual(named.get('bert.encoder.layer.1.intermediate.dense.weight')!.shape, [32, 64]); // stored (in, out)
  model.dispose();
});

test('hfLayoutOf: Linear weights are transposed, embeddings, LayerNorm and biases are not', () => {
  for (const name of ['bert.encoder.layer.3.attention.self.key.weight', 'bert.encoder.layer.0.attention.output.dense.weight',
    'bert.encoder.layer.11.intermediate.dense.weight', 'bert.encoder.layer.2.output.dense.weight', 'bert.pooler.dense.weight',
    'classifier.weight']) {
    assert.equal(hfLayoutOf(name), 'transpose', name);
  }
  for (const name of ['bert.embeddings.word_embeddings.weight', 'bert.embeddings.LayerNorm.weight',
    'bert.encoder.layer.0.output.LayerNorm.bias', 'bert.encoder.layer.0.attention.self.query.bias', 'classifier.bias']) {
    assert.equal(hfLayoutOf(name), 'as-is', name);
  }
  assert.throws(() => hfLayoutOf('bert.encoder.layer.0.attention.self.query'), /not a weight name of Hugging Face BertForSequenceClassification/);
  assert.throws(() => hfLayoutOf('projection.0.weight'), /'projection\.0\.weight' is not a weight name/);
});

test('initial weights follow Hugging Face: normal(0, initializer_range), LayerNorm 1 and 0, biases 0, pad row 0', async () => {
  await useBackend('wasm');
  const model = Bert.fromConfigJson({ ...TINY_CONFIG, vocab_size: 400, pad_token_id: 3 }, { seed: 5 });
  const named = model.namedWeights();
  const values = (name: string) => Array.from(named.get(name)!.dataSync());
  const word = values('bert.embeddings.word_embeddings.weight');
  assert.ok(word.slice(3 * 32, 4 * 32).every((v) => v === 0), 'pad row is zero');
  const std = Math.sqrt(word.reduce((s, v) => s + v * v, 0) / (word.length - 32));
  assert.ok(Math.abs(std - 0.02) < 0.001, `word embedding std ${std}`);
  assert.ok(values('bert.encoder.layer.0.output.LayerNorm.weight').every((v) => v === 1));
  assert.ok(values('bert.encoder.layer.0.output.LayerNorm.bias').every((v) => v === 0));
  assert.ok(values('bert.encoder.layer.1.attention.self.query.bias').every((v) => v === 0));
  const same = Bert.fromConfigJson({ ...TINY_CONFIG, vocab_size: 400, pad_token_id: 3 }, { seed: 5 });
  const other = Bert.fromConfigJson({ ...TINY_CONFIG, vocab_size: 400, pad_token_id: 3 }, { seed: 6 });
  const key = 'bert.encoder.layer.1.attention.self.query.weight';
  assert.deepEqual(values(key), Array.from(same.namedWeights().get(key)!.dataSync()));
  assert.notDeepEqual(values(key), Array.from(other.namedWeights().get(key)!.dataSync()));
  [model, same, other].forEach((m) => m.dispose());
});

test('a frozen model has no trainable variables', async () => {
  await useBackend('wasm');
  const model = new Bert(Bert.fromConfigJson(TINY_CONFIG).config, { trainable: false });
  assert.equal(model.trainableVariables.length, 0);
  assert.ok([...model.namedWeights().values()].every((v) => !v.trainable));
  model.dispose();
});

test('assignHfWeights transposes Linear weights and refuses missing, extra and misshapen weights by name', async () => {
  await useBackend('wasm');
  const model = Bert.fromConfigJson(TINY_CONFIG, { seed: 1 });
  const named = model.namedWeights();
  const hf = new Map<string, tf.Tensor>();
  for (const [name, v] of named) hf.set(name, tf.randomNormal(hfLayoutOf(name) === 'transpose' ? [...v.shape].reverse() : v.shape));
  hf.set('bert.embeddings.position_ids', tf.range(0, 16).reshape([1, 16]));
  assignHfWeights(named, hf);
  const key = 'bert.encoder.layer.0.intermediate.dense.weight'; // HF (64, 32), here (32, 64)
  const hfValue = hf.get(key)!.arraySync() as number[][];
  const ours = named.get(key)!.arraySync() as number[][];
  assert.equal(ours[5][40], hfValue[40][5]);

  const broken = new Map(hf);
  broken.delete('classifier.bias');
  broken.set('bert.pooler.dense.weight', tf.zeros([32, 31]));
  broken.set('cls.predictions.bias', tf.zeros([50]));
  assert.throws(
    () => assignHfWeights(named, broken, 'teacher/model.safetensors'),
    (err: Error) =>
      /^teacher\/model\.safetensors: the weights do not fit the model/.test(err.message) &&
      err.message.includes('missing classifier.bias') &&
      err.message.includes('bert.pooler.dense.weight has shape [32,31], expected [32,32]') &&
      err.message.includes('unexpected weight cls.predictions.bias'),
  );
  tf.dispose([...hf.values(), ...broken.values()]);
  model.dispose();
});
