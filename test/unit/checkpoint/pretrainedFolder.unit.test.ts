// Pre-trained BERT folders without this task's head: a pretrain run's BertForMaskedLM export, a
// BertForPreTraining checkpoint (pooler, masked-LM and next-sentence heads), a BertModel saved alone
// (names without "bert."). The encoder loads, a missing task head is initialised fresh and said so.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadPretrainedHfModel, readHfFolder, writeHfFolder } from '../../../trainer/checkpoint/hfFolder';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../../trainer/checkpoint/safetensors';
import { Bert } from '../../../trainer/model/bert';
import { MlmHead } from '../../../trainer/model/mlmHead';
import { MlmCore } from '../../../trainer/pretrain/mlmCore';
import { DEFAULT_OPTIM_CONFIG } from '../../../trainer/optim/config';
import { Vocabulary } from '../../../trainer/tokenizer/vocabulary';
import { useBackend } from '../helpers/backend';
import { SMALL_VOCAB } from '../tokenizer/smallVocab';

before(() => useBackend('wasm'));

const SHAPE = { vocab_size: SMALL_VOCAB.length, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 12, max_position_embeddings: 16 };
const THREE_LABELS = { num_labels: 3, id2label: { 0: 'a', 1: 'b', 2: 'c' }, label2id: { a: 0, b: 1, c: 2 } };
const temp = () => mkdtempSync(join(tmpdir(), 'lrc-pre-'));
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** A pretrain run's export: the encoder and a trained-looking masked-LM head. */
async function mlmFolder(): Promise<{ dir: string; model: Bert; head: MlmHead }> {
  const model = Bert.fromConfigJson(SHAPE, { seed: 1 });
  const head = new MlmHead(model.config, 4);
  tf.tidy(() => head.bias.assign(tf.randomNormal([SHAPE.vocab_size], 0, 1, 'float32', 3)));
  const dir = join(temp(), 'mlm');
  await writeHfFolder(model, dir, { vocab: new Vocabulary(SMALL_VOCAB, 'small'), mlmHead: head });
  return { dir, model, head };
}

test('a pretrain export is a BertForMaskedLM folder: encoder and cls.predictions, no pooler or classifier', async () => {
  const { dir, model, head } = await mlmFolder();
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).architectures, ['BertForMaskedLM']);
  const { tensors } = readSafetensors(join(dir, 'model.safetensors'));
  const names = [...tensors.keys()];
  assert.ok(!names.some((n) => n.startsWith('classifier.') || n.startsWith('bert.pooler.')), names.join(', '));
  for (const n of ['cls.predictions.transform.dense.weight', 'cls.predictions.transform.LayerNorm.weight', 'cls.predictions.bias']) assert.ok(tensors.has(n), n);
  // the transform's Linear weight is (out, in) on disk, (in, out) in the head
  const onDisk = tensors.get('cls.predictions.transform.dense.weight')!;
  assert.equal(onDisk.values[2 * 8 + 5], head.transform.kernel.dataSync()[5 * 8 + 2]);
  // strict reading (a distillation teacher must have its task head) names what is missing
  assert.throws(() => readHfFolder(dir), /missing tensor classifier\.weight/);
  model.dispose();
  head.dispose();
});

