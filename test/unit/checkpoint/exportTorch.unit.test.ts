// An exported student loads in PyTorch with the Hugging Face BERT equations written out independently
// (test/fixtures/bert-reference) and gives the same logits as in TensorFlow.js. transformers' own
// from_pretrained is checked against our exports in transformersExport.unit.test.ts; this one keeps a
// second reference that depends on nothing but torch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { Bert } from '../../../trainer/model/bert';
import { parseBertConfig } from '../../../trainer/model/config';
import { useBackend } from '../helpers/backend';
import { debianTorch, requireReference } from '../helpers/python';
import { tempDir } from '../helpers/tempDir';

const torch = debianTorch();
const script = join(__dirname, '..', '..', 'fixtures', 'bert-reference', 'hf_folder_logits.py');

test('an exported model gives the same logits in the PyTorch reference', { skip: torch.skip }, async () => {
  requireReference(torch);
  await useBackend('wasm');
  const config = parseBertConfig({
    vocab_size: 40, hidden_size: 24, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 48,
    max_position_embeddings: 20, num_labels: 3, id2label: { 0: 'a', 1: 'b', 2: 'c' }, label2id: { a: 0, b: 1, c: 2 },
  });
  const model = new Bert(config, { seed: 11 });
  // perturb the initial weights so that LayerNorms and biases are not at their trivial values
  for (const v of model.trainableVariables) tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.05, 'float32', 3))));
  const folder = join(tempDir(), 'student');
  await writeHfFolder(model, folder);
  const inputs = {
    input_ids: [[2, 5, 9, 13, 3, 7, 1, 0], [2, 30, 31, 3, 0, 0, 0, 0]],
    token_type_ids: [[0, 0, 0, 0, 1, 1, 1, 0], [0, 0, 1, 1, 0, 0, 0, 0]],
    attention_mask: [[1, 1, 1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 0, 0, 0, 0]],
  };
  const ours = tf.tidy(() =>
    model.forward({ inputIds: tf.tensor2d(inputs.input_ids, undefined, 'int32'), tokenTypeIds: tf.tensor2d(inputs.token_type_ids, undefined, 'int32'), attentionMask: tf.tensor2d(inputs.attention_mask, undefined, 'int32') }, { training: false }).logits,
  );
  const expected = ours.arraySync() as number[][];
  ours.dispose();
  model.dispose();
  const r = spawnSync(torch.python, [script, folder, JSON.stringify(inputs)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const theirs = JSON.parse(r.stdout) as number[][];
  expected.forEach((row, b) => row.forEach((v, c) => assert.ok(Math.abs(v - theirs[b][c]) < 1e-4, `logit [${b}][${c}]: ${v} vs ${theirs[b][c]}`)));
});
