import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { loadHfModel, readHfFolder, writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../trainer/checkpoint/safetensors';
import { Bert } from '../../../trainer/model/bert';
import type { BertModel } from '../../../trainer/model/types';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { useBackend } from '../helpers/backend';
import { SMALL_VOCAB } from '../tokenizer/smallVocab';

before(() => useBackend('wasm'));

const FIXTURE = resolve(__dirname, '../../fixtures/checkpoint/tiny-bert-hf');
const TINY = {
  vocab_size: SMALL_VOCAB.length, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 12,
  max_position_embeddings: 16, type_vocab_size: 2, id2label: { '0': 'ham', '1': 'spam' },
};

function logits(model: BertModel, ids: number[][], mask: number[][], types: number[][]): number[] {
  return tf.tidy(() => {
    const out = model.forward({
      inputIds: tf.tensor2d(ids, undefined, 'int32'),
      attentionMask: tf.tensor2d(mask, undefined, 'int32'),
      tokenTypeIds: tf.tensor2d(types, undefined, 'int32'),
    }, { training: false });
    return Array.from(out.logits.dataSync());
  });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lrc-hf-'));
}

test('the torch-written folder loads (position_ids ignored) and gives the PyTorch reference logits', () => {
  const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8'));
  const { model, config, vocab, notes } = loadHfModel(FIXTURE, { seed: 5 });
  assert.equal(config.num_hidden_layers, 3);
  assert.equal(vocab!.size, 50);
  assert.deepEqual(notes, []);
  const got = logits(model, expected.inputs.input_ids, expected.inputs.attention_mask, expected.inputs.token_type_ids);
  const want = (expected.logits as number[][]).flat();
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `logit ${i}: ${v} vs ${want[i]}`));
  model.dispose();
});

test('write then read: same weights, same logits, HF (out, in) layout on disk, config and tokenizer files', async () => {
  const model = Bert.fromConfigJson(TINY, { seed: 1 });
  const dir = join(tempDir(), 'student');
  await writeHfFolder(model, dir, { vocab: new Vocabulary(SMALL_VOCAB, 'small') });
  assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors', 'tokenizer_config.json', 'vocab.txt']);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.deepEqual([config.architectures, config.model_type, config.hidden_size, config.label2id], [['BertForSequenceClassification'], 'bert', 8, { ham: 0, spam: 1 }]);
  const { tensors } = readSafetensors(join(dir, 'model.safetensors'));
  // intermediate.dense maps hidden 8 -> 12: PyTorch's nn.Linear weight is (out, in) = (12, 8).
  assert.deepEqual(tensors.get('bert.encoder.layer.0.intermediate.dense.weight')!.shape, [12, 8]);
  const internal = model.namedWeights().get('bert.encoder.layer.0.intermediate.dense.weight')!;
  assert.deepEqual(internal.shape, [8, 12]);
  // Element (out 3, in 5) on disk is element (in 5, out 3) of the model's (in, out) kernel.
  assert.equal(tensors.get('bert.encoder.layer.0.intermediate.dense.weight')!.values[3 * 8 + 5], internal.dataSync()[5 * 12 + 3]);
  const loaded = loadHfModel(dir, { seed: 2 });
  for (const [name, v] of model.namedWeights()) assert.deepEqual(Array.from(loaded.model.namedWeights().get(name)!.dataSync()), Array.from(v.dataSync()), name);
  const ids = [[2, 5, 6, 3, 0]];
  assert.deepEqual(logits(loaded.model, ids, [[1, 1, 1, 1, 0]], [[0, 0, 0, 0, 0]]), logits(model, ids, [[1, 1, 1, 1, 0]], [[0, 0, 0, 0, 0]]));
  assert.equal(loaded.vocab!.size, SMALL_VOCAB.length);
  model.dispose();
  loaded.model.dispose();
});

test('F16 and BF16 folders load with the rounded weights', async () => {
  const model = Bert.fromConfigJson(TINY, { seed: 3 });
  const dir = join(tempDir(), 'half');
  await writeHfFolder(model, dir, { dtype: 'BF16' });
  const { tensors } = readSafetensors(join(dir, 'model.safetensors'));
  assert.equal(tensors.get('classifier.weight')!.dtype, 'BF16');
  const loaded = loadHfModel(dir);
  const a = model.namedWeights().get('classifier.bias')!.dataSync();
  const b = loaded.model.namedWeights().get('classifier.bias')!.dataSync();
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= Math.abs(v) * 2 ** -8, `${v} vs ${b[i]}`));
  model.dispose();
  loaded.model.dispose();
});

/** A copy of the fixture folder with its tensors changed by `edit`, or its config by `config`. */
function brokenCopy(edit?: (t: Map<string, TensorToWrite>) => void, config?: (c: Record<string, unknown>) => void): string {
  const dir = join(tempDir(), 'broken');
  cpSync(FIXTURE, dir, { recursive: true });
  if (edit) {
    const tensors = new Map<string, TensorToWrite>([...readSafetensors(join(dir, 'model.safetensors')).tensors].map(([n, t]) => [n, { shape: t.shape, values: t.values }]));
    edit(tensors);
    writeSafetensors(join(dir, 'model.safetensors'), tensors);
  }
  if (config) {
    const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config(c);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(c));
  }
  return dir;
}