test('loading it for a task: the encoder as trained, a fresh classifier of the task, the head for more pre-training', async () => {
  const { dir, model, head } = await mlmFolder();
  const loaded = loadPretrainedHfModel(dir, THREE_LABELS, { seed: 9 });
  assert.equal(loaded.model.config.num_labels, 3);
  assert.deepEqual(loaded.model.config.id2label, THREE_LABELS.id2label);
  assert.deepEqual(loaded.missingHead, ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias']);
  assert.match(loaded.notes.join('\n'), /has no bert\.pooler\.dense\.weight, bert\.pooler\.dense\.bias, classifier\.weight, classifier\.bias: initialised fresh/);
  for (const [name, v] of model.namedWeights()) {
    if (name.startsWith('classifier.') || name.startsWith('bert.pooler.')) continue;
    assert.deepEqual(values(loaded.model.namedWeights().get(name)!), values(v), name);
  }
  assert.deepEqual(loaded.model.namedWeights().get('classifier.weight')!.shape, [8, 3]);
  const fresh = new Bert({ ...loaded.model.config }, { seed: 9 });
  assert.deepEqual(values(loaded.model.namedWeights().get('classifier.weight')!), values(fresh.namedWeights().get('classifier.weight')!), 'the seeded initial classifier');
  // a pretrain run going on from this folder gets the same head back
  const core = new MlmCore(loaded.model, { probability: 0.15, maskId: 4, vocabSize: SHAPE.vocab_size, specialIds: new Set([0, 1, 2, 3, 4]) }, DEFAULT_OPTIM_CONFIG, { peak: 1e-3, totalSteps: 10, warmupShare: 0.1 }, 0);
  core.loadHead(loaded.mlmHead!, dir);
  for (const [name, v] of head.namedWeights()) assert.deepEqual(values(core.head.namedWeights().get(name)!), values(v), name);
  core.dispose();
  [model, head, loaded.model, fresh].forEach((m) => m.dispose());
});

/** The folder of `mlmFolder` with its tensors rewritten by `edit`. */
function rewritten(src: string, edit: (t: Map<string, TensorToWrite>) => Map<string, TensorToWrite>): string {
  const dir = join(temp(), 'edited');
  cpSync(src, dir, { recursive: true });
  const tensors = new Map<string, TensorToWrite>([...readSafetensors(join(dir, 'model.safetensors')).tensors].map(([n, t]) => [n, { shape: t.shape, values: t.values }]));
  writeSafetensors(join(dir, 'model.safetensors'), edit(tensors));
  return dir;
}

test('a BertForPreTraining checkpoint: its pooler is kept, the tied decoder and next-sentence head ignored', async () => {
  const { dir, model, head } = await mlmFolder();
  const pooler = values(model.namedWeights().get('bert.pooler.dense.weight')!);
  const pre = rewritten(dir, (t) => {
    const word = t.get('bert.embeddings.word_embeddings.weight')!;
    t.set('bert.pooler.dense.weight', { shape: [8, 8], values: Float32Array.from(pooler) });
    t.set('bert.pooler.dense.bias', { shape: [8], values: new Float32Array(8).fill(0.5) });
    t.set('cls.predictions.decoder.weight', word);
    t.set('cls.predictions.decoder.bias', t.get('cls.predictions.bias')!);
    t.set('cls.seq_relationship.weight', { shape: [2, 8], values: new Float32Array(16) });
    t.set('cls.seq_relationship.bias', { shape: [2], values: new Float32Array(2) });
    return t;
  });
  const loaded = loadPretrainedHfModel(pre, THREE_LABELS, { seed: 2 });
  assert.deepEqual(loaded.missingHead, ['classifier.weight', 'classifier.bias']);
  assert.deepEqual(values(loaded.model.namedWeights().get('bert.pooler.dense.bias')!), new Array(8).fill(0.5));
  assert.match(loaded.notes.join('\n'), /ignored cls\.predictions\.decoder\.bias, cls\.predictions\.decoder\.weight, cls\.seq_relationship\.bias, cls\.seq_relationship\.weight \(the tied decoder copy/);
  [model, head, loaded.model].forEach((m) => m.dispose());
});

test('a BertModel saved alone (no "bert." prefix) loads; an unknown tensor is still refused by name', async () => {
  const { dir, model, head } = await mlmFolder();
  const bare = rewritten(dir, (t) => new Map([...t].filter(([n]) => n.startsWith('bert.')).map(([n, v]) => [n.slice('bert.'.length), v])));
  const loaded = loadPretrainedHfModel(bare, THREE_LABELS);
  assert.deepEqual(values(loaded.model.namedWeights().get('bert.encoder.layer.1.output.dense.weight')!), values(model.namedWeights().get('bert.encoder.layer.1.output.dense.weight')!));
  assert.equal(loaded.mlmHead, undefined);
  const odd = rewritten(dir, (t) => t.set('foo.weight', { shape: [1], values: new Float32Array(1) }));
  assert.throws(() => loadPretrainedHfModel(odd, THREE_LABELS), /unexpected tensor foo\.weight/);
  [model, head, loaded.model].forEach((m) => m.dispose());
});
