// The masked-LM head against the same arithmetic in plain JS, its Hugging Face names, and a
// pre-training step that learns a corpus whose masked tokens can be told from their context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backend';
import { Bert } from '../../../trainer/model/bert';
import { parseBertConfig } from '../../../trainer/model/config';
import { MLM_HEAD_NAMES, MlmHead } from '../../../trainer/model/mlmHead';
import { maskBatch } from '../../../trainer/pretrain/masking';
import { maskedLmLoss, mlmStep } from '../../../trainer/pretrain/mlmStep';
import { AdamW } from '../../../trainer/optim/adamw';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { erf } from '../helpers/erf';

const config = parseBertConfig({ vocab_size: 12, hidden_size: 8, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 });

test('head logits = LayerNorm(GELU(h W + b)) E^T + bias, computed by hand', async () => {
  await useBackend('wasm');
  const head = new MlmHead(config, 3);
  tf.tidy(() => head.bias.assign(tf.randomNormal([12], 0, 0.5, 'float32', 9)));
  tf.tidy(() => head.norm.gamma.assign(tf.randomNormal([8], 1, 0.2, 'float32', 10)));
  const hidden = tf.randomNormal([3, 8], 0, 1, 'float32', 4) as tf.Tensor2D;
  const word = tf.randomNormal([12, 8], 0, 0.3, 'float32', 5) as tf.Tensor2D;
  const got = head.logits(hidden, word).arraySync();
  const h = hidden.arraySync(), E = word.arraySync();
  const W = head.transform.kernel.arraySync() as number[][], b = head.transform.bias.arraySync() as number[];
  const g = head.norm.gamma.arraySync() as number[], beta = head.norm.beta.arraySync() as number[], bias = head.bias.arraySync() as number[];
  for (let n = 0; n < 3; n++) {
    const x = b.map((bj, j) => bj + h[n].reduce((s, hi, i) => s + hi * W[i][j], 0)).map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2)));
    const mean = x.reduce((s, v) => s + v, 0) / 8;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / 8;
    const y = x.map((v, j) => ((v - mean) / Math.sqrt(variance + config.layer_norm_eps)) * g[j] + beta[j]);
    for (let v = 0; v < 12; v++) {
      const expected = y.reduce((s, yj, j) => s + yj * E[v][j], 0) + bias[v];
      assert.ok(Math.abs(got[n][v] - expected) < 1e-4, `logit [${n}][${v}] ${got[n][v]} vs ${expected}`);
    }
  }
  assert.deepEqual([...head.namedWeights().keys()], Object.values(MLM_HEAD_NAMES));
  tf.dispose([hidden, word]);
  head.dispose();
});

test('masked-LM pre-training learns tokens that the context gives away, and leaks no tensors', async () => {
  await useBackend('wasm');
  // Sentences [CLS] x x x x [SEP], x one of the ids 5..11: a masked token is any of its unmasked
  // neighbours (unigram statistics alone give ln 7 = 1.95).
  const B = 16, L = 6;
  const ids = new Int32Array(B * L), mask = new Int32Array(B * L).fill(1), types = new Int32Array(B * L);
  for (let b = 0; b < B; b++) {
    ids[b * L] = 2;
    for (let t = 1; t < 5; t++) ids[b * L + t] = 5 + (b % 7);
    ids[b * L + 5] = 3;
  }
  const wider = { ...config, hidden_size: 16, intermediate_size: 32 };
  const model = new Bert(wider, { seed: 1 });
  const head = new MlmHead(wider, 1);
  const optim = { ...DEFAULT_OPTIM_CONFIG, weightDecay: 0 };
  const optimizer = new AdamW(new Map([...model.namedWeights(), ...head.namedWeights()]), optim);
  const inputs = { inputIds: tf.tensor2d(ids, [B, L], 'int32'), attentionMask: tf.tensor2d(mask, [B, L], 'int32'), tokenTypeIds: tf.tensor2d(types, [B, L], 'int32') };
  const masking = { probability: 0.25, maskId: 4, vocabSize: 12, specialIds: new Set([0, 1, 2, 3, 4]) };
  const losses: number[] = [];
  let afterFirst = 0; // the first step creates the optimiser's moments
  for (let step = 0; step < 300; step++) {
    const masked = maskBatch(ids, mask, masking, 1000 + step);
    losses.push(mlmStep(model, head, optimizer, inputs, masked, { step, dropoutSeed: step, learningRate: { peak: 1e-2, totalSteps: 300, warmupShare: 0.1 }, maxGradNorm: 1 }).loss);
    if (step === 0) afterFirst = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, afterFirst, 'no tensor left behind by the steps');
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const first = mean(losses.slice(0, 10)), last = mean(losses.slice(-50));
  assert.ok(first > 1.8, `starts near ln 12 = 2.48: ${first}`);
  assert.ok(last < 0.6, `learns from the context, below the unigram ln 7 = 1.95: mean loss of the last 50 steps ${last}`);
  // the classifier and pooler take no part: unchanged by pre-training
  const fresh = new Bert(wider, { seed: 1 });
  for (const name of ['classifier.weight', 'bert.pooler.dense.weight']) {
    assert.deepEqual(model.namedWeights().get(name)!.dataSync(), fresh.namedWeights().get(name)!.dataSync(), `${name} untouched`);
  }
  const evalLoss = maskedLmLoss(model, head, inputs, maskBatch(ids, mask, masking, 99), false);
  assert.ok(evalLoss.dataSync()[0] < 0.8, `held-out masks: ${evalLoss.dataSync()[0]}`);
  tf.dispose([evalLoss, inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
  optimizer.dispose();
  [model, head, fresh].forEach((m) => m.dispose());
});