test('missing and extra tensors and shape mismatches are reported by name, all at once', () => {
  const dir = brokenCopy((t) => {
    t.delete('bert.pooler.dense.bias');
    t.set('cls.predictions.bias', { shape: [50], values: new Float32Array(50) });
    t.set('classifier.weight', { shape: [3, 32], values: new Float32Array(96) });
  });
  assert.throws(() => readHfFolder(dir), (e: Error) => {
    assert.match(e.message, /model.safetensors: expected the tensors of config.json, found 4 problems: /);
    assert.match(e.message, /missing tensor bert\.pooler\.dense\.bias \(expected \[32\]\)/);
    assert.match(e.message, /unexpected tensor cls\.predictions\.bias/);
    assert.match(e.message, /classifier\.weight has shape \[3,32\], expected \[2,32\] \(num_labels, hidden_size from config.json\)/);
    assert.match(e.message, /config.json says num_labels 2 but the classifier has 3 outputs/);
    return true;
  });
});

test('a config that does not belong to the weights is named: hidden size and layer count', () => {
  assert.throws(() => readHfFolder(brokenCopy(undefined, (c) => { c.num_hidden_layers = 2; })), /config.json says num_hidden_layers 2 but the weights have 3 encoder layers[\s\S]*unexpected tensor bert\.encoder\.layer\.2\./);
  assert.throws(() => readHfFolder(brokenCopy(undefined, (c) => { c.hidden_size = 64; c.intermediate_size = 64; })), /config.json says hidden_size 64 but the word embeddings are \[50,32\]/);
});

test('a vocabulary larger than the embedding is an error, a smaller one a note', () => {
  const big = brokenCopy();
  writeFileSync(join(big, 'vocab.txt'), readFileSync(join(big, 'vocab.txt'), 'utf8') + 'extra1\nextra2\n');
  assert.throws(() => readHfFolder(big), /expected a vocabulary of at most 50 tokens \(vocab_size, the rows of the word embedding\), found 52 tokens: token ids 50\.\.51 would have no embedding/);
  const small = brokenCopy();
  writeFileSync(join(small, 'vocab.txt'), SMALL_VOCAB.join('\n') + '\n');
  assert.match(readHfFolder(small).notes.join('\n'), /the vocabulary has 27 tokens, the embedding 50 rows/);
});

test('missing files and unreadable weights are named', () => {
  const dir = tempDir();
  assert.throws(() => readHfFolder(join(dir, 'nope')), /nope: expected a Hugging Face BERT folder, found no folder at this path/);
  assert.throws(() => readHfFolder(dir), /config.json: expected the config.json of a Hugging Face BERT folder, found no file at this path/);
  cpSync(join(FIXTURE, 'config.json'), join(dir, 'config.json'));
  writeFileSync(join(dir, 'pytorch_model.bin'), 'pickle');
  assert.throws(() => readHfFolder(dir), /found only pytorch_model.bin \(a PyTorch pickle\); save the model as model.safetensors/);
  writeFileSync(join(dir, 'model.safetensors'), new Uint8Array([1, 2, 3]));
  assert.throws(() => readHfFolder(dir), /model.safetensors: expected a safetensors file: .*, found 3 bytes/);
  writeFileSync(join(dir, 'config.json'), '{"hidden_size": 30, "num_attention_heads": 4}');
  assert.throws(() => readHfFolder(dir), /hidden_size 30 is not a multiple of num_attention_heads 4/);
});

test('writing is atomic: an existing folder is replaced whole, a failed write leaves it and no temporary behind', async () => {
  const parent = tempDir();
  const dir = join(parent, 'model');
  const first = Bert.fromConfigJson(TINY, { seed: 1 });
  await writeHfFolder(first, dir, { vocab: new Vocabulary(SMALL_VOCAB, 'small') });
  writeFileSync(join(dir, 'stale.txt'), 'from before');
  const second = Bert.fromConfigJson({ ...TINY, vocab_size: 5 }, { seed: 2 });
  await assert.rejects(writeHfFolder(second, dir, { vocab: new Vocabulary(SMALL_VOCAB, 'small') }), /expected a vocabulary of at most 5 tokens \(vocab_size, the rows of the word embedding\), found 27 tokens/);
  assert.ok(existsSync(join(dir, 'stale.txt')), 'the old folder is untouched');
  await assert.rejects(writeHfFolder(second, dir, { tokenizerFrom: parent }), /expected vocab.txt or tokenizer.json to copy, found neither/);
  await writeHfFolder(first, dir, { tokenizerFrom: dir });
  assert.ok(!existsSync(join(dir, 'stale.txt')), 'replaced whole');
  assert.deepEqual(readdirSync(parent), ['model']);
  assert.equal(readHfFolder(dir).config.vocab_size, SMALL_VOCAB.length);
  rmSync(parent, { recursive: true });
  first.dispose();
  second.dispose();
});
