import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import type { Bert, BertInputs } from '../../../trainer/model';
import { disposeInputs, tinyBatch, tinyBert } from './tiny';

/** Cross-entropy on the logits plus a term on a middle hidden state, as distillation uses both. */
function loss(model: Bert, inputs: BertInputs, training: boolean): tf.Scalar {
  return tf.tidy(() => {
    const out = model.forward(inputs, { training, dropoutSeed: 3 });
    const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2), out.logits);
    return tf.add(ce, tf.mean(tf.square(out.hiddenStates[1]))) as tf.Scalar;
  });
}

function gradients(model: Bert, inputs: BertInputs, training: boolean): Map<string, Float32Array> {
  const names = new Map([...model.namedWeights()].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(() => loss(model, inputs, training), model.trainableVariables);
  const values = new Map(Object.entries(grads).map(([varName, g]) => [names.get(varName)!, g.dataSync() as Float32Array]));
  tf.dispose([value, ...Object.values(grads)]);
  return values;
}

test('on WASM every trainable variable gets a finite, non-zero gradient (no missing kernel)', async () => {
  await useBackend('wasm');
  const model = tinyBert();
  const inputs = tinyBatch();
  const grads = gradients(model, inputs, true);
  assert.equal(grads.size, model.trainableVariables.length);
  for (const [name, g] of grads) {
    assert.ok(g.every(Number.isFinite), `${name} has a non-finite gradient`);
    assert.ok(g.some((v) => v !== 0), `${name} has a zero gradient`);
  }
  // Like nn.Embedding(padding_idx=0): the pad row gets nothing; so do tokens absent from the batch.
  const word = grads.get('bert.embeddings.word_embeddings.weight')!;
  const row = (id: number) => word.slice(id * 32, (id + 1) * 32);
  assert.ok(row(0).every((v) => v === 0), 'pad row');
  assert.ok(row(40).every((v) => v === 0), 'absent token');
  assert.ok(row(21).some((v) => v !== 0), 'present token');
  disposeInputs(inputs);
  model.dispose();
});

test('WASM gradients equal CPU gradients (training mode, same dropout seed)', async () => {
  const run = async (backend: 'wasm' | 'cpu') => {
    await useBackend(backend);
    const model = tinyBert(4);
    const inputs = tinyBatch();
    const grads = gradients(model, inputs, true);
    disposeInputs(inputs);
    model.dispose();
    return grads;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  for (const [name, g] of wasm) {
    const c = cpu.get(name)!;
    const scale = Math.max(...c.map(Math.abs));
    const diff = Math.max(...g.map((v, i) => Math.abs(v - c[i])));
    assert.ok(diff <= 1e-4 * Math.max(1, scale), `${name}: max diff ${diff} (scale ${scale})`);
  }
});

test('gradients agree with a central finite difference along a random direction', async () => {
  await useBackend('wasm');
  const model = tinyBert(8);
  const inputs = tinyBatch();
  const vars = model.trainableVariables;
  const directions = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 100 + i));
  const analytic = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => loss(model, inputs, false), vars);
    return vars.map((v, i) => tf.sum(tf.mul(grads[v.name], directions[i])).dataSync()[0]).reduce((a, b) => a + b, 0);
  });
  const eps = 1e-3;
  const originals = vars.map((v) => tf.clone(v));
  const lossAt = (step: number) => {
    vars.forEach((v, i) => v.assign(tf.tidy(() => tf.add(originals[i], tf.mul(directions[i], step)))));
    return loss(model, inputs, false).dataSync()[0];
  };
  const numeric = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
  vars.forEach((v, i) => v.assign(originals[i]));
  assert.ok(Math.abs(numeric - analytic) < 0.02 * Math.abs(analytic), `numeric ${numeric} vs analytic ${analytic}`);
  tf.dispose([...directions, ...originals]);
  disposeInputs(inputs);
  model.dispose();
});

test('a forward and backward pass inside tidy leaves no tensor behind', async () => {
  await useBackend('wasm');
  const model = tinyBert();
  const inputs = tinyBatch();
  gradients(model, inputs, true); // first call: anything created once (e.g. kernels' setup) is not a leak
  const tensors = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => loss(model, inputs, true), model.trainableVariables);
    value.dataSync();
    Object.values(grads).forEach((g) => g.dataSync());
  });
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.engine().backend.numDataIds(), dataIds);
  disposeInputs(inputs);
  model.dispose();
});
